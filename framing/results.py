"""Turning typed results into JSON-ready data, and the output schema version."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from typing import Any

SCHEMA_VERSION = 1
FLOAT_DIGITS = 6  # enough for any figure we report; keeps golden files stable across platforms


def to_jsonable(value: Any) -> Any:
    """Dataclasses, mappings and sequences to plain dicts/lists; floats rounded, NaN to None."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        to_dict = getattr(value, "to_dict", None)
        if callable(to_dict):
            return to_jsonable(to_dict())
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, float):
        return None if not math.isfinite(value) else round(value, FLOAT_DIGITS)
    return value
