"""Sessions past their absolute timeout are deleted by the gateway's retention, whatever
else became of them; younger ones stay, revoked or not, until then."""

from datetime import timedelta

import asyncpg

from libs.common.metrics import Metrics
from libs.common.retention import purge
from services.gateway.adapters.retention import purges
from services.gateway.domain import credentials
from services.gateway.sessions import Sessions
from services.gateway.settings import Settings
from tests.integration.gateway.members.conftest import PASSWORD, Join


async def test_sessions_past_the_absolute_timeout_are_purged_and_younger_ones_stay(
    join: Join, sessions: Sessions, gateway_db: asyncpg.Pool, database_url: str
) -> None:
    member = await join()
    tokens = [
        (await sessions.sign_in(email=member.email, password=PASSWORD, address=f"r{n}")).token
        for n in range(3)
    ]
    old, revoked_young, young = (credentials.hash_token(t) for t in tokens)
    await sessions.sign_out(token=tokens[1])
    settings = Settings.model_construct()  # the defaults: a 12 h absolute timeout
    keep = timedelta(seconds=settings.session_absolute_timeout)
    await gateway_db.execute(
        "UPDATE member_sessions SET created_at = created_at - $2::interval WHERE token_hash = $1",
        old,
        keep + timedelta(minutes=1),
    )
    purged = await purge(
        dsn=database_url,
        schema="gateway",
        purges=purges(settings),
        batch_size=1,  # one row a batch: the loop goes on until a short batch
        metrics=Metrics("gateway"),
        pause=0,
    )
    assert purged is not None and purged["member_sessions"] == 1
    left = {
        r["token_hash"] for r in await gateway_db.fetch("SELECT token_hash FROM member_sessions")
    }
    assert old not in left and {revoked_young, young} <= left
