"""Verifying a StackNex webhook delivery (hand-written; regeneration keeps this file).

Every delivery carries two signatures of the same raw body:
- Standard Webhooks: `webhook-id`, `webhook-timestamp` and `webhook-signature`, a
  space-separated list of `v1,<base64 HMAC-SHA256 of "id.timestamp.body">` keyed with the
  base64-decoded part of the secret after `whsec_`; during a secret rotation every secret
  still valid signs, so the list has one entry per secret.
- `X-Webhook-Signature`: lowercase hex HMAC-SHA256 of the body keyed with the secret string
  exactly as shown (`whsec_…`), signed with the current secret only (the seed's scheme).

When the Standard Webhooks headers are present they decide: they bind the id and a
timestamp, so a replayed or stale delivery fails, and they carry every valid secret's
signature, so a receiver still holding the previous secret verifies during a rotation. The
seed's header alone is accepted only for senders that have nothing else (`allow_legacy`)."""

import base64
import binascii
import hashlib
import hmac
import time
from collections.abc import Mapping, Sequence

PREFIX = "whsec_"
DEFAULT_TOLERANCE = 300  # seconds either way, Standard Webhooks' own default


class WebhookVerificationError(ValueError):
    """The delivery is not authentic (or not fresh); `str(error)` says why."""


def verify_webhook(
    payload: bytes | str,
    headers: Mapping[str, str],
    secret: str | Sequence[str],
    *,
    tolerance: int = DEFAULT_TOLERANCE,
    now: float | None = None,
    allow_legacy: bool = True,
) -> None:
    """Returns when the delivery is authentic; raises WebhookVerificationError otherwise.

    `payload` is the raw request body as received (not re-serialized JSON); `headers` any
    mapping (names compare case-insensitively); `secret` one `whsec_…` string or several
    (e.g. the new and the previous one during a rotation). `now` (Unix seconds) is for tests.
    """
    body = payload.encode() if isinstance(payload, str) else bytes(payload)
    secrets = [secret] if isinstance(secret, str) else list(secret)
    if not secrets or not all(isinstance(s, str) and s for s in secrets):
        raise ValueError("verify_webhook needs at least one non-empty secret string")
    lowered = {name.lower(): value for name, value in headers.items()}
    standard = ("webhook-id", "webhook-timestamp", "webhook-signature")
    if any(name in lowered for name in standard):
        missing = [name for name in standard if not lowered.get(name)]
        if missing:
            raise WebhookVerificationError(f"missing header(s): {', '.join(missing)}")
        _verify_standard(
            body,
            webhook_id=lowered["webhook-id"],
            timestamp=lowered["webhook-timestamp"],
            signatures=lowered["webhook-signature"],
            secrets=secrets,
            tolerance=tolerance,
            now=time.time() if now is None else now,
        )
        return
    if "x-webhook-signature" in lowered:
        if not allow_legacy:
            raise WebhookVerificationError(
                "only X-Webhook-Signature is present (no signed timestamp) and allow_legacy=False"
            )
        _verify_legacy(body, lowered["x-webhook-signature"], secrets)
        return
    raise WebhookVerificationError(
        "no signature headers (webhook-signature or X-Webhook-Signature)"
    )


def _verify_standard(
    body: bytes,
    *,
    webhook_id: str,
    timestamp: str,
    signatures: str,
    secrets: list[str],
    tolerance: int,
    now: float,
) -> None:
    try:
        sent_at = int(timestamp)
    except ValueError:
        raise WebhookVerificationError(
            f"webhook-timestamp is not Unix seconds: {timestamp[:40]!r}"
        ) from None
    if now - sent_at > tolerance:
        raise WebhookVerificationError(f"webhook-timestamp is {int(now - sent_at)} s old")
    if sent_at - now > tolerance:
        raise WebhookVerificationError(f"webhook-timestamp is {int(sent_at - now)} s ahead")
    offered = [
        given.encode()
        for version, _, given in (s.partition(",") for s in signatures.split())
        if version == "v1"
    ]
    if not offered:
        raise WebhookVerificationError("webhook-signature has no v1 signature")
    signed = f"{webhook_id}.{timestamp}.".encode() + body
    keys = [key for key in map(_standard_key, secrets) if key is not None]
    if not keys:
        raise WebhookVerificationError("no secret is a valid whsec_<base64> string")
    expected = [base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()) for key in keys]
    # Every pair is compared (no early exit), each in constant time.
    matches = [hmac.compare_digest(e, o) for e in expected for o in offered]
    if not any(matches):
        raise WebhookVerificationError("no webhook-signature matches the secret(s)")


def _verify_legacy(body: bytes, signature: str, secrets: list[str]) -> None:
    given = signature.strip().lower().encode()
    expected = [hmac.new(s.encode(), body, hashlib.sha256).hexdigest().encode() for s in secrets]
    if not any([hmac.compare_digest(e, given) for e in expected]):
        raise WebhookVerificationError("X-Webhook-Signature does not match the secret(s)")


def _standard_key(secret: str) -> bytes | None:
    raw = secret.removeprefix(PREFIX)
    try:
        return base64.b64decode(raw + "=" * (-len(raw) % 4), validate=True)
    except (binascii.Error, ValueError):
        return None
