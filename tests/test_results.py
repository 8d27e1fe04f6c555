"""to_jsonable: the rules every JSON record is built by."""
import math
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

from framing.results import FLOAT_DIGITS, to_jsonable


@dataclass(frozen=True)
class _Inner:
    score: float
    label: str


@dataclass(frozen=True)
class _Outer:
    inner: _Inner
    items: tuple
    table: dict


@dataclass(frozen=True)
class _Custom:
    hidden: float

    def to_dict(self):
        return {"shown": self.hidden * 2}


def test_nested_dataclasses_mappings_and_sequences_become_plain_data():
    value = _Outer(_Inner(1 / 3, "x"), (1, 2.5, [float("nan")]), {1: True, "k": None})
    assert to_jsonable(value) == {
        "inner": {"score": round(1 / 3, FLOAT_DIGITS), "label": "x"},
        "items": [1, 2.5, [None]],
        "table": {"1": True, "k": None},
    }


def test_floats_are_rounded_and_non_finite_ones_become_null():
    assert to_jsonable([0.1234567891, math.inf, -math.inf, math.nan]) == [0.123457, None, None, None]
    # numpy scalars are floats too (np.float64 subclasses float), bools stay bools
    assert to_jsonable({"p": np.float64(0.98765432), "b": True, "n": 3}) == {"p": 0.987654, "b": True, "n": 3}
    assert type(to_jsonable({"b": True})["b"]) is bool


def test_a_to_dict_method_wins_over_the_fields_and_mapping_proxies_are_mappings():
    assert to_jsonable(_Custom(0.25)) == {"shown": 0.5}
    assert to_jsonable(MappingProxyType({"a": (_Custom(1.0),)})) == {"a": [{"shown": 2.0}]}
