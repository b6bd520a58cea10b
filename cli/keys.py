"""`stacknex keys generate DIR`: an Ed25519 key pair per service, in the layout of
libs/common/keys.py. `make run` and `make up` fill .run/keys with it, as they make the TLS
certificate; the e2e and bench harnesses make a throw-away set per run. Existing keys are
kept, so running it again changes nothing (delete a key to replace it)."""

import argparse
import os
import sys
from collections.abc import Iterable
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from cli.registry import SERVICES
from libs.common.keys import (
    PUBLIC_DIR,
    load_private_key,
    private_key_path,
    public_key_path,
)


def generate(directory: Path, services: Iterable[str] = SERVICES) -> list[Path]:
    """Writes the missing keys of `services`; returns the files it wrote."""
    (directory / PUBLIC_DIR).mkdir(parents=True, exist_ok=True)
    written = []
    for service in services:
        private = private_key_path(directory, service)
        if not private.exists():
            pem = Ed25519PrivateKey.generate().private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
            # Created 0600 in one step: never readable by others, not even for a moment.
            fd = os.open(private, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(pem)
            written.append(private)
        public = public_key_path(directory, service)
        if not public.exists():
            public.write_bytes(
                load_private_key(private)
                .public_key()
                .public_bytes(
                    serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
                )
            )
            written.append(public)
    return written


def env(directory: Path, services: Iterable[str] = SERVICES) -> dict[str, str]:
    """The settings that point every service at the keys in `directory`."""
    return {
        "STACKNEX_PUBLIC_KEYS_DIR": str(directory / PUBLIC_DIR),
        **{
            f"STACKNEX_{service.upper()}_SIGNING_KEY_FILE": str(
                private_key_path(directory, service)
            )
            for service in services
        },
    }


def provision(directory: Path) -> dict[str, str]:
    """A set for every service in `directory` (a test's or benchmark's temporary one), and
    the environment that hands it to them."""
    generate(directory)
    return env(directory)


async def _generate(args: argparse.Namespace) -> None:
    written = generate(Path(args.directory))
    if written:
        print(f"keys: generated {len(written)} file(s) in {args.directory}", file=sys.stderr)


def add_commands(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    keys = commands.add_parser("keys", help="the services' signing keys")
    verbs = keys.add_subparsers(dest="verb", required=True)
    generate_cmd = verbs.add_parser(
        "generate", help="an Ed25519 key pair per service (local development and tests)"
    )
    generate_cmd.add_argument("directory", metavar="DIR")
    generate_cmd.set_defaults(handler=_generate)
