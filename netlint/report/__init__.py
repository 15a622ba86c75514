"""Reporters: pure functions of a Report (DESIGN §8), one module per format.

Nothing is imported here: the GitHub Action's wrapper reads the escaping helpers of
`report.github` without loading the engine.
"""
