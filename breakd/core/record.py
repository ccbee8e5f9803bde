"""`@record`: a frozen dataclass whose comparison, hash, repr and freezing are shared.

`@dataclass(frozen=True)` writes and compiles `__eq__`, `__hash__`, `__repr__`,
`__setattr__` and `__delattr__` for every class. breakd has some sixty such
classes (events, effects, settings, config sections), and those generated methods
were a third of a MiB of the idle daemon's memory (docs/footprint.md). A record is
the same dataclass, with the same behaviour, but those five methods are the same
functions for every class: equality only with an instance of the very same class,
over the fields that compare; the hash of those fields; `Name(field=value, ...)`;
FrozenInstanceError on assigning or deleting an attribute. Only `__init__` is still
generated per class. A class derived from a record is frozen whole: make it a record.
"""

from __future__ import annotations

import reprlib
import sys
from dataclasses import FrozenInstanceError, dataclass, fields
from typing import Any, TypeVar

if sys.version_info >= (3, 11):  # tells type checkers that a record is a frozen dataclass
    from typing import dataclass_transform
else:

    def dataclass_transform(**_: object) -> Any:
        return lambda decorator: decorator


_T = TypeVar("_T")
_MISSING = object()


def _compared(self: object) -> tuple[Any, ...]:
    return tuple(getattr(self, field.name) for field in fields(self) if field.compare)  # type: ignore[arg-type]


def _eq(self: object, other: object) -> bool:
    if other.__class__ is self.__class__:
        return _compared(self) == _compared(other)
    return NotImplemented


def _hash(self: object) -> int:
    return hash(
        tuple(
            getattr(self, field.name)
            for field in fields(self)  # type: ignore[arg-type]
            if (field.compare if field.hash is None else field.hash)
        )
    )


@reprlib.recursive_repr()
def _repr(self: object) -> str:
    shown = ", ".join(
        f"{field.name}={getattr(self, field.name)!r}"
        for field in fields(self)  # type: ignore[arg-type]
        if field.repr
    )
    return f"{self.__class__.__qualname__}({shown})"


def _setattr(self: object, name: str, value: object) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _delattr(self: object, name: str) -> None:
    raise FrozenInstanceError(f"cannot delete field {name!r}")


@dataclass_transform(frozen_default=True)
def record(cls: type[_T]) -> type[_T]:
    """`cls` as `@dataclass(frozen=True)` would make it, with the shared methods.

    As with a dataclass, an `__eq__`, `__hash__` or `__repr__` written in the class
    body is kept (a body with `__eq__` and no `__hash__` gets the shared hash).
    """
    own = set(cls.__dict__)
    own_hash = cls.__dict__.get("__hash__", _MISSING)
    cls = dataclass(frozen=True, eq=False, repr=False)(cls)
    cls.__setattr__ = _setattr  # type: ignore[assignment]
    cls.__delattr__ = _delattr  # type: ignore[assignment]
    if "__repr__" not in own:
        cls.__repr__ = _repr  # type: ignore[assignment]
    if "__eq__" not in own:
        cls.__eq__ = _eq  # type: ignore[assignment]
    if own_hash is _MISSING or (own_hash is None and "__eq__" in own):  # as dataclass decides
        cls.__hash__ = _hash  # type: ignore[assignment]
    return cls
