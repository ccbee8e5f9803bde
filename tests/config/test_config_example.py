"""config.example.yaml must load cleanly and document every schema key with its default."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import time
from pathlib import Path

import yaml

from breakd.config.load import load_config, load_config_text
from breakd.config.model import DEFAULT_CONFIG, ActiveHoursConfig
from breakd.config.schema import KEYS, render_example

EXAMPLE = Path(__file__).resolve().parents[2] / "config.example.yaml"
_KEY_LINE = re.compile(r"^(?P<indent> *)(?P<name>[a-z_]+):")


def _uncomment_optional_sections(text: str) -> str:
    """The example with the commented-out optional sections (active_hours) switched on."""
    names = [key.name for key in KEYS if key.kind == "section" and key.optional]
    out: list[str] = []
    inside = False
    for line in text.splitlines():
        if any(line == f"# {name}:" for name in names):
            inside = True
        elif inside and not line.startswith("# "):
            inside = False
        out.append(line[2:] if inside else line)
    return "\n".join(out) + "\n"


def _documented_keys(text: str) -> dict[str, tuple[str, str]]:
    """Dotted path -> (joined comment lines right above the key, the text after the colon)."""
    found: dict[str, tuple[str, str]] = {}
    parents: list[str] = []
    comments: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("#"):
            comments.append(stripped.lstrip("#").strip())
            continue
        match = _KEY_LINE.match(line)
        if match is not None:
            depth = len(match["indent"]) // 2
            parents = [*parents[:depth], match["name"]]
            value = line[match.end() :].strip()
            found[".".join(parents)] = (" ".join(comments), value)
        comments = []
    return found


def test_example_is_rendered_from_the_schema() -> None:
    assert EXAMPLE.read_text(encoding="utf-8") == render_example(), (
        "config.example.yaml is out of date; regenerate it from breakd.config.schema.render_example"
    )


def test_example_loads_to_the_defaults_and_leaves_active_hours_off() -> None:
    config = load_config(EXAMPLE)

    assert config == replace(DEFAULT_CONFIG, source=EXAMPLE)
    assert config.active_hours is None


def test_example_documents_every_key_with_its_doc_and_default() -> None:
    documented = _documented_keys(_uncomment_optional_sections(EXAMPLE.read_text("utf-8")))

    assert set(documented) == {key.path for key in KEYS}
    for key in KEYS:
        comment, value = documented[key.path]
        assert key.doc in comment, key.path
        if key.kind != "section":
            assert yaml.safe_load(value) == (
                list(key.default) if isinstance(key.default, tuple) else key.default
            ), key.path


def test_example_active_hours_block_is_commented_out_and_loads_to_its_defaults() -> None:
    text = EXAMPLE.read_text("utf-8")
    assert "\n# active_hours:\n" in text
    assert "\nactive_hours:" not in text

    config = load_config_text(_uncomment_optional_sections(text), "example")

    assert config.active_hours == ActiveHoursConfig(
        days=("mon", "tue", "wed", "thu", "fri"),
        from_=time(8, 0),
        to=time(18, 0),
    )
    assert replace(config, active_hours=None) == DEFAULT_CONFIG


def test_example_ends_with_exactly_one_newline() -> None:
    assert render_example().endswith("\n") and not render_example().endswith("\n\n")
