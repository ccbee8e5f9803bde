"""Read a config file into a Config, or raise ConfigError naming every problem.

The file is composed into YAML nodes rather than loaded into Python objects:
nodes keep their line numbers and their source text (so an unquoted 18:00,
which YAML 1.1 reads as the number 1080, can still be taken as a time), and
only plain scalars are ever constructed, with PyYAML's safe constructor.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeGuard

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from breakd.config.model import Config, config_from_values
from breakd.config.schema import (
    KEYS,
    KEYS_BY_PATH,
    Key,
    children,
    default_value,
    parse_clock,
    render_default,
    top_section,
)
from breakd.core.durations import MAX_DURATION, DurationError, format_duration, parse_duration
from breakd.errors import ConfigError, ConfigProblem
from breakd.regular_file import FileRefused, MiB, read_regular_file

_TAG = "tag:yaml.org,2002:"
STR, INT, FLOAT, BOOL, NULL = (_TAG + name for name in ("str", "int", "float", "bool", "null"))
MAP, SEQ, MERGE = _TAG + "map", _TAG + "seq", _TAG + "merge"
_SAFE_TAGS = frozenset(tag for tag in SafeConstructor.yaml_constructors if tag is not None)
_INVALID: Any = object()
"""Stands in for a value that was reported, so its default is not filled in over it."""

_PLAIN_NUMBER = re.compile(r"^\+?[0-9]+(?:\.[0-9]*)?$")
_UNITS = {"s": 1, "m": 60, "h": 3600}
_SHOWN = 40
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's parser where PyYAML was built with it: the same nodes and marks, 7x faster."""
MAX_CONFIG_BYTES = 1 * MiB
"""Far more than any config; a larger file is a mistake, and would take long to check."""


