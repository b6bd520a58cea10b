"""Passwords, invite tokens and session tokens: what is generated, and the only form of
each that is ever stored (a hash)."""

import base64
import hashlib
import hmac
import secrets
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# argon2id with OWASP's first recommended configuration (Password Storage Cheat Sheet):
# m = 19 MiB, t = 2, p = 1; about 25 ms a hash on one core of this machine, so a sign-in
# stays quick while an offline guess costs the same 19 MiB and 25 ms each. Raise them here
# and every member's hash is redone at their next sign-in (`needs_rehash`).
PASSWORDS = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)

# 12 characters at least (NIST 800-63B asks 8; the dashboard manages live keys), 128 at
# most: argon2 takes any length, but an unbounded input is free work for an attacker.
PASSWORD_MIN, PASSWORD_MAX = 12, 128

# 32 random bytes: 256 bits, url-safe base64 (43 characters).
TOKEN_BYTES = 32


# The hasher is looked up at each call (not bound as a default), so that a change of
# PASSWORDS, a deploy's or a test's, applies at once.
def hash_password(password: str, *, hasher: PasswordHasher | None = None) -> str:
    return (hasher or PASSWORDS).hash(password)


def verify_password(
    stored_hash: str, password: str, *, hasher: PasswordHasher | None = None
) -> bool:
    try:
        return (hasher or PASSWORDS).verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str, *, hasher: PasswordHasher | None = None) -> bool:
    return (hasher or PASSWORDS).check_needs_rehash(stored_hash)


@cache
def dummy_hash() -> str:
    """Verified against for an unknown email, so that it costs what a wrong password does."""
    return hash_password(secrets.token_urlsafe(16))


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token: str) -> str:
    # A token carries 256 random bits: a fast hash suffices (nothing to guess offline), and
    # it lets a presented token be found by its hash with one indexed lookup.
    return hashlib.sha256(token.encode()).hexdigest()


def csrf_token(session_token: str) -> str:
    """The session's CSRF secret, derived from its token rather than stored: it needs no
    column, dies with the session, and cannot be computed without the cookie's value."""
    mac = hmac.new(session_token.encode(), b"stacknex.csrf.v1", hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).rstrip(b"=").decode()


def csrf_matches(session_token: str, presented: str) -> bool:
    return hmac.compare_digest(csrf_token(session_token), presented)
