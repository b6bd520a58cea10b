"""No password, token, session id or hash in the logs; only hashes at rest."""

import io
import logging

import asyncpg
import pytest
import structlog

from libs.common.logging import configure_logging
from services.gateway.domain import credentials
from services.gateway.domain import members as dm
from services.gateway.members import Members
from services.gateway.sessions import Sessions
from tests.integration.gateway.members.conftest import (
    PASSWORD,
)


async def test_no_password_token_or_session_id_in_the_logs_or_at_rest(
    members: Members, sessions: Sessions, org_id: str, gateway_db: asyncpg.Pool
) -> None:
    # The service's own logging, its one handler writing into `captured`; both restored.
    root, structlog_config = logging.getLogger(), structlog.get_config()
    saved, level, captured = list(root.handlers), root.level, io.StringIO()
    configure_logging(service="gateway")
    root.handlers[0].setStream(captured)  # type: ignore[attr-defined]
    try:
        invitation = await members.invite(org_id=org_id, email="sec@example.com", role="owner")
        invite_token = invitation.link.rsplit("/", 1)[1]
        member = await members.accept_invite(token=invite_token, name="Sec", password=PASSWORD)
        signed_in = await sessions.sign_in(email=member.email, password=PASSWORD, address="a8")
        with pytest.raises(dm.SignInFailed):
            await sessions.sign_in(email=member.email, password="wrong " + PASSWORD, address="a8")
        me = await sessions.authenticate(token=signed_in.token)
        await sessions.sign_out_everywhere(by=me)
    finally:
        root.handlers, root.level = saved, level
        structlog.configure(**structlog_config)
    logs = captured.getvalue()
    assert "signin.succeeded" in logs and member.id in logs  # the capture saw the lines
    secrets = [PASSWORD, invite_token, signed_in.token, signed_in.csrf_token]
    hashes = [member.password_hash or "?", credentials.hash_token(signed_in.token)]
    assert [s for s in secrets + hashes if s in logs] == []

    async with gateway_db.acquire() as conn:
        rows = [
            row
            for table in ("members", "member_sessions", "events")
            for row in await conn.fetch(f"SELECT * FROM {table}")
        ]
    at_rest = "\n".join(str(dict(row)) for row in rows)
    assert [s for s in secrets if s in at_rest] == []
    assert credentials.hash_token(invite_token) in at_rest  # the invite, as its hash only
    assert credentials.hash_token(signed_in.token) in at_rest
    assert "$argon2id$" in at_rest
