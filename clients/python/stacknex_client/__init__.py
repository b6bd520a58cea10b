"""A client library for accessing StackNex API"""

# Generated from clients/python/templates/package_init.py.jinja: the generated client and the
# hand-written helpers (pagination.py, signatures.py, which regeneration keeps) in one import.
from .client import AuthenticatedClient, Client
from .pagination import ApiError, apaginate, paginate
from .signatures import WebhookVerificationError, verify_webhook

__all__ = (
    "ApiError",
    "AuthenticatedClient",
    "Client",
    "WebhookVerificationError",
    "apaginate",
    "paginate",
    "verify_webhook",
)
