"""The catalog service. Products and categories: event-sourced aggregates and their read models."""
