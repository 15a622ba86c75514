"""`python -m netlint`."""

from netlint.cli import main

main()
