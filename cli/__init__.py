"""Operator tooling: the `stacknex` command and the local development supervisor."""
