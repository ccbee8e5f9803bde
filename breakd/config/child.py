"""Read a config file in a short-lived child process, so the daemon never carries the reader.

PyYAML and the loader's checks are some 1.1 MiB that stay in a process once
imported, and the daemon needs them only at start and at a reload. The child
(`python -c ... breakd.config.child`) reads the file with `load_config` and
writes one line of JSON: every key's value by dotted path, or the problems
found. The daemon builds its Config from those values with the same
`config_from_values` the loader uses, so both agree on every field.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
from datetime import time
from pathlib import Path
from typing import Any

from breakd.config.model import FIELD_NAMES, Config, config_from_values
from breakd.config.schema import KEYS, KEYS_BY_PATH, Key, top_section
from breakd.errors import ConfigError, ConfigProblem

CHILD_TIMEOUT = 30.0
"""Seconds a running daemon's reload waits for the child. The reader refuses pipes and
large files, so it takes a fraction of one; at start, nothing else waits on it, and
the start waits for the child's exit without a timeout (whose polling sleeps
libfaketime, in the clock tests, makes fail)."""

_LISTS = ("durations", "choices", "strings")
_PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])
"""Where this breakd is imported from: the child imports the same one, whatever its cwd."""
_RUN_CHILD = "import sys; sys.path[0] = sys.argv[1]; from breakd.config.child import main; main()"


def load_config_in_child(path: Path) -> Config:
    """The config in `path`, as `load_config` reads it; raises ConfigError as it does."""
    try:
        done = subprocess.run(
            _argv(path),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            check=False,
        )
    except (OSError, subprocess.SubprocessError) as error:
        raise _failed(path, str(error)) from None
    return _answered(path, done.returncode, done.stdout, done.stderr)


async def load_config_in_child_async(path: Path) -> Config:
    """The same for a running daemon: its loop goes on while the child reads."""
    import asyncio  # the daemon's loop has it; the child itself need not load it

    try:
        child = await asyncio.create_subprocess_exec(
            *_argv(path),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
    except OSError as error:
        raise _failed(path, str(error)) from None
    try:
        stdout, stderr = await asyncio.wait_for(child.communicate(), CHILD_TIMEOUT)
    except asyncio.TimeoutError:
        child.kill()
        await child.wait()
        raise _failed(path, f"no answer within {CHILD_TIMEOUT:g} s") from None
    except BaseException:  # cancelled with the daemon: leave no child behind
        if child.returncode is None:
            child.kill()
        raise
    return _answered(path, child.returncode, stdout, stderr)


def _argv(path: Path) -> list[str]:
    return [sys.executable, "-c", _RUN_CHILD, _PACKAGE_ROOT, str(path)]


def _answered(path: Path, returncode: int | None, stdout: bytes, stderr: bytes) -> Config:
    """The child's answer: the Config, or its problems raised as ConfigError."""
    answer = None
    if returncode == 0:
        with contextlib.suppress(ValueError):
            answer = json.loads(stdout)
    if not isinstance(answer, dict):
        lines = stderr.decode(errors="replace").strip().splitlines()
        raise _failed(path, lines[-1] if lines else f"exit code {returncode}")
    if "problems" in answer:
        raise ConfigError([ConfigProblem(*problem) for problem in answer["problems"]])
    return config_from_values(_decoded(answer["values"]), source=path)


def _failed(path: Path, why: str) -> ConfigError:
    return ConfigError([ConfigProblem(str(path), None, None, f"cannot be read: {why}")])


def config_values(config: Config) -> dict[str, Any]:
    """Every key's value in `config` by dotted path, as JSON holds it; the inverse of
    `config_from_values`. An optional section left out has no entries."""
    values: dict[str, Any] = {}
    for key in KEYS:
        section = top_section(key)
        if section.optional and _field(config, section.path) is None:
            continue
        value = True if key.kind == "section" else _field(config, key.path)
        values[key.path] = value.isoformat() if isinstance(value, time) else value
    return values


def _field(config: Config, path: str) -> Any:
    value: Any = config
    for name in path.split("."):
        value = getattr(value, FIELD_NAMES.get(name, name))
    return value


def _decoded(values: dict[str, Any]) -> dict[str, Any]:
    return {path: _value(KEYS_BY_PATH[path], value) for path, value in values.items()}


def _value(key: Key, value: Any) -> Any:
    if key.kind == "time":
        return time.fromisoformat(value)
    if key.kind in _LISTS:
        return tuple(value)
    return value


def main() -> None:
    """The child: read the file named by the last argument, answer on stdout."""
    from breakd.config.load import load_config

    try:
        answer: dict[str, Any] = {"values": config_values(load_config(Path(sys.argv[-1])))}
    except ConfigError as error:
        answer = {
            "problems": [
                [problem.file, problem.line, problem.key, problem.message]
                for problem in error.problems
            ]
        }
    sys.stdout.write(json.dumps(answer) + "\n")
