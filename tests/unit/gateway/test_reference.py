"""The API reference page, rendered from the committed document: every operation, event and
schema has its anchor, every link on the page lands somewhere, nothing is fetched from
elsewhere, and whatever the document says is escaped."""

import base64
import gzip
import hashlib
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import make_mocked_request

from libs.common import jsoncodec
from services.gateway.http.reference.page import page
from services.gateway.http.reference.view import reference_page, render

COMMITTED = Path(__file__).resolve().parents[3] / "services/gateway/openapi.json"
DOCUMENT = jsoncodec.loads(COMMITTED.read_bytes())
HOSTILE = "<script>alert(1)</script>"


class _Page(HTMLParser):
    """The ids, links, sources, tags and the inline style of a page."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.links: list[str] = []
        self.sources: list[str] = []
        self.tags: set[str] = set()
        self.styles: list[str] = []
        self._in_style = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self._in_style = tag == "style"
        for name, value in attrs:
            if name == "id" and value is not None:
                self.ids.append(value)
            elif name == "href" and value is not None:
                self.links.append(value)
            elif name in ("src", "srcset", "action", "data") and value is not None:
                self.sources.append(value)

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles.append(data)


@pytest.fixture(scope="module")
def rendered() -> tuple[str, str]:
    body, style = render(DOCUMENT)
    return body.decode(), style


@pytest.fixture(scope="module")
def parsed(rendered: tuple[str, str]) -> _Page:
    return _Page(rendered[0])


def _operations(document: dict[str, Any]) -> list[dict[str, Any]]:
    return [op for item in document["paths"].values() for op in item.values()]


def test_every_operation_has_its_anchor_and_appears_in_the_contents(parsed: _Page) -> None:
    ids = {op["operationId"] for op in _operations(DOCUMENT)}
    assert ids  # the document has operations at all
    assert {f"operation-{i}" for i in ids} <= set(parsed.ids)
    assert {f"#operation-{i}" for i in ids} <= set(parsed.links)


def test_every_webhook_event_and_every_schema_has_its_anchor(parsed: _Page) -> None:
    events = set(DOCUMENT["webhooks"])
    assert "product.created" in events
    assert {f"webhook-{e}" for e in events} <= set(parsed.ids)
    assert {f"schema-{s}" for s in DOCUMENT["components"]["schemas"]} <= set(parsed.ids)


def test_ids_are_unique_and_every_link_on_the_page_lands_on_one(parsed: _Page) -> None:
    assert len(parsed.ids) == len(set(parsed.ids))
    internal = {link[1:] for link in parsed.links if link.startswith("#")}
    assert internal - set(parsed.ids) == set()
    # The only other link is the document itself, on the same origin.
    assert {link for link in parsed.links if not link.startswith("#")} == {"/api/v1/openapi.json"}


def test_the_page_loads_nothing_and_runs_nothing(parsed: _Page, rendered: tuple[str, str]) -> None:
    assert parsed.sources == []
    assert not {"script", "link", "img", "iframe", "object", "form"} & parsed.tags
    html, style = rendered
    assert "@import" not in html and "url(" not in html
    # The one inline stylesheet is exactly what the CSP hash allows.
    assert len(parsed.styles) == 1
    digest = base64.b64encode(hashlib.sha256(parsed.styles[0].encode()).digest()).decode()
    assert style == f"'sha256-{digest}'"


def test_an_operation_shows_scope_parameters_body_fields_example_and_error_codes() -> None:
    shown = page(DOCUMENT)
    create = next(op for g in shown.groups for op in g.operations if op.id == "createProduct")
    assert (create.method, create.path, create.scopes) == (
        "POST",
        "/api/v1/products",
        ("products:write",),
    )
    assert "Idempotency-Key" in {p.name for p in create.parameters}
    assert create.request is not None and create.request.model == "ProductCreate"
    name = next(f for f in create.request.fields if f.name == "name")
    assert name.required and "max length 200" in name.shape.constraints
    category = next(f for f in create.request.fields if f.name == "categoryId")
    assert category.shape.nullable and category.shape.type == "string" and not category.required
    assert create.request.example and jsoncodec.loads(create.request.example)["name"]
    assert {"400", "401", "403"} <= {e.status for e in create.errors}
    assert "VALIDATION_ERROR" in next(e.codes for e in create.errors if e.status == "400")
    # Nested models are resolved into dotted rows: the page of products lists their fields.
    listing = next(op for g in shown.groups for op in g.operations if op.id == "listProducts")
    rows = {f.name for f in listing.replies[0].body.fields}  # type: ignore[union-attr]
    assert {"data", "data[].name", "pagination.hasMore"} <= rows


def test_operations_are_grouped_by_their_tag_in_the_documents_order() -> None:
    shown = page(DOCUMENT)
    used = {op["tags"][0] for op in _operations(DOCUMENT)}
    assert [g.tag for g in shown.groups] == [
        t["name"] for t in DOCUMENT["tags"] if t["name"] in used
    ]
    for group in shown.groups:
        assert all(group.tag in _tags_of(op.id) for op in group.operations)


def _tags_of(operation_id: str) -> list[str]:
    return next(op["tags"] for op in _operations(DOCUMENT) if op["operationId"] == operation_id)


def _synthetic() -> dict[str, Any]:
    """Hostile text in every place the page shows text from, and a model that nests itself."""
    return {
        "openapi": "3.1.0",
        "info": {"title": HOSTILE, "version": "1", "description": HOSTILE},
        "tags": [{"name": "things", "description": HOSTILE}],
        "paths": {
            "/api/v1/things/{id}": {
                "post": {
                    "operationId": "makeThing",
                    "summary": HOSTILE,
                    "description": f"Needs `{HOSTILE}`.",
                    "tags": ["things"],
                    "security": [{"apiKey": ["things:write"]}],
                    "parameters": [
                        {
                            "in": "path",
                            "name": "id",
                            "required": True,
                            "description": HOSTILE,
                            "schema": {"type": "string", "pattern": HOSTILE},
                        }
                    ],
                    "requestBody": {
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/Thing"},
                                "example": {"name": HOSTILE},
                            }
                        }
                    },
                    "responses": {"400": {"description": f"{HOSTILE}: VALIDATION_ERROR"}},
                }
            }
        },
        "components": {
            "schemas": {
                "Thing": {
                    "type": "object",
                    "required": ["name"],
                    "properties": {
                        "name": {"type": "string", "description": HOSTILE, "enum": [HOSTILE]},
                        "parent": {
                            "anyOf": [{"$ref": "#/components/schemas/Thing"}, {"type": "null"}]
                        },
                    },
                }
            }
        },
        "webhooks": {
            "thing.made": {
                "post": {
                    "summary": HOSTILE,
                    "requestBody": {
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}
                        }
                    },
                }
            }
        },
    }


def test_text_from_the_document_is_escaped_everywhere() -> None:
    html = render(_synthetic())[0].decode()
    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    # Backticks become code, around the escaped text, never around raw markup.
    assert "<code>&lt;script&gt;alert(1)&lt;/script&gt;</code>" in html


def test_a_model_that_contains_itself_is_listed_once_and_marked_nullable() -> None:
    shown = page(_synthetic())
    body = shown.groups[0].operations[0].request
    assert body is not None
    assert [f.name for f in body.fields] == ["name", "parent"]
    parent = body.fields[1]
    assert parent.shape.nullable and parent.shape.ref == "Thing"
    assert [w.event for w in shown.webhooks] == ["thing.made"]


def test_a_document_without_webhooks_or_components_still_renders() -> None:
    minimal = {"openapi": "3.1.0", "info": {"title": "Bare", "version": "0"}, "paths": {}}
    assert b"<h1>Bare" in render(minimal)[0]


@pytest.mark.parametrize(
    ("accept", "gzipped"), [("", False), ("gzip, deflate, br", True), ("br;q=1.0, gzip;q=0", False)]
)
async def test_the_handler_answers_html_with_a_strict_policy(accept: str, gzipped: bool) -> None:
    serve = reference_page(COMMITTED.read_bytes())
    request = make_mocked_request("GET", "/reference", headers={"Accept-Encoding": accept})
    response = await serve(request)
    assert response.content_type == "text/html" and response.charset == "utf-8"
    policy = response.headers["Content-Security-Policy"]
    assert policy.startswith("default-src 'none'; style-src 'sha256-")
    assert "script-src" not in policy and "unsafe-inline" not in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    body = response.body
    assert isinstance(body, bytes)
    if gzipped:
        assert response.headers["Content-Encoding"] == "gzip"
        body = gzip.decompress(body)
    else:
        assert "Content-Encoding" not in response.headers
    assert b'id="operation-createProduct"' in body
