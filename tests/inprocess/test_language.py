"""`language: nl` is Dutch everywhere a user reads: the notifications, the daemon's
replies and refusals, and `breakd status`.

Each text is checked against English words that a forgotten translation would
show; the command names (`breakd done`) and program names stay as they are typed.
"""

from __future__ import annotations

import re
from pathlib import Path

from breakd.core.events import ScreenLocked, ScreenUnlocked
from breakd.status_text import format_status
from tests.inprocess.harness import InProcessDaemon
from tests.inprocess.test_daemon_day import HOUR, MIN, run

ENGLISH_TEXT = (
    "the you your until snoozed snooze reminder reminders next done skip skipped paused pause "
    "resumed minutes seconds stretch sitting seated hold away well now held waiting answer "
    "already nothing there outside hours none state idle source notifications disturb not "
    "call busy screen again free since due comes ends come back with from shown steps step "
    "guide guided guiding left right leg legs switch sides position carry cancel finished "
    "stopped counted go"
)
ENGLISH = frozenset(ENGLISH_TEXT.split())
TYPED = re.compile(r"`?breakd [a-z-]+`?|\(ctrl\+shift\+\.\)|makoctl menu|dbus|fake-idle")


def english_words(text: str) -> set[str]:
    """The words of `text` that are English, leaving out what the user types."""
    words = re.findall(r"[a-z]+", TYPED.sub(" ", text).lower())
    return set(words) & ENGLISH


class Collected:
    def __init__(self) -> None:
        self.texts: list[str] = []

    def add(self, text: object) -> None:
        assert isinstance(text, str) and text, text
        self.texts.append(text)

    async def reply(self, d: InProcessDaemon, command: str, ok: bool, **args: object) -> None:
        reply = await d.cli(command, **args)
        assert reply["ok"] is ok, reply
        self.add(reply["message"])

    async def status(self, d: InProcessDaemon) -> None:
        reply = await d.cli("status")
        self.add(format_status(reply["status"]))  # type: ignore[arg-type]


def test_every_line_a_user_reads_is_dutch(tmp_path: Path) -> None:
    seen = Collected()
    config = (
        "language: nl\n"
        'active_hours:\n  days: [mon, tue, wed, thu, fri]\n  from: "09:00"\n  to: "17:00"\n'
    )

    async def scenario(d: InProcessDaemon) -> None:
        assert d.notifier is not None
        await d.advance(10 * MIN)
        await seen.status(d)  # the next reminder
        await seen.reply(d, "done", True)  # a stretch done unprompted
        await seen.reply(d, "done", False)  # counted already
        await seen.reply(d, "skip", False)  # nothing to skip
        await seen.reply(d, "resume", False)  # not paused
        await d.advance(45 * MIN)
        await seen.status(d)  # on screen
        d.notifier.press("default")  # the guide
        await d.settle()
        await d.advance(20)
        await seen.status(d)  # guiding
        await seen.reply(d, "guide", False)  # under way already
        await seen.reply(d, "cancel", True)  # the reminder is back
        await seen.reply(d, "cancel", False)  # nothing to cancel
        d.notifier.press("default")
        await d.settle()
        await d.advance(5)
        d.session(ScreenLocked())
        d.session(ScreenUnlocked())  # the offer to carry on
        d.notifier.press("default")
        await d.settle()
        await d.advance(5 * MIN)  # to the end, and a new stretch of sitting
        await d.advance(41 * MIN)  # the next reminder
        await seen.reply(d, "snooze", True, seconds=10 * MIN)
        await seen.status(d)
        d.busy("dnd:dunst")
        await d.advance(15 * MIN)
        await seen.status(d)  # held for do-not-disturb
        d.busy()
        await d.advance(1 * MIN)  # the held prompt
        await seen.reply(d, "skip", True)
        d.idle.leave()
        await d.advance(44 * MIN)
        await seen.status(d)  # due, waiting for the user to come back
        await d.advance(5 * MIN)
        await seen.status(d)  # away
        await seen.reply(d, "done", False)
        d.idle.come_back()
        await seen.reply(d, "pause", True, seconds=HOUR)
        await seen.status(d)
        await seen.reply(d, "remind-now", False)
        await seen.reply(d, "resume", True)
        await seen.reply(d, "pause", True)
        await seen.reply(d, "resume", True)
        await seen.reply(d, "remind-now", True)
        await d.set_wall_clock(8 * HOUR)
        await d.settle()
        assert await d.state() == "off_hours"
        await seen.status(d)
        await seen.reply(d, "snooze", False)
        for shown in d.notifier.shown:
            seen.add(shown.message.title)
            seen.add(shown.message.body)

    run(tmp_path, scenario, config)
    titles = [text for text in seen.texts if text.startswith(("Rekpauze", "Zit je"))]
    assert len(titles) >= 4, seen.texts  # first, back after cancel, held, remind-now
    for title in ("Ga klaarstaan: ", "Wissel van kant", "Gepauzeerd: ", "Goed gedaan: "):
        assert any(text.startswith(title) for text in seen.texts), title
    assert any(text.endswith(", nu niet storen uit staat") for text in titles)
    english = {text: found for text in seen.texts if (found := english_words(text))}
    assert english == {}, english


def test_the_word_list_catches_english() -> None:
    """The check above can fail: an English reply is caught, a typed command is not."""
    assert english_words("Snoozed until 10:05.") == {"snoozed", "until"}
    assert english_words("Antwoord met breakd done, breakd skip of `breakd snooze`.") == set()
