"""Built-in data mapped from the repository's top-level rules/ and schemas/ folders."""
