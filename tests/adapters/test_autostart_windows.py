"""The Windows Run key, up to the registry calls, against a fake `winreg`.

Not covered here: the real registry and Windows itself. That Windows accepts
these calls, and that it runs the value at logon without a console window, is
not tested on this machine. What is tested: the command line breakd writes
(pythonw.exe beside python.exe, quoting), which winreg calls it makes with which
keys, and how it recognises its own value afterwards.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from breakd.adapters.autostart import Ownership
from breakd.adapters.autostart.windows import (
    RECORD_KEY,
    RECORD_NAME,
    RUN_KEY,
    VALUE_NAME,
    RunKey,
    command_line,
    windowless,
)
from breakd.errors import UsageError


class FakeKey:
    def __init__(self, registry: FakeRegistry, path: str) -> None:
        self.registry = registry
        self.path = path

    def __enter__(self) -> FakeKey:
        return self

    def __exit__(self, *exc: object) -> None:
        pass


class FakeRegistry:
    """The winreg calls RunKey makes, over a dict of HKCU key paths to {name: (value, type)}."""

    HKEY_CURRENT_USER = "HKCU"
    REG_SZ = 1
    KEY_READ = 0x20019
    KEY_SET_VALUE = 0x0002

    def __init__(self) -> None:
        self.keys: dict[str, dict[str, tuple[Any, int]]] = {}
        self.calls: list[tuple[str, ...]] = []

    def OpenKey(self, key: str, sub_key: str, reserved: int = 0, access: int = 0) -> FakeKey:
        assert (key, reserved) == ("HKCU", 0)
        self.calls.append(("OpenKey", sub_key, hex(access)))
        if sub_key not in self.keys:
            raise FileNotFoundError(2, "The system cannot find the file specified")
        return FakeKey(self, sub_key)

    def CreateKeyEx(self, key: str, sub_key: str, reserved: int = 0, access: int = 0) -> FakeKey:
        assert (key, reserved) == ("HKCU", 0)
        self.calls.append(("CreateKeyEx", sub_key, hex(access)))
        self.keys.setdefault(sub_key, {})
        return FakeKey(self, sub_key)

    def QueryValueEx(self, key: FakeKey, name: str) -> tuple[Any, int]:
        try:
            return self.keys[key.path][name]
        except KeyError:
            raise FileNotFoundError(2, "The system cannot find the file specified") from None

    def SetValueEx(self, key: FakeKey, name: str, reserved: int, kind: int, value: str) -> None:
        self.calls.append(("SetValueEx", key.path, name, str(kind), value))
        self.keys[key.path][name] = (value, kind)

    def DeleteValue(self, key: FakeKey, name: str) -> None:
        self.calls.append(("DeleteValue", key.path, name))
        if name not in self.keys[key.path]:
            raise FileNotFoundError(2, "The system cannot find the file specified")
        del self.keys[key.path][name]


@pytest.fixture
def scripts(tmp_path: Path) -> Path:
    """A venv's Scripts folder with both python.exe and pythonw.exe."""
    folder = tmp_path / "venv x" / "Scripts"
    folder.mkdir(parents=True)
    (folder / "python.exe").touch()
    (folder / "pythonw.exe").touch()
    return folder


def test_pythonw_beside_python_opens_no_console(scripts: Path, tmp_path: Path) -> None:
    assert windowless(str(scripts / "python.exe")) == str(scripts / "pythonw.exe")
    (tmp_path / "bare").mkdir()
    assert windowless(str(tmp_path / "bare" / "python.exe")) == str(
        tmp_path / "bare" / "python.exe"
    )
    assert windowless("/usr/bin/python3") == "/usr/bin/python3"


def test_the_command_line_quotes_the_program_and_spaced_arguments(scripts: Path) -> None:
    argv = [
        str(scripts / "python.exe"),
        "-m",
        "breakd",
        "--config",
        r"C:\Users\me\my config.yaml",
        "run",
    ]
    line = command_line(argv)
    assert (
        line
        == f'"{scripts / "pythonw.exe"}" -m breakd --config "C:\\Users\\me\\my config.yaml" run'
    )
    assert line.removeprefix(f'"{scripts / "pythonw.exe"}" ') == subprocess.list2cmdline(argv[1:])


def test_enable_writes_the_run_value_and_its_hash(scripts: Path) -> None:
    registry = FakeRegistry()
    run_key = RunKey(registry)
    argv = [str(scripts / "python.exe"), "-m", "breakd", "run"]
    assert run_key.inspect(argv) is Ownership.ABSENT
    run_key.install(argv)
    value, kind = registry.keys[RUN_KEY][VALUE_NAME]
    assert (value, kind) == (command_line(argv), registry.REG_SZ)
    assert [call[:3] for call in registry.calls if call[0] != "OpenKey"] == [
        ("CreateKeyEx", RUN_KEY, hex(registry.KEY_SET_VALUE)),
        ("SetValueEx", RUN_KEY, VALUE_NAME),
        ("CreateKeyEx", RECORD_KEY, hex(registry.KEY_SET_VALUE)),
        ("SetValueEx", RECORD_KEY, RECORD_NAME),
    ]
    assert run_key.inspect(argv) is Ownership.CURRENT
    assert run_key.location == r"HKCU\Software\Microsoft\Windows\CurrentVersion\Run\breakd"


def test_breakds_own_value_is_replaced_freely_a_users_is_not(scripts: Path) -> None:
    registry = FakeRegistry()
    run_key = RunKey(registry)
    old = [str(scripts / "python.exe"), "-m", "breakd", "run"]
    run_key.install(old)
    moved = [r"D:\new venv\Scripts\python.exe", "-m", "breakd", "run"]
    assert run_key.inspect(moved) is Ownership.STALE
    registry.keys[RUN_KEY][VALUE_NAME] = ('"C:\\mine.exe" --my-flag', registry.REG_SZ)
    assert run_key.inspect(old) is Ownership.CHANGED
    del registry.keys[RECORD_KEY][RECORD_NAME]
    assert run_key.inspect(old) is Ownership.FOREIGN


def test_disable_deletes_both_values(scripts: Path) -> None:
    registry = FakeRegistry()
    run_key = RunKey(registry)
    argv = [str(scripts / "python.exe"), "-m", "breakd", "run"]
    run_key.install(argv)
    registry.keys[RUN_KEY]["OtherApp"] = ("other.exe", registry.REG_SZ)
    run_key.remove()
    assert registry.keys[RUN_KEY] == {"OtherApp": ("other.exe", registry.REG_SZ)}
    assert registry.keys[RECORD_KEY] == {}
    assert run_key.inspect(argv) is Ownership.ABSENT
    run_key.remove()  # nothing there any more: still fine


def test_without_winreg_the_method_is_a_usage_error() -> None:
    """On Linux and macOS `--method windows` is refused with one line, before writing anything."""
    pytest.importorskip("posix")
    with pytest.raises(UsageError, match="--method windows needs Windows"):
        RunKey().inspect(["/venv/bin/python", "-m", "breakd", "run"])
