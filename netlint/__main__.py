"""`python -m netlint`."""

from netlint.cli import entry

entry()
