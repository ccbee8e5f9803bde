"""Reading, replacing and removing an autostart file without leaving half a file behind."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from breakd.adapters import atomic_file
from breakd.adapters.autostart import AutostartError, Ownership
from breakd.adapters.autostart.ownership import classify_text


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
    """Replace the file whole (see `atomic_file`), readable by all as such files are;
    a failure is a one-line AutostartError."""
    try:
        Path(os.path.realpath(path)).parent.mkdir(parents=True, exist_ok=True)
        atomic_file.write_atomically(path, data, mode=0o644)
    except OSError as error:
        raise AutostartError(f"cannot write {path}: {error.strerror or error}") from None


def remove_file(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass
    except OSError as error:
        raise AutostartError(f"cannot remove {path}: {error.strerror or error}") from None


class StampedTextFile:
    """A text file breakd writes whole, stamped with the hash of its body.

    Subclasses set `path` and render the body; reading it back, telling ours
    from a user's edit and writing it atomically are the same for all of them.
    """

    path: Path

    def render(self, argv: Sequence[str]) -> str:
        raise NotImplementedError

    @property
    def location(self) -> str:
        return str(self.path)

    def inspect(self, argv: Sequence[str]) -> Ownership:
        return classify_text(read_text(self.path), self.render(argv))

    def install(self, argv: Sequence[str]) -> None:
        write_atomically(self.path, self.render(argv).encode())
