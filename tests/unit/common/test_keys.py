"""Key files: what `stacknex keys generate` writes, and what a service accepts as keys."""

import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from cli.keys import env, generate
from libs.common.keys import KeyMaterialError, load_keyring, load_public_keys


def test_generate_makes_a_pair_per_service_once_private_keys_0600(tmp_path: Path) -> None:
    written = generate(tmp_path, ("gateway", "orders"))
    assert sorted(p.relative_to(tmp_path).as_posix() for p in written) == [
        "gateway.key",
        "orders.key",
        "public/gateway.pem",
        "public/orders.pem",
    ]
    assert stat.S_IMODE((tmp_path / "orders.key").stat().st_mode) == 0o600
    before = (tmp_path / "orders.key").read_bytes()
    assert generate(tmp_path, ("gateway", "orders")) == []  # kept, not replaced
    assert (tmp_path / "orders.key").read_bytes() == before
    ring = load_keyring(
        service="orders",
        signing_key_file=tmp_path / "orders.key",
        public_keys_dir=tmp_path / "public",
    )
    assert set(ring.public_keys) == {"gateway", "orders"}
    assert env(tmp_path, ("orders",)) == {
        "STACKNEX_PUBLIC_KEYS_DIR": str(tmp_path / "public"),
        "STACKNEX_ORDERS_SIGNING_KEY_FILE": str(tmp_path / "orders.key"),
    }


def test_a_second_key_file_of_an_issuer_is_another_of_its_keys(tmp_path: Path) -> None:
    generate(tmp_path, ("gateway",))
    other = tmp_path / "other"
    generate(other, ("gateway",))
    (other / "public/gateway.pem").rename(tmp_path / "public/gateway.next.pem")
    keys = load_public_keys(tmp_path / "public")
    assert list(keys) == ["gateway"] and len(keys["gateway"]) == 2


def test_keys_that_are_not_ed25519_or_misnamed_are_refused(tmp_path: Path) -> None:
    rsa_public = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key()
    (tmp_path / "gateway.pem").write_bytes(
        rsa_public.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    with pytest.raises(KeyMaterialError, match="not an Ed25519 public key"):
        load_public_keys(tmp_path)
    (tmp_path / "gateway.pem").unlink()
    (tmp_path / "Gateway!.pem").write_text("x")
    with pytest.raises(KeyMaterialError, match="must start with a service name"):
        load_public_keys(tmp_path)
    with pytest.raises(KeyMaterialError, match="does not exist"):
        load_public_keys(tmp_path / "nowhere")


def test_a_keyring_needs_the_gateways_public_key(tmp_path: Path) -> None:
    generate(tmp_path, ("orders",))
    with pytest.raises(KeyMaterialError, match="no public key of the gateway"):
        load_keyring(
            service="orders",
            signing_key_file=tmp_path / "orders.key",
            public_keys_dir=tmp_path / "public",
        )
