"""Service rules, and the Service helpers (`_service`) the Ingress, EndpointSlice and route rules share."""
