"""The per-user Run key: `HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run`, value `breakd`.

Windows runs the value's command line at logon. breakd writes `pythonw.exe`
(found beside python.exe) so that no console window opens. A registry value
has no room for a marker, so the hash of the command line breakd wrote is kept
beside it, in `HKCU\\Software\\breakd`, value `autostart-sha256`.

`winreg` is imported only when the registry is first used, so this module
loads (and its tests run) anywhere; on another OS the first use is a UsageError.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from typing import Any, Protocol

from breakd.adapters.autostart import AutostartError, Ownership
from breakd.adapters.autostart.ownership import classify, digest
from breakd.errors import UsageError

RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
VALUE_NAME = "breakd"
RECORD_KEY = r"Software\breakd"
RECORD_NAME = "autostart-sha256"


class Registry(Protocol):
    """The few `winreg` names this module uses; tests hand in a fake."""

    HKEY_CURRENT_USER: Any
    REG_SZ: int
    KEY_READ: int
    KEY_SET_VALUE: int

    def OpenKey(self, key: Any, sub_key: str, reserved: int = 0, access: int = ...) -> Any: ...

    def CreateKeyEx(self, key: Any, sub_key: str, reserved: int = 0, access: int = ...) -> Any: ...

    def QueryValueEx(self, key: Any, name: str) -> tuple[Any, int]: ...

    def SetValueEx(self, key: Any, name: str, reserved: int, type: int, value: str) -> None: ...

    def DeleteValue(self, key: Any, name: str) -> None: ...


def windowless(interpreter: str) -> str:
    """pythonw.exe beside python.exe when there is one: the same Python, without a console."""
    folder, name = os.path.split(interpreter)
    if name.lower() == "python.exe":
        candidate = os.path.join(folder, "pythonw.exe")
        if os.path.isfile(candidate):
            return candidate
    return interpreter


def command_line(argv: Sequence[str]) -> str:
    """The program always in double quotes, the arguments quoted as the C runtime parses them."""
    return f'"{windowless(argv[0])}" {subprocess.list2cmdline(list(argv[1:]))}'.rstrip()


class RunKey:
    name = "windows"
    title = "Windows Run key"
    location = "HKCU\\" + RUN_KEY + "\\" + VALUE_NAME

    def __init__(self, registry: Registry | None = None) -> None:
        self._registry = registry

    def render(self, argv: Sequence[str]) -> str:
        return command_line(argv)

    def inspect(self, argv: Sequence[str]) -> Ownership:
        existing = self._read(RUN_KEY, VALUE_NAME)
        recorded = self._read(RECORD_KEY, RECORD_NAME)
        return classify(existing, self.render(argv), recorded, digest(existing or ""))

    def install(self, argv: Sequence[str]) -> None:
        line = self.render(argv)
        self._write(RUN_KEY, VALUE_NAME, line)
        self._write(RECORD_KEY, RECORD_NAME, digest(line))

    def remove(self) -> None:
        self._delete(RUN_KEY, VALUE_NAME)
        self._delete(RECORD_KEY, RECORD_NAME)

    def activate(self, replaced: bool) -> list[str]:
        return ["Windows starts breakd at your next logon"]

    def deactivate(self) -> list[str]:
        return []

    def live_state(self) -> str | None:
        return None

    def _winreg(self) -> Registry:
        if self._registry is None:
            try:
                import winreg  # type: ignore[import-not-found,unused-ignore]
            except ImportError:
                raise UsageError(
                    "--method windows needs Windows: it writes the registry, "
                    "and this system has none"
                ) from None
            self._registry = winreg  # type: ignore[assignment,unused-ignore]
        return self._registry

    def _read(self, sub_key: str, name: str) -> str | None:
        registry = self._winreg()
        try:
            with registry.OpenKey(registry.HKEY_CURRENT_USER, sub_key, 0, registry.KEY_READ) as key:
                value, _kind = registry.QueryValueEx(key, name)
        except FileNotFoundError:
            return None
        except OSError as error:
            raise AutostartError(f"cannot read HKCU\\{sub_key}\\{name}: {error}") from None
        return value if isinstance(value, str) else repr(value)

    def _write(self, sub_key: str, name: str, value: str) -> None:
        registry = self._winreg()
        try:
            with registry.CreateKeyEx(
                registry.HKEY_CURRENT_USER, sub_key, 0, registry.KEY_SET_VALUE
            ) as key:
                registry.SetValueEx(key, name, 0, registry.REG_SZ, value)
        except OSError as error:
            raise AutostartError(f"cannot write HKCU\\{sub_key}\\{name}: {error}") from None

    def _delete(self, sub_key: str, name: str) -> None:
        registry = self._winreg()
        try:
            with registry.OpenKey(
                registry.HKEY_CURRENT_USER, sub_key, 0, registry.KEY_SET_VALUE
            ) as key:
                registry.DeleteValue(key, name)
        except FileNotFoundError:
            pass
        except OSError as error:
            raise AutostartError(f"cannot remove HKCU\\{sub_key}\\{name}: {error}") from None
