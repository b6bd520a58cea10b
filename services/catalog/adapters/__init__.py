"""Repositories, projections and consumers: where the domain meets PostgreSQL and RabbitMQ."""
