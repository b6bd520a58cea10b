"""The service client's identity tokens: one per caller and sibling, reused while fresh."""

from dataclasses import replace
from pathlib import Path

import aiohttp

from cli.keys import generate
from libs.common.identity import Identity
from libs.common.internal import ServiceClient
from libs.common.keys import load_keyring
from libs.common.settings import ServiceSettings

WHO = Identity(
    organization_id="org_a",
    mode="live",
    key_id="key_a",
    scopes=frozenset({"orders:write"}),
    request_id="req_1",
)


async def test_a_token_is_reused_per_caller_and_sibling_and_verifies_there(
    tmp_path: Path,
) -> None:
    generate(tmp_path, ("gateway", "orders", "inventory"))
    ring = {
        name: load_keyring(
            service=name,
            signing_key_file=tmp_path / f"{name}.key",
            public_keys_dir=tmp_path / "public",
        )
        for name in ("orders", "inventory")
    }
    async with aiohttp.ClientSession() as session:
        client = ServiceClient(settings=ServiceSettings(), keyring=ring["orders"], session=session)
        token = client.token(WHO, "inventory")
        # Another request of the same caller: the same token (the id travels beside it).
        assert client.token(replace(WHO, request_id="req_2"), "inventory") == token
        others = {
            client.token(WHO, "catalog"),
            client.token(replace(WHO, organization_id="org_b"), "inventory"),
            client.token(replace(WHO, mode="test"), "inventory"),
            client.token(replace(WHO, scopes=frozenset()), "inventory"),
        }
        assert token not in others and len(others) == 4
    seen = ring["inventory"].verify(token, accepted=frozenset({"orders"}), request_id="req_2")
    assert seen == replace(WHO, request_id="req_2")
