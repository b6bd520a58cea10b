"""Webhook secrets must be read to sign, so they are encrypted at rest with a key from the
environment, never stored plain. The box is shared with the idempotency records
(`libs/common/sealing.py`); this name stays so the webhooks modules import it as before."""

from libs.common.sealing import SecretBox

__all__ = ["SecretBox"]
