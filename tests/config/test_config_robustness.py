"""Whatever the file holds, loading ends in a Config or a ConfigError, never a traceback."""

from __future__ import annotations

import random

import pytest

from breakd.config.load import load_config_text
from breakd.config.schema import render_example
from breakd.errors import ConfigError

NASTY = [
    "\x00",
    "\ufeffsitting: {remind_after: 45m}",
    "sitting:\n\tremind_after: 45m\n",
    "a: b\n---\nc: d\n",
    "%YAML 9.9\n--- x\n",
    "%TAG ! tag:evil.example,2024:\n--- !x {}\n",
    "!!python/object/apply:os.system [echo pwned]",
    "sitting: !!python/object/new:os.system [echo pwned]\n",
    "sitting:\n  remind_after: !!python/name:os.system\n",
    "exercises:\n  enabled: [!!python/module:os]\n",
    "? [complex, key]\n: value\n",
    "? {a: 1}\n: value\n",
    "1: 2\nnull: 3\ntrue: 4\n",
    "x: &a [*a]\n",
    "sitting: &a {remind_after: *a}\n",
    "snooze: {choices: &c [*c]}\n",
    "a: *undefined\n",
    "[" * 600 + "]" * 600,
    "- " * 3000,
    "{a: " * 2000,
    "sitting:\n  remind_after: " + "9" * 5000 + "\n",
    'sitting:\n  remind_after: "' + "9" * 5000 + 's"\n',
    "sitting:\n  remind_after: " + "9" * 5000 + "s\n",
    "sitting:\n  remind_after: 1e999\n",
    "sitting:\n  remind_after: .nan\n",
    "sitting:\n  remind_after: -5\n",
    "sitting:\n  remind_after: 0x1F\n",
    "sitting:\n  remind_after: 45:00\n",
    "sitting:\n  remind_after: !!binary aGVsbG8=\n",
    "sitting:\n  remind_after: !!binary '*'\n",
    "sitting:\n  remind_after: !!int abc\n",
    "sitting:\n  remind_after: !!float abc\n",
    "sitting:\n  remind_after: !!timestamp nope\n",
    "active_hours:\n  from: 2024-13-45\n  to: 2024-02-30 25:61:61\n",
    "active_hours:\n  from: !!set {a, b}\n  days: !!omap [{a: 1}]\n",
    "active_hours:\n  days: !!pairs [[mon, 1]]\n",
    "language: !foo bar\n",
    "language: !<tag:yaml.org,2002:str> en\n",
    "log: {level: [info]}\n",
    "<<: [*a]\n",
    "'unterminated\n",
    "sitting: |\n  remind_after: 45m\n",
    "\r\n\r\nsitting:\r\n  remind_after: 45\r\n",
    "sitting:\u2028  remind_after: 45\n",
    "\x85\x85\x85",
]


@pytest.mark.parametrize("text", NASTY)
def test_nasty_input_gives_a_config_or_a_config_error(text: str) -> None:
    _load_or_config_error(text)


def test_mangled_example_files_give_a_config_or_a_config_error() -> None:
    """Random edits of a full config; seeded, so a failure is reproducible."""
    base = render_example().replace("# active_hours:", "active_hours:").replace("#   ", "  ")
    pieces = [
        ":",
        "- ",
        "[",
        "]",
        "{",
        "}",
        "&a ",
        "*a",
        "\t",
        "'",
        '"',
        "\n",
        "  ",
        "? ",
        "---\n",
        "!!python/object/apply:os.system ",
        "!x ",
        "<<: ",
        "~",
        "yes",
        "1e3",
    ]
    rng = random.Random(20240601)
    for _ in range(150):
        text = list(base)
        for _ in range(rng.randint(1, 5)):
            spot = rng.randrange(len(text) + 1)
            if rng.random() < 0.7:
                text.insert(spot, rng.choice(pieces))
            else:
                del text[spot : spot + rng.randint(1, 12)]
        _load_or_config_error("".join(text))


def test_a_tag_that_would_exit_the_process_does_not() -> None:
    with pytest.raises(ConfigError):
        load_config_text("!!python/object/apply:builtins.exit [3]\n", "config.yaml")


def _load_or_config_error(text: str) -> None:
    try:
        load_config_text(text, "config.yaml")
    except ConfigError as error:
        assert error.problems, "a ConfigError must name at least one problem"
        for problem in error.problems:
            assert problem.file == "config.yaml"
            assert problem.line is None or problem.line >= 1
            assert len(str(problem)) < 400, "a problem must fit on a terminal line or two"
