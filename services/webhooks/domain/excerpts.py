"""What a receiver said, made storable: anything a receiver sends reaches SQL only through
here. PostgreSQL `text` holds neither NUL nor invalid UTF-8 (a lone surrogate cannot even be
encoded), and an unbounded string would let one receiver bloat the attempt log; so bytes are
decoded with replacement, NULs and other C0 controls but tab and newlines replaced, and the
result capped."""

import re
import zlib

EXCERPT_BYTES = 4 * 1024  # of a receiver's answer, in the attempt log
ERROR_CHARS = 500  # of an error message (which may quote what the receiver sent)
REPLACEMENT = "\ufffd"
_UNSTORABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|[\ud800-\udfff]")


def text(value: str, *, limit: int) -> str:
    """`value` with what PostgreSQL text cannot hold (NUL, lone surrogates) or a log reader
    should not see (terminal control characters) replaced, cut at `limit` characters."""
    return _UNSTORABLE.sub(REPLACEMENT, value[:limit])


def excerpt(data: bytes, *, limit: int = EXCERPT_BYTES) -> str:
    """The first `limit` bytes of an answer as storable text."""
    return text(data[:limit].decode("utf-8", errors="replace"), limit=limit)


class Inflater:
    """Decompresses at most `limit` bytes of a gzip or deflate answer, however much the
    compressed bytes would inflate to: a 10 KB gzip bomb of 10 GB never exists in memory.
    Anything else (br, zstd, an unknown coding) is not decoded; its excerpt says so."""

    def __init__(self, encoding: str, *, limit: int = EXCERPT_BYTES) -> None:
        self.encoding = encoding.strip().lower()
        self.limit = limit
        self.out = b""
        self.error: str | None = None
        # 32 + MAX_WBITS: a zlib or a gzip header, whichever comes (servers mix them up).
        self._inflater = (
            zlib.decompressobj(wbits=32 + zlib.MAX_WBITS)
            if self.encoding in ("gzip", "x-gzip", "deflate")
            else None
        )

    @property
    def identity(self) -> bool:
        return self.encoding in ("", "identity")

    @property
    def full(self) -> bool:
        return len(self.out) >= self.limit or self.error is not None

    def feed(self, chunk: bytes) -> None:
        if self.full:
            return
        if self.identity:
            self.out += chunk[: self.limit - len(self.out)]
            return
        if self._inflater is None:
            self.error = f"an answer in {self.encoding!r} encoding, not decoded"
            return
        try:
            self.out += self._inflater.decompress(chunk, self.limit - len(self.out))
        except zlib.error as exc:
            self.error = f"an answer in {self.encoding!r} encoding that does not decode ({exc})"

    def excerpt(self) -> str:
        if self.error is not None and not self.out:
            return f"[{self.error}]"
        return excerpt(self.out, limit=self.limit)
