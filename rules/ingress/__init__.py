"""Ingress and IngressClass rules."""
