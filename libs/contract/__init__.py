"""The public contract in one place: each resource's one typed model, the request schemas,
and the route table of every public operation. The services serve it, the gateway routes by
it, and the OpenAPI document (and so the generated client) is built from it alone."""
