"""Rules on the input itself: YAML, object shape, schemas, names, API versions, duplicates."""
