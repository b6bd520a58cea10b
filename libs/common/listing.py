"""Lists: newest first, keyset pagination on the time-sortable id, so a page costs the same
at any depth and rows inserted meanwhile never shift a client's pages."""

from datetime import datetime
from typing import Any

import asyncpg
from pydantic import Field

from libs.common.validation import ApiModel


class ListQuery(ApiModel):
    """The parameters every list takes; each resource adds its filters."""

    limit: int = Field(20, ge=1, le=100)
    starting_after: str | None = None
    created_after: datetime | None = None
    created_before: datetime | None = None


class Where:
    """AND-ed conditions with numbered parameters: `where.add("sku = {}", sku)`."""

    def __init__(self, *conditions: tuple[str, Any]) -> None:
        self.clauses: list[str] = []
        self.params: list[Any] = []
        for template, value in conditions:
            self.add(template, value)

    def add(self, template: str, value: Any) -> "Where":
        self.params.append(value)
        self.clauses.append(template.format(f"${len(self.params)}"))
        return self

    def contains(self, expression: str, text: str) -> "Where":
        """Case-insensitive substring match; LIKE's wildcards in `text` are taken literally."""
        escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
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
    rows = await conn.fetch(
        f"SELECT * FROM {table} WHERE {where.sql()} ORDER BY id DESC LIMIT {query.limit + 1}",
        *where.params,
    )
    has_more = len(rows) > query.limit
    rows = rows[: query.limit]
    return rows, {"hasMore": has_more, "nextCursor": rows[-1]["id"] if has_more else None}
