"""The one table of config keys: defaults, bounds and docs all come from here.

The loader validates against it, the model takes its defaults from it and
`config.example.yaml` is rendered from it, so the three cannot drift apart.
Regenerate the example after changing the table with

    python -c "from breakd.config.schema import *; print(render_example(), end='')" \
        > config.example.yaml
"""

from __future__ import annotations

import json
import re
import textwrap
from datetime import time
from typing import Literal

from breakd.core.durations import MAX_DURATION, format_duration, parse_duration
from breakd.core.record import record
from breakd.core.settings import DAY_NAMES
from breakd.core.stretches import EXERCISE_IDS, LANGUAGES

Kind = Literal["section", "duration", "durations", "choice", "choices", "time", "bool", "strings"]
"""section: a mapping of keys; durations/choices: non-empty lists without repeats;
strings: a list of free-form names (app ids, reasons, path patterns), possibly empty."""

Default = str | bool | tuple[str, ...] | None


@record
class Key:
    """One config key. `default` is as in YAML ("45m") or a bool, so docs show it verbatim."""

    path: str
    kind: Kind
    doc: str
    default: Default = None
    minimum: int = 0
    allowed: tuple[str, ...] = ()
    optional: bool = False

    @property
    def name(self) -> str:
        return self.path.rpartition(".")[2]

    @property
    def parent(self) -> str:
        return self.path.rpartition(".")[0]

    @property
    def depth(self) -> int:
        return self.path.count(".")