def load_config(path: Path) -> Config:
    """The config in `path`; a file that cannot be read is a ConfigError like any other."""
    try:
        data = read_regular_file(path, MAX_CONFIG_BYTES)
    except FileNotFoundError:
        raise _single(str(path), None, "no such file") from None
    except FileRefused as error:
        raise _single(str(path), None, f"cannot read: {error}; expected a YAML file") from None
    except OSError as error:
        raise _single(str(path), None, f"cannot read: {error.strerror or error}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise _single(str(path), line, "not UTF-8 text") from None
    return replace(load_config_text(text, str(path)), source=path)


def load_config_text(text: str, filename: str) -> Config:
    """The config in `text`; `filename` only appears in problems."""
    reader = _Reader(filename)
    values = reader.read(text)
    if reader.problems:
        raise ConfigError(sorted(reader.problems, key=lambda problem: problem.line or 0))
    return config_from_values(values)


def _single(filename: str, line: int | None, message: str) -> ConfigError:
    return ConfigError([ConfigProblem(filename, line, None, message)])


class _Reader:
    """One pass over the node tree that converts what is valid and notes what is not."""

    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.problems: list[ConfigProblem] = []
        self.values: dict[str, Any] = {}
        self.lines: dict[str, int] = {}
        self._constructor = SafeConstructor()

    def read(self, text: str) -> dict[str, Any]:
        root = self._compose(text)
        if root is not None and self._tag_ok(None, root) and not _is_null(root):
            if _is_mapping(root):
                self._mapping(root, "")
            else:
                found = _describe(root)
                self._note(
                    None,
                    root,
                    f"expected a mapping of sections at the top level, like"
                    f' "sitting:" on a line of its own; found {found}',
                )
        self._fill_defaults()
        self._check_hours()
        return self.values

    def _compose(self, text: str) -> Node | None:
        try:
            return yaml.compose(text, Loader=_LOADER)
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            line = None if mark is None else mark.line + 1
            problem = error.problem or error.context or "cannot be parsed"
            self._add(line, None, f"invalid YAML: {problem}")
        except yaml.reader.ReaderError as error:
            line = text.count("\n", 0, error.position) + 1
            self._add(line, None, f"invalid YAML: character {error.character!r} is not allowed")
        except yaml.YAMLError as error:
            self._add(None, None, f"invalid YAML: {error}")
        except RecursionError:
            self._add(None, None, "invalid YAML: nested too deeply")
        return None

    # -- problems ---------------------------------------------------------

    def _add(self, line: int | None, key: str | None, message: str) -> None:
        self.problems.append(ConfigProblem(self.filename, line, key, message))

    def _still_shown(self) -> bool:
        """Whether the next problem will be shown: past that, no costly did-you-mean."""
        return len(self.problems) < ConfigError.SHOWN

    def _note(self, key: str | None, node: Node, message: str) -> None:
        self._add(node.start_mark.line + 1, key, message)

    def _expected(self, key: str, node: Node, what: str) -> Any:
        self._note(key, node, f"expected {what}; found {_describe(node)}")
        return _INVALID

    def _tag_ok(self, key: str | None, node: Node) -> bool:
        """Refuse tags like !!python/object before anything could act on them."""
        if node.tag in _SAFE_TAGS:
            return True
        if node.tag == MERGE:
            self._note(key, node, "YAML merge keys (<<) are not supported; write the keys out")
        else:
            self._note(
                key,
                node,
                f"unsupported YAML tag {_short_tag(node.tag)};"
                " only plain values, lists and mappings are read",
            )
        return False

    # -- structure --------------------------------------------------------

    def _mapping(self, node: MappingNode, parent: str) -> None:
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            name = self._key_name(key_node, parent)
            if name is None:
                continue
            path = _join(parent, name)
            line = key_node.start_mark.line + 1
            if name in seen:
                self._note(
                    path,
                    key_node,
                    f'duplicate key "{name}"; it is already set on line {seen[name]}',
                )
                continue
            seen[name] = line
            self._key(KEYS_BY_PATH[path], value_node)

    def _key_name(self, node: Node, parent: str) -> str | None:
        """The key's name if the schema knows it here; otherwise note why not."""
        if not self._tag_ok(parent or None, node):
            return None
        if isinstance(node, ScalarNode) and node.tag == STR:
            key = KEYS_BY_PATH.get(_join(parent, node.value))
            if key is not None and key.parent == parent:
                return str(node.value)
        self._unknown_key(node, parent)
        return None

    def _unknown_key(self, node: Node, parent: str) -> None:
        if not isinstance(node, ScalarNode):
            self._note(parent or None, node, f"expected a key name; found {_describe(node)}")
            return
        name = str(node.value)
        if not self._still_shown():  # counted, never shown: no hint to work out
            self._note(parent or None, node, f"unknown key {_quote(name)}")
            return
        valid = [key.name for key in children(parent)]
        close = _close(name, valid)
        elsewhere = [key.parent for key in KEYS if key.name == name and key.parent != parent]
        if close:
            hint = f'did you mean "{close}"?'
        elif elsewhere:
            hint = f'it belongs under "{elsewhere[0]}"' if elsewhere[0] else "it belongs at the top"
        else:
            hint = f"valid keys here: {', '.join(valid)}"
        self._note(parent or None, node, f"unknown key {_quote(name)}; {hint}")

    def _key(self, key: Key, node: Node) -> None:
        if not self._tag_ok(key.path, node):
            self.values[key.path] = _INVALID
            return
        self.lines[key.path] = node.start_mark.line + 1
        if key.kind == "section":
            self.values[key.path] = self._section(key, node)
        elif key.kind in ("durations", "choices", "strings"):
            self.values[key.path] = self._list(key, node)
        else:
            self.values[key.path] = self._scalar(key, node, key.path)

    def _section(self, key: Key, node: Node) -> Any:
        if _is_null(node):
            return not key.optional
        if _is_mapping(node):
            self._mapping(node, key.path)
            return True
        names = ", ".join(child.name for child in children(key.path))
        nothing = " or nothing" if key.optional else ""
        return self._expected(key.path, node, f"a mapping with keys {names}{nothing}")

    def _list(self, key: Key, node: Node) -> Any:
        if not (isinstance(node, SequenceNode) and node.tag == SEQ):
            return self._expected(key.path, node, f"a list, like {render_default(key)}")
        if not node.value:
            if key.kind == "strings":
                return ()
            return self._expected(key.path, node, f"a non-empty list, like {render_default(key)}")
        items: list[Any] = []
        firsts: dict[Any, str] = {}
        for index, item in enumerate(node.value):
            path = f"{key.path}[{index}]"
            value = self._scalar(key, item, path) if self._tag_ok(path, item) else _INVALID
            if value is _INVALID:
                items.append(value)
            elif value in firsts:
                self._note(
                    path, item, f"{_describe(item)} repeats {firsts[value]}; list each only once"
                )
                items.append(_INVALID)
            else:
                firsts[value] = path
                items.append(value)
        return _INVALID if _INVALID in items else tuple(items)

    # -- values -----------------------------------------------------------

    def _scalar(self, key: Key, node: Node, path: str) -> Any:
        if key.kind in ("duration", "durations"):
            return self._duration(key, node, path)
        if key.kind in ("choice", "choices"):
            return self._choice(key, node, path)
        if key.kind == "bool":
            return self._bool(node, path)
        if key.kind == "strings":
            return self._text(node, path)
        return self._time(node, path)

    def _duration(self, key: Key, node: Node, path: str) -> Any:
        expected = 'a duration with a unit, like "45m", "20s" or "1h30m"'
        if not isinstance(node, ScalarNode) or node.tag not in (STR, INT, FLOAT):
            return self._expected(path, node, expected)
        if node.tag != STR:
            plain = _PLAIN_NUMBER.match(str(node.value)) is not None  # not 0x1F, 45:00 or 1e3
            suggestion = _with_unit(self._construct(node), _unit_of(key)) if plain else None
            hint = f'; did you mean "{suggestion}"?' if suggestion else ""
            self._note(path, node, f"expected {expected}; found {_describe(node)}{hint}")
            return _INVALID
        try:
            seconds = parse_duration(node.value)
        except DurationError as error:
            self._note(path, node, str(error))
            return _INVALID
        except ValueError:  # e.g. more digits than int() will convert
            return self._expected(path, node, expected)
        if not key.minimum <= seconds <= MAX_DURATION:
            low, high = format_duration(key.minimum), format_duration(MAX_DURATION)
            return self._expected(path, node, f"a duration from {low} to {high}")
        return seconds

    def _choice(self, key: Key, node: Node, path: str) -> Any:
        if isinstance(node, ScalarNode) and node.tag == STR and node.value in key.allowed:
            return str(node.value)
        expected = f"one of {', '.join(key.allowed)}"
        close = _close(str(node.value), key.allowed) if isinstance(node, ScalarNode) else None
        hint = f'; did you mean "{close}"?' if close else ""
        self._note(path, node, f"expected {expected}; found {_describe(node)}{hint}")
        return _INVALID

    def _bool(self, node: Node, path: str) -> Any:
        if isinstance(node, ScalarNode) and node.tag == BOOL:
            return bool(self._construct(node))
        quoted = isinstance(node, ScalarNode) and node.tag == STR
        unquote = quoted and str(node.value).lower() in ("true", "false")
        hint = "; write it without quotes" if unquote else ""
        self._note(path, node, f"expected true or false; found {_describe(node)}{hint}")
        return _INVALID

    def _text(self, node: Node, path: str) -> Any:
        """A name in a list: any non-empty text; a number or yes/no is most likely a slip."""
        if isinstance(node, ScalarNode) and node.tag == STR and node.value.strip():
            return str(node.value)
        return self._expected(
            path, node, 'a name, like "zoom" (quote it if it looks like a number)'
        )

    def _time(self, node: Node, path: str) -> Any:
        # Unquoted 18:00 is the YAML 1.1 integer 1080, but node.value keeps the text.
        if isinstance(node, ScalarNode) and node.tag in (STR, INT):
            clock = parse_clock(str(node.value))
            if clock is not None:
                return clock
        return self._expected(path, node, 'a 24-hour time as "HH:MM", like "08:00"')

    def _construct(self, node: ScalarNode) -> object:
        """The Python value of a number node, or None if PyYAML cannot make one."""
        try:
            return self._constructor.construct_object(node)
        except Exception:  # PyYAML raises assorted errors (e.g. int digit limits) on odd input
            return None

    # -- after the walk ---------------------------------------------------

    def _fill_defaults(self) -> None:
        for key in KEYS:
            if key.kind == "section":
                continue
            if top_section(key).optional and not self.values.get(top_section(key).path):
                continue
            self.values.setdefault(key.path, default_value(key))

    def _check_hours(self) -> None:
        """`from` and `to` must differ (a `to` before `from` is the next morning: a night
        shift); reported where `from` is, since that is usually the slip."""
        if not self.values.get("active_hours") or self.values["active_hours"] is _INVALID:
            return
        start, end = self.values["active_hours.from"], self.values["active_hours.to"]
        if start is _INVALID or end is _INVALID or start != end:
            return
        line = self.lines.get("active_hours.from") or self.lines.get("active_hours.to")
        to = "active_hours.to"
        if "active_hours.to" not in self.lines:
            to = "active_hours.to, which defaults to it"
        self._add(
            line or self.lines.get("active_hours"),
            "active_hours.from",
            f'"{start:%H:%M}" is the same time as {to}; to be reminded at any time, leave'
            " active_hours out",
        )


# -- helpers --------------------------------------------------------------


def _join(parent: str, name: str) -> str:
    return f"{parent}.{name}" if parent else name


def _is_null(node: Node) -> bool:
    return isinstance(node, ScalarNode) and node.tag == NULL


def _is_mapping(node: Node) -> TypeGuard[MappingNode]:
    return isinstance(node, MappingNode) and node.tag == MAP


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_TAG) :] if tag.startswith(_TAG) else tag


