"""The `breakd` command line as argparse reads it: every command, option and help text.

Loaded for everything but the plain client commands (`breakd status`, `breakd snooze
10m`, ...), which `cli.py` reads without it.
"""

from __future__ import annotations

import argparse

from breakd import __version__
from breakd.core.commands import COMMANDS, STATUS
from breakd.core.words import WORDS
from breakd.errors import UsageError
from breakd.status_formats import FORMATS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import NoReturn


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
            output = sub.add_mutually_exclusive_group()
            output.add_argument("--json", action="store_true", help="print the status as JSON")
            output.add_argument(
                "--format",
                choices=FORMATS,
                help="one line for a status bar (waybar, i3blocks, polybar), the short text,"
                " or the status as one JSON line; see docs/status.md",
            )
            sub.add_argument(
                "--follow",
                action="store_true",
                help="print a line at every change, for a status bar, until stopped"
                " (default format: text)",
            )
        elif spec.exercise:
            sub.add_argument(
                "exercise",
                nargs="?",
                metavar="EXERCISE",
                help="a stretch's id, as `breakd exercises` lists them (default: the one due)",
            )
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
    config_commands.add_parser(
        "path", help="print the config file's path (--config, else the default file)"
    )

    stats = commands.add_parser(
        "stats",
        help="how long you sat, moved and stretched: today, this week, this month",
        description="Figures and a chart from breakd's history of your days (kept in the"
        " data dir while `history.enabled`); days start at `day_starts_at`. Needs no"
        " running daemon.",
    )
    span = stats.add_mutually_exclusive_group()
    span.add_argument("--week", action="store_true", help="the last 7 days, today included")
    span.add_argument("--month", action="store_true", help="the last 30 days, today included")
    span.add_argument("--from", dest="from_", metavar="DATE", help="from DATE (YYYY-MM-DD)")
    span.add_argument(
        "--forget-before", metavar="DATE", help="delete the history of the days before DATE"
    )
    stats.add_argument("--to", metavar="DATE", help="up to DATE, included (default: today)")
    output = stats.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print the figures as JSON")
    output.add_argument("--csv", action="store_true", help="print one CSV row per day")

    doctor = commands.add_parser(
        "doctor",
        help="check what breakd sees and how a reminder reaches you here, and why not",
        description="Try every idle source, session-event source, busy signal and notifier"
        " here and say which ones breakd uses, which the config switches off and what each of"
        " the others lacks; end with a verdict. Needs no running daemon.",
    )
    doctor.add_argument("--json", action="store_true", help="print the result as JSON")
    doctor.add_argument(
        "--all", action="store_true", help="also list the ones for other operating systems"
    )

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
