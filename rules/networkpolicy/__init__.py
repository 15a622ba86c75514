"""NetworkPolicy rules: the API server's validation of `networking.k8s.io/v1` NetworkPolicy."""
