"""One command table: a command missing from the CLI, the control surface or the core fails here."""

from __future__ import annotations

import argparse
from typing import get_args

from breakd.cli_parser import build_parser
from breakd.control import Control
from breakd.core.commands import COMMANDS, STATUS
from breakd.core.events import Command


class NoDaemon:
    """Control only reads its handlers here; nothing is ever run."""


def test_every_command_has_a_control_handler_and_every_handler_a_command() -> None:
    assert Control(NoDaemon()).handled == set(COMMANDS)  # type: ignore[arg-type]


def test_every_command_but_status_is_one_core_event_and_every_event_a_command() -> None:
    named = [event.command for event in get_args(Command)]
    assert sorted(named) == sorted(set(COMMANDS) - {STATUS})


def subcommands() -> dict[str, argparse.ArgumentParser]:
    actions = [a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(actions[0].choices)


def test_the_cli_offers_every_command_with_its_help_and_duration() -> None:
    offered = subcommands()
    for spec in COMMANDS.values():
        parser = offered[spec.name]
        assert parser.description is not None
        assert parser.description.lower() == f"{spec.summary.lower()}."
        arguments = {action.dest for action in parser._actions}
        assert ("duration" in arguments) == (spec.duration_default is not None), spec.name
    local = {"run", "exercises", "config", "doctor", "autostart", "stats"}  # need no daemon
    assert set(offered) - set(COMMANDS) == local
    durations = {spec.name for spec in COMMANDS.values() if spec.duration_default is not None}
    assert durations == {"snooze", "pause"}
