"""Whatever a config file holds, loading it gives a Config or a ConfigError whose
every problem names the file (and the line, where the file parses), never another
exception, and never more than the lines ConfigError promises to show."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from breakd.config.load import load_config_text
from breakd.config.model import Config
from breakd.core import commands
from breakd.errors import ConfigError
from breakd.ipc import protocol
from tests.fuzz.config_documents import YAML_ISH, yaml_documents
from tests.fuzz.daemon_thread import DaemonThread
from tests.fuzz.tally import Tally

FILENAME = "config.yaml"


def load(text: str) -> ConfigError | None:
    """The error loading `text` raises, None if it loads; fails on anything else."""
    try:
        config = load_config_text(text, FILENAME)
    except ConfigError as error:
        assert error.problems, "a ConfigError without problems"
        last_line = len(text.splitlines()) + 1
        for problem in error.problems:
            assert problem.file == FILENAME, problem
            assert problem.line is None or 1 <= problem.line <= last_line, (problem, last_line)
        lines = str(error).split("\n")
        assert len(lines) <= ConfigError.SHOWN + 1, len(lines)
        return error
    assert isinstance(config, Config)
    return None


def test_yaml_ish_text_loads_or_is_refused_with_its_problems() -> None:
    tally = Tally("config text")

    @given(YAML_ISH)
    @example("sitting: {remind_after: " * 300)
    @example("\x00")
    @example("a: *undefined")
    def check(text: str) -> None:
        tally.examples += 1
        tally.bad_inputs += load(text) is not None

    check()
    tally.save()


def test_structured_documents_load_or_are_refused_with_a_line_for_each_problem() -> None:
    tally = Tally("config documents")

    @given(yaml_documents())
    @example("sitting:\n  remind_after: 45m\nactive_hours: {from: '18:00', to: '08:00'}\n")
    def check(text: str) -> None:
        tally.examples += 1
        error = load(text)
        if error is None:
            return
        tally.bad_inputs += 1
        for problem in error.problems:
            assert problem.line is not None, problem

    check()
    tally.save()


def test_a_daemon_reloading_any_config_keeps_answering(tmp_path: Path) -> None:
    """SIGHUP with whatever the file holds: the new config, or the old one kept."""
    tally = Tally("config reload (daemon)")
    with DaemonThread(tmp_path) as running:
        d = running.daemon
        d.guard.expected += ["config reload failed", str(d.config_file)]

        async def reload() -> None:
            assert d.daemon is not None
            d.daemon.reload()
            await d.settle()

        @given(st.one_of(YAML_ISH, yaml_documents()))
        def check(text: str) -> None:
            tally.examples += 1
            tally.bad_inputs += load(text) is not None
            d.config_file.write_text(text, encoding="utf-8")
            running.run(reload())
            reply = running.exchange(protocol.request(commands.STATUS))
            assert reply["ok"] is True, reply
            assert running.new_errors() == [], text

        check()
    tally.save()


MULTILINE = "snooze:\n  choices: [" + ", ".join(f'!!int "{n}\\n{n}"' for n in range(60)) + "]\n"
"""Numbers written as quoted text with a line break inside: each is one problem."""


def test_each_problem_is_one_line_even_for_a_tagged_scalar_with_a_line_break() -> None:
    with pytest.raises(ConfigError) as raised:
        load_config_text(MULTILINE, FILENAME)
    assert all("\n" not in str(problem) for problem in raised.value.problems)
    assert len(str(raised.value).split("\n")) <= ConfigError.SHOWN + 1
