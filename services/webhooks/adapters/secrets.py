"""Webhook secrets must be read to sign, so they are encrypted at rest (Fernet: AES-128-CBC
with HMAC-SHA256, from `cryptography`) with a key from the environment, never stored plain."""

from cryptography.fernet import Fernet, InvalidToken


class SecretBox:
    def __init__(self, key: str) -> None:
        self._fernet = Fernet(key.encode())

    def seal(self, secret: str) -> str:
        return self._fernet.encrypt(secret.encode()).decode()

    def open(self, sealed: str) -> str:
        try:
            return self._fernet.decrypt(sealed.encode()).decode()
        except InvalidToken as exc:
            raise RuntimeError("a webhook secret cannot be decrypted with this key") from exc
