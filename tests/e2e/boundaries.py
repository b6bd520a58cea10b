"""Hypothesis strategies for a JSON schema's boundaries: values at and past each edge (the
largest and smallest numbers, huge and tiny floats, 2^31 and 2^63; the longest strings in
every Unicode general category, surrogates as JSON escapes, NUL, right-to-left marks,
emoji; the most items), field-aware for emails, URLs, event types and phones, and now and
then a wrong type or an unknown key. Used by test_properties.py."""

import json
import math
import re
import urllib.parse
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from libs.common.ids import new_id
from libs.contract.events import PUBLIC_EVENTS

# Every general category Python knows, surrogates included (sent as JSON escapes).
CATEGORIES = (
    "Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Mc", "Me", "Nd", "Nl", "No", "Pc", "Pd", "Ps", "Pe",
    "Pi", "Pf", "Po", "Sm", "Sc", "Sk", "So", "Zs", "Zl", "Zp", "Cc", "Cf", "Cs", "Co", "Cn",
)  # fmt: skip
# One character that fills a longest string: astral (two UTF-16 units), combining, RTL
# override, zero-width joiner, NUL, an emoji family, a CJK ideograph.
FILLERS = (
    "x",
    "\U0001d54f",
    "e\u0301",
    "\u202e",
    "\u200d",
    "\x00",
    "\U0001f468\u200d\U0001f469",
    "中",
)
INTS = (0, 1, -1, 2**31 - 1, 2**31, -(2**31) - 1, 2**53 + 1, 2**63, -(2**63) - 1, 10**20)
FLOATS = (0.0, -0.0, 5e-324, 1e-300, 0.001, 0.005, 1.005, 4.99, 1e15, 1e308, -1e308, 9.99e9)
DATES = (
    "0001-01-01T00:00:00Z",
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59-14:00",
    "9999-12-31T23:59:59Z",
    "2024-02-30T00:00:00Z",
    "2024-01-15T10:30:00",
    "1970-01-01T00:00:00.000000001Z",
    "2024-01-15",
)


def _wrong_type() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.none(),
        st.booleans(),
        st.sampled_from(INTS),
        st.sampled_from(FLOATS),
        st.text(max_size=3),
        st.just([]),
        st.just({}),
    )


# Storable text: every category but lone surrogates, and no NUL (both refused by design).
TAME = st.characters(
    categories=tuple(c for c in CATEGORIES if c != "Cs"),  # type: ignore[arg-type]
    exclude_characters="\x00",
)
HOSTILE = st.characters(categories=CATEGORIES)  # type: ignore[arg-type]


def _text(schema: dict[str, Any]) -> st.SearchStrategy[str]:
    """Storable text up to the longest allowed in any filler; now and then one past it,
    hostile (a surrogate, a NUL), or a classic of injection and LIKE patterns."""
    low, high = schema.get("minLength", 0), schema.get("maxLength", 300)

    def longest(extra: int) -> Any:
        return st.sampled_from(FILLERS).map(lambda filler: (filler * high)[: high + extra])

    return _mix(  # type: ignore[no-any-return]
        [
            st.text(TAME, min_size=max(low, 1), max_size=min(high, 40)),
            longest(0),
            st.sampled_from(("x" * max(low, 1), "'; DROP TABLE x;--", "%_\\", "a\u00a0")),
        ],
        [longest(1), st.text(HOSTILE, min_size=low, max_size=min(high, 10))],
    )


def _emails() -> st.SearchStrategy[str]:
    return st.one_of(
        st.emails(),
        st.sampled_from(
            (
                f"{'a' * 64}@{'b' * 63}.example.com",  # the longest local part and label
                "δοκιμή@παράδειγμα.δοκιμή",
                "user+tag@xn--bcher-kva.example",
                "no-at-sign",
                "a@b",
                f"{'a' * 300}@example.com",
            )
        ),
    )


def _urls(ids: dict[str, list[str]]) -> st.SearchStrategy[str]:
    base = ids["receiver"][0]
    # Malformed hosts (`https://a..example.com/`, 64-character labels) are left to the
    # delivery engine's brief (issue 12 §1), which makes each a 400 naming `url`.
    return st.one_of(
        st.just(base + "/edges"),
        st.text(TAME, max_size=30).map(lambda tail: base + "/" + urllib.parse.quote(tail)),
        st.just(base + "/" + "p" * (2048 - len(base) - 1)),  # the longest URL
        st.just(base + "/" + "p" * (2048 - len(base))),  # one past it
        st.sampled_from(("ftp://example.com/x", "https://", "not a url", "https://example.com")),
    )


FIELD_STRATEGIES: dict[str, Callable[[dict[str, list[str]]], st.SearchStrategy[Any]]] = {
    "email": lambda ids: _emails(),
    "url": _urls,
    "events": lambda ids: st.one_of(
        st.lists(st.sampled_from(sorted(PUBLIC_EVENTS)), min_size=1, unique=True),
        st.just(["*"]),
        st.just(sorted(PUBLIC_EVENTS) * 50),
        st.just([]),
        st.just(["order.*"]),
    ),
    "phone": lambda ids: st.one_of(
        st.from_regex(r"\A\+?[0-9 ()./-]{3,32}\Z"), st.sampled_from(("+", "1" * 33, "+١٢٣"))
    ),
}


def _mix(often: list[Any], rarely: list[Any]) -> Any:
    """Four in five draws from `often` (values at the edges inside the bounds, which reach
    the database), one in five from `rarely` (past the edges, refused at parsing)."""
    return st.sampled_from([*often] * 4 + [*rarely]).flatmap(lambda chosen: chosen)


