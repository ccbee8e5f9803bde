"""Where breakd keeps its files, per platform, honouring the XDG variables.

On Linux and the BSDs the XDG Base Directory rules are read directly: they are
two lines each, and platformdirs would add more to the idle daemon's memory
(about 0.4 MiB) and to every `breakd status` than the rest of that call. Other
platforms ask platformdirs.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path

APP = "breakd"
_XDG_PLATFORM = sys.platform.startswith("linux") or "bsd" in sys.platform


def _xdg_home(variable: str, fallback: str) -> Path:
    """The XDG spec: the variable if it holds an absolute path, else the default under ~."""
    from pathlib import Path

    value = os.environ.get(variable, "")
    return Path(value) if os.path.isabs(value) else Path.home() / fallback


def config_file() -> Path:
    if _XDG_PLATFORM:
        return _xdg_home("XDG_CONFIG_HOME", ".config") / APP / "config.yaml"
    from platformdirs import user_config_path

    return user_config_path(APP, appauthor=False) / "config.yaml"


def state_dir() -> Path:
    if _XDG_PLATFORM:
        return _xdg_home("XDG_STATE_HOME", ".local/state") / APP
    from platformdirs import user_state_path

    return user_state_path(APP, appauthor=False)


def data_dir() -> Path:
    """The user's own data: the history lives here."""
    if _XDG_PLATFORM:
        return _xdg_home("XDG_DATA_HOME", ".local/share") / APP
    from platformdirs import user_data_path

    return user_data_path(APP, appauthor=False)


def history_dir() -> Path:
    return data_dir() / "history"


def runtime_dir() -> Path:
    """The private directory for the socket and the instance lock (not created here)."""
    from pathlib import Path

    return Path(_runtime_dir_name())


def socket_path() -> Path:
    return runtime_dir() / SOCKET


def socket_file() -> str:
    """`socket_path()` as text: `breakd status` spares itself pathlib."""
    return os.path.join(_runtime_dir_name(), SOCKET)


def lock_path() -> Path:
    return runtime_dir() / "daemon.lock"


SOCKET = "control.sock"


def runtime_dir_from_xdg() -> bool:
    """Whether XDG_RUNTIME_DIR names the runtime dir (else a fallback is used, and the
    daemon's first line says so)."""
    base = os.environ.get("XDG_RUNTIME_DIR")
    return bool(base) and os.path.isabs(base or "")


def _runtime_dir_name() -> str:
    """$XDG_RUNTIME_DIR/breakd; without it /run/user/UID/breakd where that is ours (as
    logind makes it), else a private dir in the temp dir. On Linux and the BSDs these are
    read here: platformdirs would warn on stderr where XDG_RUNTIME_DIR is unset."""
    if runtime_dir_from_xdg():
        return os.path.join(os.environ["XDG_RUNTIME_DIR"], APP)
    if _XDG_PLATFORM:
        candidate = f"/run/user/{os.getuid()}"
    else:
        from platformdirs import user_runtime_path

        candidate = str(user_runtime_path(appauthor=False))
    if os.path.isdir(candidate) and os.access(candidate, os.W_OK):
        return os.path.join(candidate, APP)
    import tempfile

    return os.path.join(tempfile.gettempdir(), f"{APP}-{os.getuid()}")
