"""Signing a delivery (CONVENTIONS: Webhook deliveries): the seed's `X-Webhook-Signature`
(hex HMAC-SHA256 of the body, keyed with the secret string as shown, `whsec_…`) and the
Standard Webhooks headers (base64 HMAC-SHA256 of "id.timestamp.body", keyed with the
base64-decoded part after `whsec_`), which every secret still valid signs."""

import base64
import hashlib
import hmac
import secrets

PREFIX = "whsec_"


def new_secret() -> str:
    # 24 random bytes: 192 bits, the size Standard Webhooks' own tooling generates.
    return PREFIX + base64.b64encode(secrets.token_bytes(24)).decode()


def _standard_key(secret: str) -> bytes:
    raw = secret.removeprefix(PREFIX)
    return base64.b64decode(raw + "=" * (-len(raw) % 4))


def headers(
    *,
    body: bytes,
    webhook_id: str,
    event_type: str,
    timestamp: int,
    secrets_in_force: list[str],
    user_agent: str,
) -> dict[str, str]:
    """`secrets_in_force`: the current secret first, then any still valid after a rotation."""
    current = secrets_in_force[0]
    signed = f"{webhook_id}.{timestamp}.".encode() + body
    standard = " ".join(
        "v1,"
        + base64.b64encode(hmac.new(_standard_key(s), signed, hashlib.sha256).digest()).decode()
        for s in secrets_in_force
    )
    return {
        "Content-Type": "application/json",
        "User-Agent": user_agent,
        "X-Webhook-Signature": hmac.new(current.encode(), body, hashlib.sha256).hexdigest(),
        "X-Webhook-Id": webhook_id,
        "X-Webhook-Event": event_type,
        "X-Webhook-Timestamp": str(timestamp),
        "webhook-id": webhook_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": standard,
    }
