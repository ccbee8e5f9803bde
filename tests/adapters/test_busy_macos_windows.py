"""The Windows and macOS busy signals, up to the operating system's own calls.

Not covered here, because it needs the real OS: loading shell32 and ntdll and the
ctypes marshalling through the types set in `load_query()`; what
SHQueryUserNotificationState really returns while a full-screen app, a game or
presentation mode runs; whether WNF_SHEL_QUIETHOURS_ACTIVE_PROFILE_CHANGED is the
right state and holds 0/1/2 on a given Windows 10 or 11 build; and whether a real
Mac writes ~/Library/DoNotDisturb/DB/Assertions.json as the samples below look
(they follow the shape other tools parse, not a file copied from a Mac), when
it writes it, and whether Full Disk Access is needed to read it.

What is covered: every line above those calls, with the calls replaced by stand-ins
that behave like the C functions (out-parameters written through real ctypes
memory, failure codes) and with sample Assertions.json files in a temp folder; the
decision for each value; the unavailable paths on Linux; and which signals
`open_busy_signals` starts on each platform.
"""

from __future__ import annotations

import asyncio
import ctypes
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from breakd.adapters.busy import FREE, BusySignalStopped, BusySignalUnavailable, Reading
from breakd.adapters.busy.macos_focus import MacOSFocus, active_modes
from breakd.adapters.busy.windows_focus_assist import (
    WNF_SHEL_QUIETHOURS_ACTIVE_PROFILE_CHANGED,
    WindowsFocusAssist,
    state_name,
)
from breakd.adapters.busy.windows_notification_state import (
    WindowsNotificationState,
    reading_for,
)
from breakd.adapters.select import (
    busy_signal_platforms,
    busy_signal_runs_on,
    busy_signal_switched_off,
    open_busy_signals,
)
from breakd.config.load import load_config_text
from breakd.config.model import DEFAULT_CONFIG
from tests.dbus_services import Watching

FULLSCREEN = Reading.of({"fullscreen:windows"})
PRESENTATION = Reading.of({"presentation:windows"})
DND_WINDOWS = Reading.of({"dnd:windows"})
DND_MACOS = Reading.of({"dnd:macos"})

# -- Windows: SHQueryUserNotificationState ------------------------------------------------


class FakeNotificationState:
    """SHQueryUserNotificationState: writes the state through its pointer, returns an HRESULT."""

    def __init__(self, state: int = 5, result: int = 0) -> None:
        self.state = state
        self.result = result
        self.calls = 0

    def __call__(self, out: Any) -> int:
        self.calls += 1
        assert isinstance(out, ctypes._Pointer) and out._type_ is ctypes.c_int
        if self.result == 0:
            out.contents.value = self.state
        return self.result


@pytest.mark.parametrize(
    ("state", "reading"),
    [
        (1, FREE),  # QUNS_NOT_PRESENT: locked or screen saver is away, not busy
        (2, FULLSCREEN),  # QUNS_BUSY
        (3, FULLSCREEN),  # QUNS_RUNNING_D3D_FULL_SCREEN
        (4, PRESENTATION),  # QUNS_PRESENTATION_MODE
        (5, FREE),  # QUNS_ACCEPTS_NOTIFICATIONS
        (6, FREE),  # QUNS_QUIET_TIME: first hour after a first login, not DND
        (7, FREE),  # QUNS_APP: a Store app runs
        (8, FREE),  # a value Windows may add later
        (0, FREE),
    ],
)
def test_each_notification_state_value_decides_busy_or_free(state: int, reading: Reading) -> None:
    assert reading_for(state) == reading
    signal = WindowsNotificationState(FakeNotificationState(state))
    assert signal.read() == reading


def test_notification_state_probe_names_the_call_and_the_state() -> None:
    signal = WindowsNotificationState(FakeNotificationState(4), poll_every=10)
    assert asyncio.run(signal.probe()) == (
        "SHQueryUserNotificationState every 10 s (now: presentation mode)"
    )


def test_notification_state_is_polled_and_only_changes_are_reported() -> None:
    query = FakeNotificationState(5)
    signal = WindowsNotificationState(query, poll_every=0.01)

    async def scenario() -> None:
        async with Watching(signal) as watching:
            await watching.expect(FREE)
            query.state = 2
            await watching.expect(FULLSCREEN)
            query.state = 3  # still full screen: same reading, nothing new
            calls = query.calls
            while query.calls < calls + 5:
                await asyncio.sleep(0.01)
            query.state = 4
            await watching.expect(PRESENTATION)
            query.state = 5
            await watching.expect(FREE)

    asyncio.run(scenario())


