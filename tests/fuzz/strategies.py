"""Generators of hostile input shared by the fuzz targets."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

from breakd.core import commands

EXTREME_NUMBERS = st.sampled_from(
    [0, -0.0, -1, 1, 86400, 86401, 2**63, -(2**63), 10**400, 1e308, -1e308, 5e-324, True, False]
)
NUMBERS = st.one_of(st.integers(), st.floats(), EXTREME_NUMBERS)
"""Floats include NaN and the infinities."""
SCALARS = st.one_of(st.none(), st.booleans(), NUMBERS, st.text(max_size=50))
JSON_VALUES: st.SearchStrategy[Any] = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5), st.dictionaries(st.text(max_size=10), inner, max_size=5)
    ),
    max_leaves=20,
)
"""Anything json.dumps writes (NaN and the infinities included, as Python's json does)."""

COMMAND_NAMES = st.one_of(
    st.sampled_from(list(commands.COMMANDS)),
    st.sampled_from(["", "STATUS", "snooze ", "remind_now", "__init__", "_snooze", "run"]),
    st.text(max_size=30),
)


def deep(depth: int, opener: str = "[", closer: str = "]") -> str:
    return opener * depth + closer * depth


def to_json(value: object) -> bytes:
    return json.dumps(value).encode()
