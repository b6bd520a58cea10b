"""The inventory's use cases, each on the caller's connection and transaction."""