def test_a_failing_notification_state_call_is_unavailable_at_start_and_stopped_later() -> None:
    failing = WindowsNotificationState(FakeNotificationState(result=-2147467259))  # E_FAIL
    with pytest.raises(BusySignalUnavailable, match=r"HRESULT 0x80004005"):
        asyncio.run(failing.probe())

    query = FakeNotificationState(2)

    async def scenario() -> None:
        async with Watching(WindowsNotificationState(query, poll_every=0.01)) as watching:
            await watching.expect(FULLSCREEN)
            query.result = -2147467259
            error = await watching.ended()
            assert isinstance(error, BusySignalStopped) and "0x80004005" in str(error)

    asyncio.run(scenario())


# -- Windows: Focus Assist through WNF ----------------------------------------------------


class FakeWnf:
    """NtQueryWnfStateData for the Focus Assist state: fills the buffer, sets the size."""

    def __init__(self, level: int | None = 0, status: int = 0) -> None:
        self.level = level  # None: the state was never written (zero bytes)
        self.status = status
        self.calls = 0

    def __call__(
        self, name: Any, type_id: Any, scope: Any, stamp: Any, buffer: Any, size: Any
    ) -> int:
        self.calls += 1
        assert list(name.contents.Data) == [0xA3BF1C75, 0x0D83063E]
        assert type_id is None and scope is None
        assert size.contents.value >= 4
        if self.status < 0:
            return self.status
        stamp.contents.value = self.calls
        if self.level is None:
            size.contents.value = 0
        else:
            buffer[0] = self.level
            size.contents.value = 4
        return self.status


def test_the_wnf_state_name_is_the_two_ulongs_of_the_documented_constant() -> None:
    assert WNF_SHEL_QUIETHOURS_ACTIVE_PROFILE_CHANGED == 0xD83063EA3BF1C75
    name = state_name(WNF_SHEL_QUIETHOURS_ACTIVE_PROFILE_CHANGED)
    assert list(name.Data) == [0xA3BF1C75, 0x0D83063E]
    assert bytes(name) == (0x0D83063EA3BF1C75).to_bytes(8, "little")


@pytest.mark.parametrize(
    ("level", "reading", "said"),
    [
        (0, FREE, "Focus Assist is off"),
        (1, DND_WINDOWS, "Focus Assist is on (priority only)"),
        (2, DND_WINDOWS, "Focus Assist is on (alarms only)"),
        (3, DND_WINDOWS, "Focus Assist level 3, counted as on"),
        (None, FREE, "Focus Assist is off"),  # never written
    ],
)
def test_each_focus_assist_level_decides_busy_or_free(
    level: int | None, reading: Reading, said: str
) -> None:
    signal = WindowsFocusAssist(FakeWnf(level), poll_every=10)
    assert signal.read() == reading
    assert asyncio.run(signal.probe()) == (
        f"the Focus Assist WNF state (undocumented) every 10 s (now: {said})"
    )


def test_focus_assist_is_polled_and_only_changes_are_reported() -> None:
    query = FakeWnf(0)

    async def scenario() -> None:
        async with Watching(WindowsFocusAssist(query, poll_every=0.01)) as watching:
            await watching.expect(FREE)
            query.level = 1
            await watching.expect(DND_WINDOWS)
            query.level = 2
            calls = query.calls
            while query.calls < calls + 5:
                await asyncio.sleep(0.01)
            query.level = 0
            await watching.expect(FREE)

    asyncio.run(scenario())


def test_a_failing_wnf_query_is_unavailable_at_start_and_stopped_later() -> None:
    not_found = -1073741772  # STATUS_OBJECT_NAME_NOT_FOUND, 0xC0000034
    with pytest.raises(BusySignalUnavailable, match=r"NTSTATUS 0xC0000034"):
        WindowsFocusAssist(FakeWnf(status=not_found)).read()

    query = FakeWnf(1)

    async def scenario() -> None:
        async with Watching(WindowsFocusAssist(query, poll_every=0.01)) as watching:
            await watching.expect(DND_WINDOWS)
            query.status = not_found
            error = await watching.ended()
            assert isinstance(error, BusySignalStopped) and "0xC0000034" in str(error)

    asyncio.run(scenario())


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
    with pytest.raises(BusySignalUnavailable, match="not in the shape breakd knows"):
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
    with pytest.raises(BusySignalUnavailable, match="a macOS without Focus"):
        MacOSFocus(tmp_path / "nowhere").modes()


