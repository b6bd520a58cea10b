"""What the dashboard reads about its organization besides keys: the members with when
they joined, the plan and what each plan allows, and the security history. Read-only; each
checks the member's role itself, as the other use cases do."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import asyncpg

from libs.common.roles import Action
from services.gateway.adapters import history as rows
from services.gateway.domain import members as dm
from services.gateway.domain.access import HOURLY_LIMITS, Plan
from services.gateway.domain.history import Entry
from services.gateway.domain.model import UnknownResource
from services.gateway.members import Members, Principal, authorize


@dataclass(frozen=True)
class SecurityPage:
    entries: list[Entry]
    has_more: bool

    @property
    def next_cursor(self) -> str | None:
        # The event's id: what a reader of the page holds, and what `before` accepts.
        return self.entries[-1].id if self.has_more and self.entries else None


def plan_terms(plan: Plan) -> dict[str, Any]:
    """What a plan allows: API access, and requests per hour per mode when it has it."""
    limit = HOURLY_LIMITS.get(plan)
    return {"plan": plan.value, "apiAccess": limit is not None, "hourlyLimit": limit}


class History:
    def __init__(self, *, pool: asyncpg.Pool, members: Members) -> None:
        self.pool = pool
        self.members = members

    async def roster(self, *, by: Principal) -> list[tuple[dm.Member, datetime | None]]:
        listed = await self.members.list_members(org_id=by.organization_id, by=by)
        async with self.pool.acquire() as conn:
            joined = await rows.joined_at(conn, org_id=by.organization_id)
        return [(member, joined.get(member.id)) for member in listed]

    async def organization(self, *, by: Principal) -> dict[str, Any]:
        authorize(by, org_id=by.organization_id, action=Action.READ)
        async with self.pool.acquire() as conn:
            row = await rows.organization(conn, org_id=by.organization_id)
        if row is None:
            raise UnknownResource("No such organization.", field="organization")
        plan = Plan(row["plan"])
        return {
            "id": row["id"],
            "name": row["name"],
            **{k: v for k, v in plan_terms(plan).items() if k != "plan"},
            "plan": plan.value,
            "plans": [plan_terms(p) for p in Plan],
        }

    async def security(
        self, *, by: Principal, before: int | str | None, limit: int
    ) -> SecurityPage:
        authorize(by, org_id=by.organization_id, action=Action.READ)
        async with self.pool.acquire() as conn:
            found = await rows.security(
                conn, org_id=by.organization_id, before=before, limit=limit + 1
            )
        return SecurityPage(entries=found[:limit], has_more=len(found) > limit)
