"""Encryption at rest for what the platform must read back (webhook signing secrets, stored
Idempotency-Key responses): Fernet, AES-128-CBC with HMAC-SHA256, from `cryptography`.

A setting may hold several keys, comma-separated, newest first (`MultiFernet`): the first
seals, every one opens. To rotate, put the new key in front, and drop the old one once
nothing sealed with it is left (24 hours for idempotency records)."""

from cryptography.fernet import Fernet, InvalidToken, MultiFernet


def parse_keys(keys: str) -> list[Fernet]:
    """Raises ValueError for anything that is not a list of Fernet keys."""
    parsed = [Fernet(key.strip().encode()) for key in keys.split(",") if key.strip()]
    if not parsed:
        raise ValueError("at least one Fernet key is needed")
    return parsed


class SecretBox:
    def __init__(self, keys: str) -> None:
        self._fernet = MultiFernet(parse_keys(keys))

    def seal_bytes(self, plain: bytes) -> bytes:
        return self._fernet.encrypt(plain)

    def open_bytes(self, sealed: bytes) -> bytes:
        try:
            return self._fernet.decrypt(sealed)
        except InvalidToken as exc:
            # Never the value itself: it may be the very secret that is being protected.
            raise RuntimeError(
                "a sealed value cannot be decrypted with the configured keys"
            ) from exc

    def seal(self, secret: str) -> str:
        return self.seal_bytes(secret.encode()).decode()

    def open(self, sealed: str) -> str:
        return self.open_bytes(sealed.encode()).decode()
