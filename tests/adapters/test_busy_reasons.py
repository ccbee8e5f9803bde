"""Busy reasons come from one table: the signals build them there and produce every kind in it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from breakd.core import busy_reasons
from breakd.core.busy_reasons import KINDS, reason

BUSY = Path(busy_reasons.__file__).parents[1] / "adapters" / "busy"


def trees() -> dict[str, ast.Module]:
    return {path.name: ast.parse(path.read_text()) for path in sorted(BUSY.glob("*.py"))}


def not_reasons(tree: ast.Module) -> set[int]:
    """Docstrings, and signal names ("fullscreen:x11" names a signal, it is no reason)."""
    return {
        id(node.value)
        for node in ast.walk(tree)
        if (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant))
        or (isinstance(node, ast.Assign) and [ast.unparse(t) for t in node.targets] == ["name"])
    }


def test_no_signal_writes_a_reason_by_hand() -> None:
    for name, tree in trees().items():
        skipped = not_reasons(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.JoinedStr) and node.values:
                node = node.values[0]
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if id(node) in skipped:
                    continue
                kind = node.value.split(":", 1)[0]
                assert not (":" in node.value and kind in KINDS), (name, node.value)


def kinds_named(tree: ast.Module) -> set[str]:
    """The kinds a module names: imported from busy_reasons, or as busy_reasons.KIND."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == busy_reasons.__name__:
            names.update(alias.name for alias in node.names)
        elif (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "busy_reasons"
        ):
            names.add(node.attr)
    values = {getattr(busy_reasons, name) for name in names}
    return {value for value in values if isinstance(value, str) and value in KINDS}


def test_every_kind_is_produced_by_a_signal() -> None:
    produced = set().union(*(kinds_named(tree) for tree in trees().values()))
    assert produced == KINDS


@pytest.mark.parametrize(
    ("reasons", "kinds"),
    [
        ({"camera:zoom", "dnd:dunst"}, {"camera", "dnd"}),
        ({"meeting:org.gnome.Shell:screencast"}, {"meeting"}),
        (set(), set()),
    ],
)
def test_kinds_are_what_comes_before_the_first_colon(reasons: set[str], kinds: set[str]) -> None:
    assert busy_reasons.kinds(reasons) == kinds


def test_a_reason_is_its_kind_and_its_source() -> None:
    assert reason(busy_reasons.MICROPHONE, "firefox") == "microphone:firefox"
