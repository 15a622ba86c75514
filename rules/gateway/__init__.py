"""Gateway API rules: routes, their parents and backends, Gateway listeners' certificates."""
