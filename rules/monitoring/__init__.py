"""Prometheus Operator rules: `ServiceMonitor` and `PodMonitor` (monitoring.coreos.com/v1)
against the Services and pods of the input."""
