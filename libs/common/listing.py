"""Lists: newest first, keyset pagination on the time-sortable id, so a page costs the same
at any depth and rows inserted meanwhile never shift a client's pages."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
from pydantic import Field

from libs.common.validation import ApiModel, Timestamp

# The longest page (CONVENTIONS: Lists), and so the most ids one lookup by `ids=` answers:
# a caller with more (an order has up to 500 lines) asks in batches of this size.
PAGE_MAX = 100


class ListQuery(ApiModel):
    """The parameters every list takes; each resource adds its filters."""

    limit: int = Field(20, ge=1, le=PAGE_MAX)
    starting_after: str | None = None
    created_after: Timestamp | None = None
    created_before: Timestamp | None = None


class Where:
    """AND-ed conditions with numbered parameters: `where.add("sku = {}", sku)`."""

    def __init__(self, *conditions: tuple[str, Any]) -> None:
        self.clauses: list[str] = []
        self.params: list[Any] = []
        # Set by a substring search, whose best plan depends on how rare the text is.
        self.plan_per_value = False
        for template, value in conditions:
            self.add(template, value)

    def add(self, template: str, value: Any) -> "Where":
        self.params.append(value)
        self.clauses.append(template.format(f"${len(self.params)}"))
        return self

    def contains(self, expression: str, text: str) -> "Where":
        """Case-insensitive substring match; LIKE's wildcards in `text` are taken literally."""
        escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        self.plan_per_value = True
        return self.add(f"{expression} ILIKE {{}}", f"%{escaped}%")

    def sql(self) -> str:
        return " AND ".join(self.clauses) or "TRUE"


def common_filters(where: Where, query: ListQuery) -> Where:
    if query.starting_after is not None:
        where.add("id < {}", query.starting_after)
    if query.created_after is not None:
        where.add("created_at > {}", query.created_after)
    if query.created_before is not None:
        where.add("created_at < {}", query.created_before)
    return where


async def fetch_page(
    conn: asyncpg.Connection | asyncpg.Pool, *, table: str, where: Where, query: ListQuery
) -> tuple[list[asyncpg.Record], dict[str, Any]]:
    common_filters(where, query)
    sql = f"SELECT * FROM {table} WHERE {where.sql()} ORDER BY id DESC LIMIT {query.limit + 1}"
    if where.plan_per_value:
        # After five runs PostgreSQL may reuse one generic plan for a prepared statement,
        # and a generic plan cannot know whether the search text is rare (use the trigram
        # index) or common (walk the newest rows): with a million products the wrong one
        # took seconds (bench/scale.py). So a search is planned for its own text.
        async with _connection(conn) as c, c.transaction():
            await c.execute("SET LOCAL plan_cache_mode = force_custom_plan")
            rows = await c.fetch(sql, *where.params)
    else:
        rows = await conn.fetch(sql, *where.params)
    has_more = len(rows) > query.limit
    rows = rows[: query.limit]
    return rows, {"hasMore": has_more, "nextCursor": rows[-1]["id"] if has_more else None}


@asynccontextmanager
async def _connection(
    conn: asyncpg.Connection | asyncpg.Pool,
) -> AsyncIterator[asyncpg.Connection]:
    if isinstance(conn, asyncpg.Pool):
        async with conn.acquire() as acquired:
            yield acquired
    else:
        yield conn