KEYS: tuple[Key, ...] = (
    Key("sitting", "section", "When sitting counts as too long."),
    Key(
        "sitting.remind_after",
        "duration",
        "Continuous sitting before a reminder.",
        default="45m",
        minimum=1,
    ),
    Key(
        "sitting.break_after_idle",
        "duration",
        "No input for this long counts as a break; sitting restarts from 0.",
        default="5m",
        minimum=1,
    ),
    Key(
        "sitting.repeat_every",
        "duration",
        'Remind again while a reminder is unanswered; "0s" means never.',
        default="5m",
        minimum=0,
    ),
    Key("activity", "section", "How breakd notices whether you are at the computer."),
    Key(
        "activity.poll_every",
        "duration",
        "How often idle time is sampled while you are away, to notice you are back, where"
        " the idle source cannot say so itself (X11 and GNOME can: there nothing is"
        " sampled while you are away); while you sit, breakd samples exactly when a break"
        " could have begun and when a reminder is due.",
        default="5s",
        minimum=1,
    ),
    Key(
        "activity.inhibitors_count_as_present",
        "bool",
        "While an app holds an idle inhibitor (a video player, a call), count you as"
        " present even without keyboard or mouse input, so no break begins; false"
        " lets such time become a break.",
        default=True,
    ),
    Key("snooze", "section", "Putting a reminder off for a while."),
    Key(
        "snooze.default",
        "duration",
        "How long a snooze lasts when no length is chosen.",
        default="10m",
        minimum=1,
    ),
    Key(
        "snooze.choices",
        "durations",
        "The snooze lengths a reminder offers.",
        default=("5m", "10m", "30m"),
        minimum=1,
    ),
    Key(
        "active_hours",
        "section",
        "Only remind during these hours. Optional: leave it out (or set it to null) to be"
        " reminded at any time; if given, a key left out takes the default shown.",
        optional=True,
    ),
    Key(
        "active_hours.days",
        "choices",
        "The days on which reminders run.",
        default=("mon", "tue", "wed", "thu", "fri"),
        allowed=DAY_NAMES,
    ),
    Key(
        "active_hours.from",
        "time",
        "The time reminders start, on each of those days.",
        default="08:00",
    ),
    Key(
        "active_hours.to",
        "time",
        "The time reminders stop; reminders run up to, not including, this time. A time"
        " before `from` is on the next morning (a night shift: from 22:00 to 06:00).",
        default="18:00",
    ),
    Key(
        "day_starts_at",
        "time",
        "When a new day starts for the day's counts: a late night before this time counts"
        " toward the day before.",
        default="04:00",
    ),
    Key("exercises", "section", "Which stretches a reminder suggests."),
    Key(
        "exercises.enabled",
        "choices",
        "The stretches to choose from.",
        default=("standing-lunge", "kneeling-lunge", "prone-press-up"),
        allowed=EXERCISE_IDS,
    ),
    Key(
        "exercises.order",
        "choice",
        "How the next stretch is chosen: in turn (rotate) or at random.",
        default="rotate",
        allowed=("rotate", "random"),
    ),
    Key(
        "exercises.hold",
        "duration",
        "How long to hold each stretch.",
        default="30s",
        minimum=5,
    ),
    Key(
        "guide",
        "section",
        "The guided stretch: a countdown for each side (`breakd guide`, or Start).",
    ),
    Key(
        "guide.get_ready",
        "duration",
        "Time to get into position before the first hold, and to change sides.",
        default="5s",
        minimum=1,
    ),
    Key(
        "guide.sound",
        "bool",
        "A sound when it is time to switch sides and at the end (never while do not disturb is on).",
        default=True,
    ),
    Key(
        "language",
        "choice",
        "The language of reminders and stretch instructions.",
        default="en",
        allowed=LANGUAGES,
    ),
    Key("notify", "section", "How reminders reach you."),
    Key(
        "notify.backend",
        "choice",
        "Where reminders appear: dbus (desktop notifications with snooze, done and skip"
        " buttons, through the freedesktop notification server on Linux and the BSDs),"
        " plyer (desktop notifications without buttons, on any platform), log (the log"
        " only) or auto (dbus on Linux and the BSDs, else plyer). Each falls back to the"
        " next (dbus to plyer only under auto) and, in the end, to the log.",
        default="auto",
        allowed=("auto", "dbus", "plyer", "log"),
    ),
    Key(
        "dont_interrupt",
        "section",
        "Hold a reminder that falls due while you must not be interrupted (do not"
        " disturb, a full-screen window, a call), and send one prompt once you are free.",
    ),
    Key(
        "dont_interrupt.enabled",
        "bool",
        "Hold reminders while you are busy; false sends them whatever you are doing.",
        default=True,
    ),
    Key(
        "dont_interrupt.settle",
        "duration",
        "How long you must have been free before the held reminder is sent.",
        default="45s",
        minimum=0,
    ),
    Key(
        "dont_interrupt.max_deferral",
        "duration",
        "The longest a reminder is held; then `on_max_deferral` decides.",
        default="90m",
        minimum=1,
    ),
    Key(
        "dont_interrupt.on_max_deferral",
        "choice",
        "What happens to a reminder held for `max_deferral`: deliver it anyway,"
        " keep_waiting until you are free, or drop it (sitting time starts again).",
        default="deliver",
        allowed=("deliver", "keep_waiting", "drop"),
    ),
    Key(
        "dont_interrupt.mako_dnd_modes",
        "strings",
        "mako modes that mean do not disturb (mako has no switch of its own; its"
        " manual suggests a mode such as do-not-disturb with invisible=1).",
        default=("do-not-disturb",),
    ),
    Key("dont_interrupt.signals", "section", "Which signs of being busy breakd watches."),
    Key(
        "dont_interrupt.signals.dnd",
        "bool",
        "Do not disturb: dunst paused, KDE Plasma, XFCE (xfce4-notifyd), GNOME"
        " (notification banners off), swaync and mako (see mako_dnd_modes). macOS"
        " Focus has its own switch, macos_focus.",
        default=True,
    ),
    Key(
        "dont_interrupt.signals.fullscreen",
        "bool",
        "A full-screen window has the focus (X11).",
        default=True,
    ),
    Key(
        "dont_interrupt.signals.camera",
        "bool",
        "A program has a camera open (Linux: checked every few seconds).",
        default=True,
    ),
    Key(
        "dont_interrupt.signals.microphone",
        "bool",
        "A program records from a microphone (PulseAudio or PipeWire). Off by default:"
        " noise suppression and dictation apps keep one open all day.",
        default=False,
    ),
    Key(
        "dont_interrupt.signals.macos_focus",
        "bool",
        "A macOS Focus is on, read from a private macOS file"
        " (~/Library/DoNotDisturb/DB/Assertions.json) every few seconds. Off by default:"
        " the file is undocumented and may change with any macOS version, some versions"
        " need Full Disk Access to read it, and it can lag a minute behind.",
        default=False,
    ),
    Key(
        "dont_interrupt.signals.inhibitors",
        "choice",
        "Idle inhibitors (GNOME session manager, logind): off; meeting_only, those whose"
        " reason or app is on the meeting lists below; or any inhibitor at all.",
        default="meeting_only",
        allowed=("off", "meeting_only", "any"),
    ),
    Key("dont_interrupt.inhibitors", "section", "Which idle inhibitors mean a meeting."),
    Key(
        "dont_interrupt.inhibitors.meeting_reasons",
        "strings",
        "Inhibitor reasons that mean a call (Chromium's for a WebRTC call).",
        default=("WebRTC has active PeerConnections",),
    ),
    Key(
        "dont_interrupt.inhibitors.meeting_apps",
        "strings",
        "Apps whose inhibitor means a call, as the session shows them (app id or who).",
        default=("zoom", "teams", "webex"),
    ),
    Key(
        "dont_interrupt.inhibitors.ignore_apps",
        "strings",
        "Apps whose inhibitors never count, even with signals.inhibitors: any.",
        default=("caffeine-gnome-extension", "spotify"),
    ),
    Key("dont_interrupt.apps", "section", "Apps that decide for themselves."),
    Key(
        "dont_interrupt.apps.never_interrupt",
        "strings",
        "Apps (X11 WM_CLASS, Wayland app id) during whose focus you are always busy.",
        default=(),
    ),
    Key(
        "dont_interrupt.apps.always_interrupt",
        "strings",
        "Apps (X11 WM_CLASS, Wayland app id) whose full screen does not count as busy.",
        default=(),
    ),
    Key("dont_interrupt.camera", "section", "How a camera in use is found."),
    Key(
        "dont_interrupt.camera.devices",
        "strings",
        "Camera device paths; shell patterns allowed.",
        default=("/dev/video*",),
    ),
    Key(
        "dont_interrupt.camera.ignore_processes",
        "strings",
        "Processes that hold a camera open without using it (the PipeWire daemons).",
        default=("pipewire", "wireplumber"),
    ),
    Key("dont_interrupt.microphone", "section", "How a microphone in use is found."),
    Key(
        "dont_interrupt.microphone.ignore_apps",
        "strings",
        "Apps whose recording does not count (volume meters, effect filters), by"
        " application id, process binary or name.",
        default=("org.PulseAudio.pavucontrol", "org.gnome.VolumeControl", "easyeffects"),
    ),
    Key("history", "section", "The local record of your days that `breakd stats` reads."),
    Key(
        "history.enabled",
        "bool",
        "Keep a history of sitting, breaks and reminders in the data dir (private to you,"
        " never sent anywhere); false writes none.",
        default=True,
    ),
    Key("log", "section", "What breakd writes to its log."),
    Key(
        "log.level",
        "choice",
        "The least severe kind of message that is logged.",
        default="info",
        allowed=("debug", "info", "warning", "error"),
    ),
)

