"""The request side of the auto-pipeline: RESP as Redis reads it (arrays of bulk strings)."""

import asyncio

import pytest

from services.gateway.adapters.pipelining import Script, _pack


def _call(script: Script, *arguments: object) -> tuple[Script, tuple[object, ...], object]:
    return (script, arguments, asyncio.Future)


def test_each_call_is_an_evalsha_array_of_bulk_strings() -> None:
    script = Script("return 1")
    packed = _pack([_call(script, 1, "stacknex:ratelimit:org_a:live", 360000, 10000)])  # type: ignore[list-item]
    assert packed == (
        b"*6\r\n$7\r\nEVALSHA\r\n$40\r\n" + script.sha.encode() + b"\r\n"
        b"$1\r\n1\r\n$29\r\nstacknex:ratelimit:org_a:live\r\n$6\r\n360000\r\n$5\r\n10000\r\n"
    )


def test_calls_follow_one_another_and_non_ascii_counts_bytes() -> None:
    script = Script("return 1")
    one = _pack([_call(script, 1, "é")])  # type: ignore[list-item]
    assert b"$2\r\n\xc3\xa9\r\n" in one
    assert _pack([_call(script, 0), _call(script, 0)]) == _pack([_call(script, 0)]) * 2  # type: ignore[list-item]


@pytest.mark.parametrize("argument", [True, 1.5, None])
def test_an_argument_redis_would_read_differently_is_refused(argument: object) -> None:
    with pytest.raises(TypeError):
        _pack([_call(Script("return 1"), 0, argument)])  # type: ignore[list-item]
