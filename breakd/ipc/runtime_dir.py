"""The private runtime directory that holds the control socket and the instance lock."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from breakd.errors import BreakdError
from breakd.ipc.peer import private_dir_problem


def ensure_private_dir(path: Path) -> Path:
    """Create `path` with mode 0700, or check that an existing one is ours and private.

    Refuses a symlink or a directory owned by someone else: another user must
    not be able to put a socket where our CLI would talk to it.
    """
    try:
        path.mkdir(mode=0o700, parents=False)
    except FileExistsError:
        pass
    except FileNotFoundError:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        path.mkdir(mode=0o700, exist_ok=True)
    info = os.lstat(path)
    if stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid():
        os.chmod(path, 0o700)  # ours, but made with a looser umask or by hand
    problem = private_dir_problem(path)
    if problem is not None:
        raise BreakdError(f"runtime directory {problem}; remove it and start again")
    return path