KEYS_BY_PATH: dict[str, Key] = {key.path: key for key in KEYS}


def children(parent: str) -> tuple[Key, ...]:
    """The keys allowed directly under `parent` ("" is the top level)."""
    return tuple(key for key in KEYS if key.parent == parent)


def top_section(key: Key) -> Key:
    """The top-level key `key` sits under (itself at the top level)."""
    return KEYS_BY_PATH[key.path.partition(".")[0]]


_CLOCK = re.compile(r"^([01]?[0-9]|2[0-3]):([0-5][0-9])$")


def parse_clock(text: str) -> time | None:
    """A 24-hour "HH:MM" time, or None; kept here so defaults and loader agree."""
    match = _CLOCK.match(text.strip())
    return None if match is None else time(int(match.group(1)), int(match.group(2)))


def default_value(key: Key) -> object:
    """The default as the model holds it: seconds, a tuple, a time or a string."""
    if key.kind == "duration":
        return parse_duration(str(key.default))
    if key.kind == "durations":
        return tuple(parse_duration(text) for text in key.default or ())
    if key.kind in ("choices", "strings"):
        return tuple(key.default or ())
    if key.kind == "time":
        return parse_clock(str(key.default))
    return key.default


def constraint(key: Key) -> str:
    """The bounds of `key` in words, for docs; empty when there are none worth saying."""
    if key.kind in ("duration", "durations"):
        high = format_duration(MAX_DURATION)
        low = format_duration(key.minimum)
        bounds = f"from {low} to {high}" if key.minimum else f"up to {high}"
        if key.kind == "durations":
            return f"Each {bounds}; no repeats."
        return f"{bounds[0].upper()}{bounds[1:]}."
    if key.kind == "choice":
        return f"One of: {', '.join(key.allowed)}."
    if key.kind == "choices":
        return f"Any of: {', '.join(key.allowed)}; at least one, no repeats."
    if key.kind == "time":
        return 'A 24-hour "HH:MM" time.'
    if key.kind == "bool":
        return "Either true or false."
    if key.kind == "strings":
        return "A list; may be empty, no repeats."
    return ""


def render_default(key: Key) -> str:
    """The default as YAML text; times are quoted because YAML 1.1 reads 18:00 as a number."""
    if key.kind == "strings":
        return f"[{', '.join(_yaml_text(item) for item in key.default or ())}]"
    if isinstance(key.default, tuple):
        return f"[{', '.join(key.default)}]"
    if isinstance(key.default, bool):
        return "true" if key.default else "false"
    if key.kind == "time":
        return json.dumps(key.default)
    return str(key.default)


_PLAIN_NAME = re.compile(r"^[A-Za-z][-A-Za-z0-9_.]*$")


def _yaml_text(text: str) -> str:
    """A name as plain YAML when it is one, else double-quoted."""
    return text if _PLAIN_NAME.match(text) else json.dumps(text)


_HEADER = """\
# breakd configuration.
#
# Every key is shown with its default value. A key you leave out keeps its
# default, so you only need the lines you change. Durations take a unit:
# "20s", "45m", "1h30m"."""


def render_example() -> str:
    """The text of config.example.yaml: every key, its doc and its default."""
    lines = _HEADER.splitlines()
    for key in KEYS:
        if key.depth == 0:
            lines.append("")
        lines.extend(_render_key(key))
    return "\n".join(lines) + "\n"


def _render_key(key: Key) -> list[str]:
    """Doc comment then `name: default`; an optional section and its keys are commented out."""
    indent = "  " * key.depth
    top = top_section(key)
    off = "# " if top.optional else ""
    doc_prefix = "" if key is top else off
    text = " ".join(part for part in (key.doc, constraint(key)) if part)
    docs = textwrap.wrap(text, width=78 - len(indent) - len(doc_prefix) - 2)
    value = "" if key.kind == "section" else f" {render_default(key)}"
    return [f"{doc_prefix}{indent}# {line}" for line in docs] + [f"{off}{indent}{key.name}:{value}"]
