import pytest
from cryptography.fernet import Fernet

from libs.common.sealing import SecretBox


def test_a_rotation_seals_with_the_newest_key_and_opens_with_any() -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    sealed_before = SecretBox(old).seal_bytes(b'{"secret":"whsec_x"}')
    rotated = SecretBox(f"{new}, {old}")
    assert rotated.open_bytes(sealed_before) == b'{"secret":"whsec_x"}'
    sealed_after = rotated.seal_bytes(b"later")
    assert SecretBox(new).open_bytes(sealed_after) == b"later"
    with pytest.raises(RuntimeError) as caught:
        SecretBox(old).open_bytes(sealed_after)
    assert "later" not in str(caught.value)


def test_anything_but_fernet_keys_is_refused() -> None:
    for keys in ("", " , ", "not-a-key", f"{Fernet.generate_key().decode()},short"):
        with pytest.raises(ValueError):
            SecretBox(keys)