def test_an_unreadable_file_asks_for_full_disk_access(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(db, NO_FOCUS)

    def denied(self: Path, *args: Any, **kwargs: Any) -> str:
        raise PermissionError(1, "Operation not permitted", str(self))

    monkeypatch.setattr(Path, "read_text", denied)
    with pytest.raises(BusySignalUnavailable, match="Full Disk Access"):
        MacOSFocus(db).modes()


def test_focus_is_watched_and_a_half_written_file_keeps_the_last_reading(db: Path) -> None:
    write(db, NO_FOCUS)
    signal = MacOSFocus(db, poll_every=0.01)

    async def scenario() -> None:
        async with Watching(signal) as watching:
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
            error = await watching.ended()
            assert isinstance(error, BusySignalStopped)

    asyncio.run(scenario())


# -- Not on Windows or macOS ----------------------------------------------------------------


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="the answer off Windows/macOS")
@pytest.mark.parametrize(
    ("signal", "message"),
    [
        (
            WindowsNotificationState(),
            "not on Windows: SHQueryUserNotificationState is a Windows shell call",
        ),
        (
            WindowsFocusAssist(),
            "not on Windows: Focus Assist is read from a Windows kernel state (WNF)",
        ),
        (MacOSFocus(), "not on macOS: the Focus state is read from a macOS file"),
    ],
)
def test_elsewhere_each_signal_is_unavailable_with_one_sentence(signal: Any, message: str) -> None:
    with pytest.raises(BusySignalUnavailable) as probed:
        asyncio.run(signal.probe())
    assert str(probed.value) == message
    said: list[Reading] = []
    with pytest.raises(BusySignalUnavailable):
        asyncio.run(signal.watch(said.append))
    assert said == []


# -- Which signals run where -----------------------------------------------------------------


def names(config: Any = DEFAULT_CONFIG, **kwargs: bool) -> list[str]:
    return [signal.name for signal in open_busy_signals(config, **kwargs)]


def test_windows_runs_focus_assist_and_the_notification_state(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys, "platform", "win32")
    assert names() == ["dnd:windows", "fullscreen:windows"]
    no_dnd = load_config_text("dont_interrupt: {signals: {dnd: false}}\n", "config.yaml")
    assert names(no_dnd) == ["fullscreen:windows"]
    assert names(no_dnd, switched_off_too=True) == ["dnd:windows", "fullscreen:windows"]
    off = load_config_text("dont_interrupt: {enabled: false}\n", "config.yaml")
    assert names(off) == []


def test_macos_focus_runs_only_when_switched_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "darwin")
    assert names() == []
    assert names(switched_off_too=True) == ["dnd:macos"]
    on = load_config_text("dont_interrupt: {signals: {macos_focus: true}}\n", "config.yaml")
    assert names(on) == ["dnd:macos"]
    assert busy_signal_switched_off(DEFAULT_CONFIG, "dnd:macos") == (
        "switched off in the config: dont_interrupt.signals.macos_focus is false"
    )
    assert busy_signal_switched_off(on, "dnd:macos") is None


def test_each_signal_says_where_it_runs() -> None:
    assert busy_signal_runs_on("dnd:windows", "win32")
    assert not busy_signal_runs_on("dnd:windows", "linux")
    assert busy_signal_runs_on("dnd:macos", "darwin")
    assert not busy_signal_runs_on("dnd:macos", "win32")
    assert busy_signal_runs_on("camera", "linux") and not busy_signal_runs_on("camera", "freebsd14")
    assert busy_signal_runs_on("dnd:dunst", "freebsd14") and not busy_signal_runs_on(
        "dnd:dunst", "darwin"
    )
    assert busy_signal_platforms("fullscreen:windows") == "only on Windows"
    assert busy_signal_platforms("dnd:macos") == "only on macOS"
    assert busy_signal_platforms("dnd:xfce") == "only on Linux and the BSDs"


def test_on_linux_the_windows_and_macos_modules_are_never_imported() -> None:
    code = (
        "import sys\n"
        "from breakd.adapters.select import open_busy_signals\n"
        "from breakd.config.load import load_config_text\n"
        "config = load_config_text('dont_interrupt: {signals: {macos_focus: true}}\\n', 'c.yaml')\n"
        "open_busy_signals(config, switched_off_too=True)\n"
        "print(sorted(m for m in sys.modules if m.startswith('breakd.adapters.busy.')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    loaded = result.stdout
    assert "camera" in loaded  # the Linux signals were opened
    for module in ("windows_notification_state", "windows_focus_assist", "macos_focus"):
        assert module not in loaded
