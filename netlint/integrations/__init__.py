"""netlint inside other tools: the GitHub Action's script (and, later, the language server)."""
