"""The API reference page: `fields` (a schema as rows), `page` (the document as the page's
data), `view` (the template and the handler)."""

from services.gateway.http.reference.view import REFERENCE_PATH, reference_page

__all__ = ["REFERENCE_PATH", "reference_page"]
