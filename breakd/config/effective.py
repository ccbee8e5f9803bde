"""Which config runs: the file given, else the default file if it exists, else built-in defaults."""

from __future__ import annotations

from pathlib import Path

from breakd import paths
from breakd.config.model import DEFAULT_CONFIG, Config


def config_path(given: str | None) -> Path:
    return Path(given).expanduser() if given else paths.config_file()


def load_effective_config(given: str | None, in_child: bool = False) -> Config:
    """A file named with --config must exist; the default file may be absent.

    `in_child`: read the file in a child process (`child.py`), as the daemon does,
    so that PyYAML and the loader never enter it.
    """
    path = _file_to_read(given)
    if path is None:
        return DEFAULT_CONFIG
    if in_child:
        from breakd.config.child import load_config_in_child

        return load_config_in_child(path)
    from breakd.config.load import load_config  # the parser and its checks: only for a file

    return load_config(path)


async def reload_effective_config(given: str | None) -> Config:
    """`load_effective_config(given, in_child=True)` for a running daemon: the loop goes on
    while the child reads the file."""
    path = _file_to_read(given)
    if path is None:
        return DEFAULT_CONFIG
    from breakd.config.child import load_config_in_child_async

    return await load_config_in_child_async(path)


def _file_to_read(given: str | None) -> Path | None:
    """The file to read; None when none was named and the default file is absent."""
    path = config_path(given)
    return None if given is None and not path.exists() else path