def _quote(text: str) -> str:
    """Text as a double-quoted string, cut short so a huge value cannot flood the message."""
    shown = text if len(text) <= _SHOWN else text[: _SHOWN - 3] + "..."
    return json.dumps(shown, ensure_ascii=False)


def _describe(node: Node) -> str:
    """What the YAML holds, as the user wrote it, with its kind."""
    if isinstance(node, SequenceNode) and node.tag == SEQ:
        return "a list" if node.value else "an empty list"
    if _is_mapping(node):
        return "a mapping"
    if not isinstance(node, ScalarNode):
        return f"a {_short_tag(node.tag)} collection"
    text = str(node.value)
    if node.tag == STR or (node.tag == INT and ":" in text):  # YAML 1.1 reads 24:00 as 1440
        return _quote(text)
    if not text.isprintable():  # a tagged quoted scalar ("!!int "1\n2""): keep it on one line
        return f"{_quote(text)} ({_short_tag(node.tag)})"
    if node.tag == NULL:
        return "nothing" if text in ("", "~") else f"{text} (nothing)"
    kinds = {
        INT: "a number",
        FLOAT: "a number",
        BOOL: "a yes/no value",
        _TAG + "timestamp": "a date",
    }
    shown = text if len(text) <= _SHOWN else text[: _SHOWN - 3] + "..."
    return f"{shown} ({kinds.get(node.tag, _short_tag(node.tag))})"


def _close(text: str, options: Sequence[str]) -> str | None:
    """The option the user most likely meant: same letters in another case, else a near spelling."""
    for option in options:
        if option.casefold() == text.casefold():
            return option
    import difflib  # only when there is a typo to correct: it is not small

    close = difflib.get_close_matches(text, options, n=1)
    return close[0] if close else None


def _unit_of(key: Key) -> str:
    """The unit the key's default is written in, to suggest it for a bare number."""
    default = key.default[0] if isinstance(key.default, tuple) else str(key.default)
    return default[-1]


def _with_unit(number: object, unit: str) -> str | None:
    """`number` read in `unit` as a duration text, if it is a sensible one."""
    if isinstance(number, bool) or not isinstance(number, (int, float)):
        return None
    if isinstance(number, float) and not math.isfinite(number):
        return None
    if number <= 0 or number * _UNITS[unit] > MAX_DURATION:
        return None
    if isinstance(number, int):
        return f"{number}{unit}"
    seconds = number * _UNITS[unit]
    return format_duration(seconds) if seconds == int(seconds) else None