def strategy(schema: dict[str, Any], defs: dict[str, Any], ids: dict[str, list[str]]) -> Any:
    """Values for a JSON schema at and past its edges (`_object` adds the wrong types)."""
    if "$ref" in schema:
        return strategy(defs[schema["$ref"].rsplit("/", 1)[1]], defs, ids)
    if "anyOf" in schema:
        options = [o for o in schema["anyOf"] if o.get("type") != "null"]
        return _mix([strategy(option, defs, ids) for option in options], [st.none()])
    kind = schema.get("type")
    if "enum" in schema:
        return _mix([st.sampled_from(schema["enum"])], [st.sampled_from(("", "PENDING", "*"))])
    if "pattern" in schema and re.match(r"^\^[a-z]+_\[", schema["pattern"]):
        prefix = schema["pattern"][1:].split("_", 1)[0]
        return _mix(
            [st.sampled_from(ids.get(prefix) or [new_id(prefix)])],
            [
                st.builds(lambda: new_id(prefix)),  # well-formed, unknown: a 400 or a 404
                st.sampled_from((f"{prefix}_", f"{prefix}_{'0' * 65}", "prod_abc", "x")),
            ],
        )
    if schema.get("format") == "date-time":
        return _mix(
            [st.datetimes().map(lambda d: d.isoformat() + "Z"), st.sampled_from(DATES)],
            [st.sampled_from(("2024-13-01T00:00:00Z", "yesterday", "10000-01-01T00:00:00Z"))],
        )
    if kind == "integer":
        low, high = schema.get("minimum", -(2**63)), schema.get("maximum", 2**63)
        inside = [i for i in INTS if low <= i <= high]
        return _mix(
            [st.sampled_from((low, high, *inside)), st.integers(min_value=low, max_value=high)],
            [st.sampled_from((low - 1, high + 1, *INTS)), st.sampled_from(FLOATS)],
        )
    if kind == "number":
        high = schema.get("maximum", 1e308)
        top = Decimal(str(min(high, 10**10)))
        cents = st.decimals(places=2, min_value=0, max_value=top).map(float)
        return _mix(
            [cents, st.sampled_from((0, 0.01, high, 4.99, 1.1, 1e-2))],
            [
                st.sampled_from((*FLOATS, high + 0.01, -0.01, 2**63, 10**20)),
                st.floats(allow_nan=True, allow_infinity=True),
            ],
        )
    if kind == "string":
        return _text(schema)
    if kind == "boolean":
        return _mix([st.booleans()], [st.sampled_from(("true", 1, 0))])
    if kind == "null":
        return st.none()
    if kind == "array":
        item = strategy(schema.get("items", {}), defs, ids)
        low, most = schema.get("minItems", 0), schema.get("maxItems", 20)
        return _mix(
            [
                st.lists(item, min_size=max(low, 1), max_size=min(most, 5)),
                item.flatmap(lambda one: st.just([one] * most)),  # the most items, all alike
            ],
            [item.flatmap(lambda one: st.just([one] * (most + 1))), st.just([])],
        )
    if kind == "object" and "properties" in schema:
        return object_of(schema, defs, ids)
    if kind == "object":  # metadata: string keys and values, bounded
        names = schema.get("propertyNames", {"maxLength": 40})
        values = schema.get("additionalProperties", {"maxLength": 500})
        most = schema.get("maxProperties", 50)
        widest = {f"{n:0{names.get('maxLength', 40)}d}": "v" * 500 for n in range(most)}
        return _mix(
            [st.dictionaries(_text(names), _text(values), max_size=5), st.just(widest)],
            [st.just({f"k{n}": "v" for n in range(most + 1)}), st.just({"k": 1})],
        )
    return _wrong_type()


def object_of(schema: dict[str, Any], defs: dict[str, Any], ids: dict[str, list[str]]) -> Any:
    required = set(schema.get("required", ()))
    fields = {
        name: FIELD_STRATEGIES[name](ids) if name in FIELD_STRATEGIES else strategy(sub, defs, ids)
        for name, sub in schema["properties"].items()
    }

    @st.composite
    def build(draw: Callable[..., Any]) -> dict[str, Any]:
        out = {}
        for name, values in fields.items():
            if name in required or draw(st.booleans()):
                # One field in twenty of another type: most examples get past the types
                # to the edges of the values, where the database is reached.
                wrong = draw(st.integers(0, 19)) == 0
                out[name] = draw(_wrong_type() if wrong else values)
        if draw(st.integers(0, 9)) == 0:
            out[draw(st.sampled_from(("unknownField", "", "\u202eid", "a" * 300)))] = 1
        return out

    return build()


def as_json(body: Any) -> bytes:
    # ensure_ascii: lone surrogates leave as \ud800 escapes, as a hostile client would send
    # them; non-finite floats as the NaN/Infinity tokens JSON does not have.
    return json.dumps(body, ensure_ascii=True, allow_nan=True).encode()


def as_query(values: dict[str, Any]) -> str:
    def text(value: Any) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, float) and not math.isfinite(value):
            return str(value)
        if isinstance(value, list | dict):
            return ",".join(map(str, value))
        return "" if value is None else str(value)

    return "&".join(
        f"{urllib.parse.quote(k)}="
        + urllib.parse.quote(text(v).encode("utf-8", "surrogatepass"), safe="")
        for k, v in values.items()
    )
