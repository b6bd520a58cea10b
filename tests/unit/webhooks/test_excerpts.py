"""What a receiver says becomes storable, bounded text before it reaches SQL."""

import gzip
import zlib

import pytest

from services.webhooks.adapters.sender import Result
from services.webhooks.domain.excerpts import (
    ERROR_CHARS,
    EXCERPT_BYTES,
    REPLACEMENT,
    Inflater,
    excerpt,
    text,
)


def _storable(value: str) -> bool:
    """What PostgreSQL text takes: valid UTF-8 without NUL."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return "\x00" not in value


@pytest.mark.parametrize(
    "raw",
    [
        b"ok\x00\x00then",
        b"\xff\xfe\xfa invalid utf-8 \xc3",
        b"\xed\xa0\x80 an encoded surrogate",
        b"\x1b[2J\x1b[31mterminal escapes\x07",
        bytes(range(256)),
    ],
)
def test_any_bytes_become_storable_text(raw: bytes) -> None:
    made = excerpt(raw)
    assert _storable(made)
    assert "\x00" not in made and "\x1b" not in made


def test_nul_and_invalid_utf8_are_replaced_not_dropped() -> None:
    assert excerpt(b"a\x00b\xffc") == f"a{REPLACEMENT}b{REPLACEMENT}c"
    assert excerpt(b"tab\tand\nnewlines\r\n") == "tab\tand\nnewlines\r\n"


def test_an_excerpt_is_capped() -> None:
    assert len(excerpt(b"x" * (10 * 1024 * 1024))) == EXCERPT_BYTES
    assert len(text("y" * 10_000, limit=ERROR_CHARS)) == ERROR_CHARS


def test_lone_surrogates_in_text_are_replaced() -> None:
    made = text("bad \udc80 surrogate", limit=100)
    assert _storable(made) and REPLACEMENT in made


def test_every_result_is_storable_however_it_was_made() -> None:
    result = Result(
        status=500, duration_ms=1, body="nul\x00" * 5000, error="quoted \x00 \udcff" * 100
    )
    assert result.body is not None and result.error is not None
    assert _storable(result.body) and len(result.body) <= EXCERPT_BYTES
    assert _storable(result.error) and len(result.error) <= ERROR_CHARS


def test_a_2xx_whose_answer_failed_is_not_a_success() -> None:
    assert Result(status=200, duration_ms=1, body="", error=None).ok
    assert not Result(status=200, duration_ms=1, body="", error="the answer broke off").ok


def test_a_gzip_bomb_inflates_only_to_the_excerpt() -> None:
    bomb = gzip.compress(b"\x00" * (8 * 1024 * 1024), compresslevel=1)  # 8 MB of NULs
    inflater = Inflater("gzip")
    for start in range(0, len(bomb), 4096):
        inflater.feed(bomb[start : start + 4096])
        if inflater.full:
            break
    assert len(inflater.out) == EXCERPT_BYTES
    assert _storable(inflater.excerpt())


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "GZIP"])
def test_compressed_answers_are_decoded(encoding: str) -> None:
    data = (
        gzip.compress(b"hello there")
        if encoding.lower() == "gzip"
        else zlib.compress(b"hello there")
    )
    inflater = Inflater(encoding)
    inflater.feed(data)
    assert inflater.excerpt() == "hello there"


def test_undecodable_or_unknown_encodings_say_so() -> None:
    broken = Inflater("gzip")
    broken.feed(b"this is not gzip")
    assert "does not decode" in broken.excerpt() and broken.full
    unknown = Inflater("br")
    unknown.feed(b"\x1b\x00")
    assert "'br'" in unknown.excerpt() and _storable(unknown.excerpt())
