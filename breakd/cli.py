"""The `breakd` command: reads the arguments, runs the command, each error one line and an exit code.

Client commands import only the socket client; the daemon, the config loader
and YAML are imported by the subcommands that need them, so that
`breakd status` costs little more than starting Python.
"""

from __future__ import annotations

import sys
from types import SimpleNamespace

from breakd.core.commands import COMMANDS, GUIDE, STATUS
from breakd.errors import BreakdError, UsageError

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing only: importing breakd.ipc.status would import the core
    import argparse

    from breakd.ipc.status import StatusReply


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        return _dispatch(_plain_command(argv) or _parse(argv))
    except BreakdError as error:
        for line in str(error).splitlines() or [type(error).__name__]:
            print(f"breakd: {line}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        return 130


def _parse(argv: list[str]) -> argparse.Namespace:
    from breakd.cli_parser import build_parser

    return build_parser().parse_args(argv)


def _plain_command(argv: list[str]) -> argparse.Namespace | None:
    """`status`, `snooze 10m`, `--config PATH run` and the like, read without argparse:
    most calls are these, and the parser's gettext lookups cost as much as the rest of
    `breakd status` (and 0.4 MiB for good in the daemon). Anything else (other options,
    help, mistakes) goes to argparse, and a test holds both to the same reading."""
    config = None
    if len(argv) >= 2 and argv[0] == "--config" and not argv[1].startswith("-"):
        config, argv = argv[1], argv[2:]
    if argv == ["run"]:
        return SimpleNamespace(command="run", config=config)  # type: ignore[return-value]
    if not argv or argv[0] not in COMMANDS:
        return None
    command, rest = argv[0], argv[1:]
    if command == STATUS:
        if rest not in ([], ["--json"]):
            return None
        return SimpleNamespace(command=command, config=config, json=bool(rest))  # type: ignore[return-value]
    if COMMANDS[command].exercise:
        if len(rest) > 1 or (rest and rest[0].startswith("-")):
            return None
        exercise = rest[0] if rest else None
        return SimpleNamespace(command=command, config=config, exercise=exercise)  # type: ignore[return-value]
    takes_duration = COMMANDS[command].duration_default is not None
    if rest and not (takes_duration and len(rest) == 1 and not rest[0].startswith("-")):
        return None
    if not takes_duration:
        return SimpleNamespace(command=command, config=config)  # type: ignore[return-value]
    duration = rest[0] if rest else None
    return SimpleNamespace(command=command, config=config, duration=duration)  # type: ignore[return-value]


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "run":
        from breakd.composition import run_daemon

        return run_daemon(args.config)
    if args.command == "exercises":
        from breakd.local_commands import print_exercises

        return print_exercises(args.config, args.language)
    if args.command == "config":
        from breakd.local_commands import check_config, print_config_path

        if args.config_command == "path":
            return print_config_path(args.config)
        return check_config(args.path or args.config)
    if args.command == "stats":
        from breakd.stats_command import run_stats

        return run_stats(args)
    if args.command == "doctor":
        from breakd.doctor import run_doctor

        return run_doctor(args.json, args.config, args.all)
    if args.command == "autostart":
        from breakd.autostart_command import run_autostart

        return run_autostart(
            args.autostart_command, args.method, getattr(args, "force", False), args.config
        )
    return _client_command(args)


def _client_command(args: argparse.Namespace) -> int:
    from breakd.ipc.client import call

    command_args: dict[str, object] = {}
    duration = getattr(args, "duration", None)
    if duration is not None:
        from breakd.core.durations import (
            MAX_DURATION,
            DurationError,
            format_duration,
            parse_duration,
        )

        try:
            seconds = parse_duration(duration)
        except DurationError as error:
            raise UsageError(f"{args.command}: {error}") from None
        if seconds <= 0:
            raise UsageError(f"{args.command}: the duration must be longer than 0s")
        if seconds > MAX_DURATION:
            longest = format_duration(MAX_DURATION)
            raise UsageError(f"{args.command}: the duration must be at most {longest}")
        command_args["seconds"] = seconds
    if getattr(args, "exercise", None) is not None:
        command_args["exercise"] = args.exercise
    form = getattr(args, "format", None) or ("json" if getattr(args, "json", False) else None)
    if args.command == STATUS and getattr(args, "follow", False):
        from breakd.status_follow import follow

        return follow(form or "text")
    if args.command == STATUS and getattr(args, "format", None):
        return _print_status_line(args.format)
    if args.command == GUIDE and sys.stdout.isatty():
        status = call(STATUS, {})["status"]
        running = status["guide"]
        # One under way (not waiting paused) is drawn here rather than refused.
        if (
            running is not None
            and not running["paused"]
            and command_args.get("exercise", running["exercise"]) == running["exercise"]
        ):
            from breakd.terminal_guide import follow

            return follow(status)
    reply = call(args.command, command_args)
    if args.command == GUIDE and sys.stdout.isatty():
        from breakd.terminal_guide import follow  # a live countdown line, over SSH too

        return follow(reply["status"])
    if args.command == STATUS:
        _print_status(reply["status"], args.json)
    elif reply.get("message"):
        print(reply["message"])
    return 0


def _print_status_line(form: str) -> int:
    """`breakd status --format FORM`: the one line a bar shows, "not running" included
    (and then exit code 3 as well, with the error on stderr)."""
    from breakd.errors import DaemonNotRunning
    from breakd.ipc.client import call
    from breakd.status_formats import render

    try:
        status = call(STATUS)["status"]
    except DaemonNotRunning as error:
        print(render(form, None, "en", str(error)))
        raise
    print(render(form, status, status.get("language", "en")))
    return 0


def _print_status(status: StatusReply, as_json: bool) -> None:
    if as_json:
        import json

        print(json.dumps(status, indent=2))
    else:
        from breakd.status_text import format_status

        print(format_status(status))
