"""Config files to fuzz the loader with: YAML-ish text, and well-formed YAML
documents that follow the schema's shape with random values, keys and nesting."""

from __future__ import annotations

from typing import Any

import yaml
from hypothesis import strategies as st

from breakd.config.schema import KEYS_BY_PATH, Key, children

_DURATION_TEXT = st.one_of(
    st.sampled_from(["45m", "20s", "1h30m", "0s", "24h", "24h1s", "1.5h", "-5m", "5 m", "m", "5"]),
    st.builds(
        lambda number, unit: f"{number}{unit}",
        st.integers(-10, 10**12),
        st.sampled_from(["s", "m", "h", "d", "", "ms", "S", "min"]),
    ),
)
_TIME_TEXT = st.one_of(
    st.sampled_from(["08:00", "18:00", "00:00", "23:59", "24:00", "8:00", "08:60", "noon"]),
    st.builds(lambda h, m: f"{h:02d}:{m:02d}", st.integers(0, 30), st.integers(0, 70)),
)
_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    _DURATION_TEXT,
    _TIME_TEXT,
)
ANY_VALUE: st.SearchStrategy[Any] = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.text(max_size=12), st.integers()), inner, max_size=4),
    ),
    max_leaves=12,
)
ODD_KEYS = st.one_of(st.text(max_size=20), st.integers(), st.booleans(), st.none())


def value_for(key: Key) -> st.SearchStrategy[Any]:
    """Values of the key's own kind, mostly plausible, sometimes not; or anything at all."""
    allowed = st.sampled_from(key.allowed) if key.allowed else st.text(max_size=10)
    by_kind: dict[str, st.SearchStrategy[Any]] = {
        "section": st.deferred(lambda: section(key.path)),
        "duration": _DURATION_TEXT,
        "durations": st.lists(_DURATION_TEXT, max_size=5),
        "choice": st.one_of(allowed, st.text(max_size=10)),
        "choices": st.lists(st.one_of(allowed, st.text(max_size=10)), max_size=8),
        "time": _TIME_TEXT,
        "bool": st.one_of(st.booleans(), st.sampled_from(["true", "yes", "on", "1"])),
        "strings": st.lists(st.one_of(st.text(max_size=15), st.integers()), max_size=4),
    }
    return st.one_of(by_kind[key.kind], by_kind[key.kind], ANY_VALUE)


@st.composite
def section(draw: st.DrawFn, parent: str = "") -> dict[Any, Any]:
    """A mapping of some of the keys that belong under `parent`, plus a few that do not."""
    names = [key.name for key in children(parent)]
    document: dict[Any, Any] = {}
    for name in draw(st.lists(st.sampled_from(names), unique=True, max_size=len(names))):
        path = f"{parent}.{name}" if parent else name
        document[name] = draw(value_for(KEYS_BY_PATH[path]))
    for key in draw(st.lists(ODD_KEYS, max_size=2)):
        document.setdefault(key, draw(ANY_VALUE))
    return document


DOCUMENTS = st.one_of(section(), ANY_VALUE)


@st.composite
def yaml_documents(draw: st.DrawFn) -> str:
    document = draw(DOCUMENTS)
    style = draw(st.sampled_from([False, True, None]))
    return yaml.safe_dump(
        document, default_flow_style=style, allow_unicode=draw(st.booleans()), sort_keys=False
    )


_KEY_WORDS = [key.name for key in KEYS_BY_PATH.values()] + ["<<", "? x", "- ", "x", "from"]
_TOKENS = st.one_of(
    st.sampled_from(_KEY_WORDS),
    st.sampled_from(list(":-[]{},|>'\"#~\\\t")),
    st.sampled_from([": ", "- ", "&a ", "*a", "!x ", "%YAML 1.1", "---", "...", "\\n"]),
    st.sampled_from(["!!str ", "!!int ", "!!float ", "!!null ", "!!bool ", "!!binary "]),
    st.sampled_from(["!!python/object:os.system ", "null", "yes", "0x1F", "1e3", ".nan"]),
    _DURATION_TEXT,
    _TIME_TEXT,
    st.text(max_size=8),
)
_LINES = st.builds(
    lambda indent, tokens: " " * indent + "".join(tokens),
    st.integers(0, 8),
    st.lists(_TOKENS, max_size=6),
)
YAML_ISH = st.one_of(
    st.lists(_LINES, max_size=25).map("\n".join),
    st.text(max_size=200),
)
"""Text that looks like a config file to a greater or lesser degree."""
