"""The gateway: API keys, modes, scopes, plans, rate limits, HTTPS, and routing to the
domain services. The only service reachable from outside."""
