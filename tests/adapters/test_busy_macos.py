"""The macOS busy signal, up to the operating system's own file.

Not covered here, because it needs a real Mac: whether macOS writes
~/Library/DoNotDisturb/DB/Assertions.json as the samples below look (they follow
the shape other tools parse, not a file copied from a Mac), when it writes it,
and whether Full Disk Access is needed to read it.

What is covered: every line above that file, with sample Assertions.json files in
a temp folder; the decision for each value; the unavailable path on Linux; and
which signals `open_busy_signals` starts on each platform, from the adapter table.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from breakd.adapters.busy import FREE, Reading
from breakd.adapters.busy.macos_focus import MacOSFocus, active_modes
from breakd.adapters.select import here, open_busy_signals
from breakd.adapters.table import named
from breakd.adapters.watcher import WatcherUnavailable
from breakd.config.load import load_config_text
from breakd.config.model import DEFAULT_CONFIG
from tests.dbus_services import WatchingReadings

DND_MACOS = Reading.of({"dnd:macos"})

# -- macOS: Focus from Assertions.json ----------------------------------------------------

NO_FOCUS = {"data": [{}], "header": {"timestamp": 785000000.1, "version": 2}}
NO_FOCUS_EMPTY_LIST = {"data": [{"storeAssertionRecords": []}], "header": {"version": 2}}


def focus_on(mode: str | None = "com.apple.donotdisturb.mode.default") -> dict[str, Any]:
    details: dict[str, Any] = {
        "assertionDetailsIdentifier": "com.apple.controlcenter.dnd.mode",
        "assertionDetailsLifetime": {"type": "none"},
        "assertionDetailsReason": "user-action",
    }
    if mode is not None:
        details["assertionDetailsModeIdentifier"] = mode
    return {
        "data": [
            {
                "storeAssertionRecords": [
                    {
                        "assertionUUID": "6D1C1F0E-2B9A-4F0B-9E53-0C1D5A2E7A11",
                        "assertionSource": {
                            "assertionClientIdentifier": "com.apple.controlcenter.dnd"
                        },
                        "assertionStartDateTimestamp": 785000100.5,
                        "assertionDetails": details,
                    }
                ],
                "storeInvalidationRecords": [],
            }
        ],
        "header": {"timestamp": 785000100.6, "version": 2},
    }


@pytest.fixture
def db(tmp_path: Path) -> Path:
    folder = tmp_path / "Library" / "DoNotDisturb" / "DB"
    folder.mkdir(parents=True)
    return folder


def write(db: Path, document: Any) -> None:
    text = document if isinstance(document, str) else json.dumps(document)
    (db / "Assertions.json").write_text(text, encoding="utf-8")


@pytest.mark.parametrize(
    ("document", "modes"),
    [
        (NO_FOCUS, []),
        (NO_FOCUS_EMPTY_LIST, []),
        (focus_on(), ["com.apple.donotdisturb.mode.default"]),
        (focus_on("com.apple.focus.work"), ["com.apple.focus.work"]),
        (focus_on(None), ["focus"]),
    ],
)
def test_assertions_samples_parse_to_the_focus_modes_on(
    document: dict[str, Any], modes: list[str]
) -> None:
    assert active_modes(json.dumps(document)) == modes


@pytest.mark.parametrize(
    "text",
    ["", "{", "[]", '{"data": {}}', '{"data": [3]}', '{"data": [{"storeAssertionRecords": 1}]}'],
)
def test_an_assertions_file_of_another_shape_is_unavailable_not_guessed(
    db: Path, text: str
) -> None:
    write(db, text)
    with pytest.raises(WatcherUnavailable, match="not in the shape breakd knows"):
        MacOSFocus(db).modes()


def test_focus_on_and_off_in_the_file_is_busy_and_free(db: Path) -> None:
    write(db, focus_on())
    signal = MacOSFocus(db, poll_every=10)
    assert asyncio.run(signal.probe()) == (
        f"the private file {db / 'Assertions.json'} (best effort), checked every 10 s"
        " (now: a Focus is on (com.apple.donotdisturb.mode.default))"
    )
    write(db, NO_FOCUS)
    assert asyncio.run(signal.probe()).endswith("(now: no Focus is on)")


def test_the_file_is_parsed_again_only_when_its_time_or_size_changes(db: Path) -> None:
    path = db / "Assertions.json"
    write(db, focus_on("com.apple.focus.aaaa"))
    signal = MacOSFocus(db)
    assert signal.modes() == ["com.apple.focus.aaaa"]
    before = path.stat()
    write(db, focus_on("com.apple.focus.bbbb"))  # same size
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert signal.modes() == ["com.apple.focus.aaaa"]  # not read again
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns + 1_000_000_000))
    assert signal.modes() == ["com.apple.focus.bbbb"]


def test_no_file_is_free_and_no_folder_is_unavailable(tmp_path: Path, db: Path) -> None:
    assert MacOSFocus(db).modes() == []
    with pytest.raises(WatcherUnavailable, match="a macOS without Focus"):
        MacOSFocus(tmp_path / "nowhere").modes()


def test_an_unreadable_file_asks_for_full_disk_access(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(db, NO_FOCUS)

    def denied(self: Path, *args: Any, **kwargs: Any) -> str:
        raise PermissionError(1, "Operation not permitted", str(self))

    monkeypatch.setattr(Path, "read_text", denied)
    with pytest.raises(WatcherUnavailable, match="Full Disk Access"):
        MacOSFocus(db).modes()


def test_focus_is_watched_and_a_half_written_file_keeps_the_last_reading(db: Path) -> None:
    write(db, NO_FOCUS)
    signal = MacOSFocus(db, poll_every=0.01)

    async def scenario() -> None:
        async with WatchingReadings(signal) as watching:
            await watching.expect(FREE)
            write(db, focus_on())
            await watching.expect(DND_MACOS)
            write(db, '{"data": [{"storeAssertion')  # caught mid-rewrite
            await asyncio.sleep(0.1)
            assert watching.events == [FREE, DND_MACOS]
            write(db, NO_FOCUS)
            await watching.expect(FREE)
            (db / "Assertions.json").unlink()  # removed: no Focus, nothing new to say
            write(db, focus_on("com.apple.sleep.sleep-mode"))
            await watching.expect(DND_MACOS)
            (db / "Assertions.json").unlink()
            db.rmdir()  # the folder went away: stopped
            await watching.stopped()

    asyncio.run(scenario())


# -- Not on macOS ---------------------------------------------------------------------------


@pytest.mark.skipif(sys.platform == "darwin", reason="the answer off macOS")
def test_elsewhere_the_focus_signal_is_unavailable_with_one_sentence() -> None:
    signal = MacOSFocus()
    with pytest.raises(WatcherUnavailable) as probed:
        asyncio.run(signal.probe())
    assert str(probed.value) == "not on macOS: the Focus state is read from a macOS file"
    said: list[Reading] = []
    with pytest.raises(WatcherUnavailable):
        asyncio.run(signal.watch(said.append))
    assert said == []


# -- Which signals run where -----------------------------------------------------------------


def names(config: Any = DEFAULT_CONFIG) -> list[str]:
    return [signal.name for signal in open_busy_signals(config)]


def test_macos_focus_runs_only_when_switched_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "darwin")
    assert names() == []
    assert [row.name for row in here("busy")] == ["dnd:macos"]
    on = load_config_text("dont_interrupt: {signals: {macos_focus: true}}\n", "config.yaml")
    assert names(on) == ["dnd:macos"]
    assert named("dnd:macos").off(DEFAULT_CONFIG) == (
        "switched off in the config: dont_interrupt.signals.macos_focus is false"
    )
    assert named("dnd:macos").off(on) is None


def test_each_signal_says_where_it_runs() -> None:
    assert named("dnd:macos").runs_on("darwin")
    assert not named("dnd:macos").runs_on("linux")
    assert named("camera").runs_on("linux") and not named("camera").runs_on("freebsd14")
    assert named("dnd:dunst").runs_on("freebsd14") and not named("dnd:dunst").runs_on("darwin")
    assert str(named("camera").platforms) == "Linux"
    assert str(named("dnd:macos").platforms) == "macOS"
    assert str(named("dnd:xfce").platforms) == "Linux and the BSDs"


def test_on_linux_the_macos_module_is_never_imported() -> None:
    code = (
        "import sys\n"
        "from breakd.adapters.select import open_busy_signals\n"
        "from breakd.config.load import load_config_text\n"
        "text = 'dont_interrupt: {signals: {macos_focus: true, microphone: true}}\\n'\n"
        "config = load_config_text(text, 'c.yaml')\n"
        "open_busy_signals(config)\n"
        "print(sorted(m for m in sys.modules if m.startswith('breakd.adapters.busy.')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    loaded = result.stdout
    assert "camera" in loaded  # the Linux signals were opened
    assert "macos_focus" not in loaded
