"""Reading, replacing and removing an autostart file without leaving half a file behind."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from breakd.adapters.autostart import AutostartError


def read_bytes(path: Path) -> bytes | None:
    """The file's bytes, or None when there is no file; one-line AutostartError otherwise."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise AutostartError(f"cannot read {path}: {error.strerror or error}") from None


def read_text(path: Path) -> str | None:
    data = read_bytes(path)
    if data is None:
        return None
    return data.decode("utf-8", errors="replace")


def write_atomically(path: Path, data: bytes) -> None:
    """Write via a temporary file and rename, so a crash leaves the old file or the new one.

    A symlink (a dotfiles manager's) is kept: its target is replaced instead.
    """
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            os.chmod(temporary, 0o644)
            os.replace(temporary, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
    except OSError as error:
        raise AutostartError(f"cannot write {path}: {error.strerror or error}") from None


def remove_file(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass
    except OSError as error:
        raise AutostartError(f"cannot remove {path}: {error.strerror or error}") from None
