"""`verify_webhook` against the platform's own signing: what the webhooks service sends must
verify, and any change to body, secret or time must not."""

import time

import pytest
from stacknex_client import WebhookVerificationError, verify_webhook
from standardwebhooks import Webhook

from services.webhooks.domain.signing import headers as sign
from services.webhooks.domain.signing import new_secret

BODY = b'{"id":"evt_0354xIPEOJKu0fmmxXMXnj","event":"order.created","data":{"total":9.98}}'
NOW = 1_767_000_000


def signed(*secrets: str, body: bytes = BODY, timestamp: int = NOW) -> dict[str, str]:
    return sign(
        body=body,
        webhook_id="msg_0354xIPEOJKu0fmmxXMXnj",
        event_type="order.created",
        timestamp=timestamp,
        secrets_in_force=list(secrets),
        user_agent="StackNex-Webhooks/test",
    )


def legacy_only(headers: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in headers.items() if not k.startswith("webhook-")}


def test_a_delivery_as_the_platform_signs_it_verifies() -> None:
    secret = new_secret()
    verify_webhook(BODY, signed(secret), secret, now=NOW)
    # The Standard Webhooks library agrees on the same headers (a second opinion on both).
    Webhook(secret).verify(
        BODY, {k: v for k, v in signed(secret, timestamp=int(time.time())).items()}
    )


def test_header_names_are_case_insensitive_and_str_payloads_are_bytes() -> None:
    secret = new_secret()
    shouted = {name.upper(): value for name, value in signed(secret).items()}
    verify_webhook(BODY.decode(), shouted, secret, now=NOW)


def test_the_seed_header_alone_verifies_unless_refused() -> None:
    secret = new_secret()
    verify_webhook(BODY, legacy_only(signed(secret)), secret, now=NOW)
    with pytest.raises(WebhookVerificationError, match="allow_legacy"):
        verify_webhook(BODY, legacy_only(signed(secret)), secret, allow_legacy=False)


@pytest.mark.parametrize("scheme", ["standard", "legacy"])
def test_a_tampered_body_fails(scheme: str) -> None:
    secret = new_secret()
    headers = signed(secret) if scheme == "standard" else legacy_only(signed(secret))
    with pytest.raises(WebhookVerificationError, match="match"):
        verify_webhook(BODY.replace(b"9.98", b"0.01"), headers, secret, now=NOW)


@pytest.mark.parametrize("scheme", ["standard", "legacy"])
def test_a_wrong_secret_fails(scheme: str) -> None:
    headers = signed(new_secret())
    headers = headers if scheme == "standard" else legacy_only(headers)
    with pytest.raises(WebhookVerificationError, match="match"):
        verify_webhook(BODY, headers, new_secret(), now=NOW)


def test_a_stale_or_future_timestamp_fails_even_with_a_good_signature() -> None:
    secret = new_secret()
    verify_webhook(BODY, signed(secret), secret, now=NOW + 300)  # the edge is still fresh
    with pytest.raises(WebhookVerificationError, match="301 s old"):
        verify_webhook(BODY, signed(secret), secret, now=NOW + 301)
    with pytest.raises(WebhookVerificationError, match="ahead"):
        verify_webhook(BODY, signed(secret), secret, now=NOW - 301)
    verify_webhook(BODY, signed(secret), secret, now=NOW + 3000, tolerance=3600)


def test_a_replay_with_the_standard_headers_stripped_is_refused_when_asked() -> None:
    secret = new_secret()
    old = signed(secret, timestamp=NOW - 86_400)
    with pytest.raises(WebhookVerificationError, match="old"):
        verify_webhook(BODY, old, secret, now=NOW)
    with pytest.raises(WebhookVerificationError, match="allow_legacy"):
        verify_webhook(BODY, legacy_only(old), secret, now=NOW, allow_legacy=False)


def test_during_a_rotation_both_the_new_and_the_previous_secret_verify() -> None:
    new, previous = new_secret(), new_secret()
    headers = signed(new, previous)  # the current secret first, as the platform sends it
    assert len(headers["webhook-signature"].split()) == 2
    verify_webhook(BODY, headers, new, now=NOW)
    verify_webhook(BODY, headers, previous, now=NOW)  # a receiver not yet updated
    verify_webhook(BODY, headers, [previous, new], now=NOW)
    # The seed's header is signed with the current secret only.
    verify_webhook(BODY, legacy_only(headers), [previous, new], now=NOW)
    with pytest.raises(WebhookVerificationError):
        verify_webhook(BODY, legacy_only(headers), previous, now=NOW)
    with pytest.raises(WebhookVerificationError, match="match"):
        verify_webhook(BODY, headers, [new_secret(), new_secret()], now=NOW)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"webhook-id": "msg_other"}, "match"),
        ({"webhook-timestamp": "soon"}, "Unix seconds"),
        ({"webhook-signature": "v2,abc"}, "no v1 signature"),
        ({"webhook-signature": ""}, "missing header"),
    ],
)
def test_broken_standard_headers_fail_with_a_reason(change: dict[str, str], reason: str) -> None:
    secret = new_secret()
    with pytest.raises(WebhookVerificationError, match=reason):
        verify_webhook(BODY, {**signed(secret), **change}, secret, now=NOW)


def test_no_signature_at_all_fails_and_no_secret_is_a_usage_error() -> None:
    with pytest.raises(WebhookVerificationError, match="no signature headers"):
        verify_webhook(BODY, {"Content-Type": "application/json"}, new_secret())
    with pytest.raises(ValueError, match="secret"):
        verify_webhook(BODY, signed(new_secret()), [])
