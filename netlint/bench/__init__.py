"""The benchmark: `python -m netlint.bench` (DESIGN §9)."""
