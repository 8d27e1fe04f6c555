"""Turning typed results into JSON-ready data, and the output schema version."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Mapping
from typing import Any

SCHEMA_VERSION = 1
FLOAT_DIGITS = 6  # enough for any figure we report; keeps golden files stable across platforms


def to_jsonable(value: Any) -> Any:
    """Dataclasses, mappings and sequences to plain dicts/lists; floats rounded, NaN to None."""
    # A result holds thousands of small values (a 20 KB article: ~12,000): dispatch on the
    # exact type with one dict lookup, each type's conversion worked out once by _converter.
    convert = _CONVERTERS.get(type(value))
    if convert is None:
        convert = _CONVERTERS[type(value)] = _converter(type(value))
    return convert(value)


def _unchanged(value: Any) -> Any:
    return value


def _float(value: float) -> float | None:
    return round(value, FLOAT_DIGITS) if math.isfinite(value) else None


def _item(value: Any) -> Any:
    """``to_jsonable`` with its most common cases (str, int, float) handled in place."""
    kind = type(value)
    if kind is str or kind is int:
        return value
    if kind is float:
        return round(value, FLOAT_DIGITS) if math.isfinite(value) else None
    return to_jsonable(value)


def _sequence(value: Any) -> list[Any]:
    return [_item(v) for v in value]


def _mapping(value: Any) -> dict[str, Any]:
    return {k if type(k) is str else str(k): _item(v) for k, v in value.items()}


def _converter(cls: type) -> Callable[[Any], Any]:
    """How values of exactly ``cls`` become JSON-ready (the rules of ``to_jsonable``, in order)."""
    if dataclasses.is_dataclass(cls):
        if callable(getattr(cls, "to_dict", None)):
            return lambda value: to_jsonable(value.to_dict())
        names = tuple(f.name for f in dataclasses.fields(cls))
        return lambda value: {name: _item(getattr(value, name)) for name in names}
    if issubclass(cls, Mapping):
        return _mapping
    if issubclass(cls, (list, tuple)):
        return _sequence
    if issubclass(cls, float):
        return _float
    return _unchanged


_CONVERTERS: dict[type, Callable[[Any], Any]] = {
    str: _unchanged, int: _unchanged, bool: _unchanged, type(None): _unchanged,
    float: _float, list: _sequence, tuple: _sequence, dict: _mapping,
}  # fmt: skip
