"""Reporters: pure functions of a Report (DESIGN §8)."""

from netlint.report.github import render_github
from netlint.report.json_report import render_json
from netlint.report.sarif import render_sarif
from netlint.report.text import render_text

__all__ = ["render_github", "render_json", "render_sarif", "render_text"]
