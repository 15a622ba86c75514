"""Reporters: pure functions of a Report (DESIGN §8)."""
