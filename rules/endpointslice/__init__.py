"""EndpointSlice and v1 Endpoints rules."""
