"""The `breakd` command: argparse subcommands, each error one line and an exit code.

Client commands import only the socket client; the daemon, the config loader
and YAML are imported by the subcommands that need them, so that
`breakd status` costs little more than starting Python.
"""

from __future__ import annotations

import argparse
import sys

from breakd import __version__
from breakd.core.commands import COMMANDS, STATUS
from breakd.core.words import WORDS
from breakd.errors import BreakdError, UsageError

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing only: importing breakd.ipc.status would import the core
    from typing import NoReturn

    from breakd.ipc.status import StatusReply


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line like every other error."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see `{self.prog} --help`)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="breakd",
        description="A break reminder that knows when you have really been sitting.",
    )
    parser.add_argument("--version", action="version", version=f"breakd {__version__}")
    parser.add_argument(
        "--config",
        metavar="PATH",
        help="config file (default: the platform's config dir, e.g. ~/.config/breakd/config.yaml)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True

    commands.add_parser("run", help="run the daemon in the foreground (logs to stderr)")
    for spec in COMMANDS.values():
        text = spec.summary
        sub = commands.add_parser(
            spec.name, help=text, description=text[0].upper() + text[1:] + "."
        )
        if spec.name == STATUS:
            sub.add_argument("--json", action="store_true", help="print the status as JSON")
        elif spec.duration_default is not None:
            sub.add_argument(
                "duration",
                nargs="?",
                help=f'how long, e.g. "10m" or "1h30m" (default: {spec.duration_default})',
            )

    exercises = commands.add_parser("exercises", help="list the stretches")
    exercises.add_argument("--language", choices=tuple(WORDS), help="default: the config's")

    config = commands.add_parser("config", help="check the config file")
    config_commands = config.add_subparsers(dest="config_command", metavar="ACTION")
    config_commands.required = True
    check = config_commands.add_parser("check", help="report every problem in a config file")
    check.add_argument("path", nargs="?", help="default: --config, else the default config file")
    config_commands.add_parser("path", help="print the default config file's path")

    doctor = commands.add_parser(
        "doctor",
        help="show which idle sources, session events and busy signals work here, and why not",
        description="Try every idle source, session-event source and busy signal here and say"
        " which ones breakd uses, which the config switches off and what each of the others"
        " lacks. Needs no running daemon.",
    )
    doctor.add_argument("--json", action="store_true", help="print the result as JSON")

    autostart = commands.add_parser(
        "autostart",
        help="start breakd at login (systemd, XDG autostart, launchd)",
        description="Start breakd at login. With --config, the started breakd uses that file.",
    )
    autostart_commands = autostart.add_subparsers(dest="autostart_command", metavar="ACTION")
    autostart_commands.required = True
    methods = ("systemd", "xdg", "launchd")
    for action, text in (
        ("enable", "set up this breakd to start at login, and start it where the OS can"),
        ("disable", "stop starting breakd at login and remove what breakd wrote"),
        ("status", "show what is set up, whether it is current, and whether breakd runs"),
    ):
        sub = autostart_commands.add_parser(
            action, help=text, description=text[0].upper() + text[1:] + "."
        )
        sub.add_argument(
            "--method",
            choices=methods,
            help="default: systemd where a systemd user instance answers, else xdg (Linux); "
            "launchd (macOS)"
            if action == "enable"
            else "default: every method this platform has",
        )
        if action != "status":
            sub.add_argument(
                "--force",
                action="store_true",
                help="replace or remove it even if you edited it or breakd did not write it",
            )
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        return _dispatch(build_parser().parse_args(argv))
    except BreakdError as error:
        for line in str(error).splitlines() or [type(error).__name__]:
            print(f"breakd: {line}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        return 130


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
            return print_config_path()
        return check_config(args.path or args.config)
    if args.command == "doctor":
        from breakd.doctor import run_doctor

        return run_doctor(args.json, args.config)
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
    reply = call(args.command, command_args)
    if args.command == STATUS:
        _print_status(reply["status"], args.json)
    elif reply.get("message"):
        print(reply["message"])
    return 0


def _print_status(status: StatusReply, as_json: bool) -> None:
    if as_json:
        import json

        print(json.dumps(status, indent=2))
    else:
        from breakd.status_text import format_status

        print(format_status(status))
