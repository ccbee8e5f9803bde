"""`@record` behaves as `@dataclass(frozen=True)`, and breakd declares frozen dataclasses with it."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import FrozenInstanceError, dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import pytest

from breakd.core.record import record

BREAKD = Path(__file__).resolve().parents[2] / "breakd"


def both(make: Any) -> list[type]:
    """The class `make` builds, once as a frozen dataclass and once as a record."""
    return [make(dataclass(frozen=True)), make(record)]


def _sample(decorate: Any) -> type:
    @decorate
    class Sample:
        """A doc."""

        number: int
        names: frozenset[str] = frozenset()
        hidden: tuple[int, ...] = field(default=(), compare=False, repr=False)
        kind: ClassVar[str] = "sample"

    return Sample


def _empty(decorate: Any) -> type:
    @decorate
    class Empty:
        pass

    return Empty


def _own_eq(decorate: Any) -> type:
    @decorate
    class OwnEq:
        number: int

        def __eq__(self, other: object) -> bool:
            return True

    return OwnEq


def outcome(action: Any) -> object:
    try:
        return action()
    except Exception as error:
        return (type(error), str(error))


@pytest.mark.parametrize("make", [_sample, _empty, _own_eq])
def test_a_record_behaves_as_a_frozen_dataclass(make: Any) -> None:
    seen = []
    for cls in both(make):
        names = [each.name for each in dataclasses.fields(cls)]
        values = dict(zip(names, (1, frozenset({"a"})), strict=False))
        one, same = cls(**values), cls(**values)
        seen.append(
            (
                repr(one),
                one == same,
                one != same,
                one == object(),
                cls.__eq__(one, 1),
                None if cls.__hash__ is None else hash(one),
                names,
                cls.__match_args__,
                repr(dataclasses.replace(one)),
                outcome(lambda one=one: setattr(one, "number", 2)),
                outcome(lambda one=one: setattr(one, "new", 2)),
                outcome(lambda one=one: delattr(one, "number")),
                cls.__doc__,
            )
        )
    dataclass_made, record_made = seen
    assert record_made == dataclass_made
    assert record_made[-4][0] is FrozenInstanceError


def test_breakd_declares_frozen_dataclasses_as_records() -> None:
    """Each `@dataclass(frozen=True)` compiles five methods of its own; records share them
    (docs/footprint.md), so a new frozen dataclass must not bring them back."""
    pattern = re.compile(r"dataclass\([^)]*frozen=True")
    offenders = [
        str(path.relative_to(BREAKD))
        for path in BREAKD.rglob("*.py")
        if path.name != "record.py" and pattern.search(path.read_text())
    ]
    assert offenders == []
