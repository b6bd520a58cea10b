"""HTTP handlers: parse, call the service layer, map domain errors to CONVENTIONS codes."""
