"""A camera in use: a device node under the test's temp dir, held open by real processes
whose names are those of a call app (busy) and of the PipeWire daemon (ignored)."""

from __future__ import annotations

import asyncio
import os
import shutil
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from breakd.adapters.busy import FREE, Reading
from breakd.adapters.busy.camera import CameraInUse
from tests.dbus_services import WatchingReadings
from tests.desktop import stop_process


@pytest.fixture
def camera(tmp_path: Path) -> Path:
    """A character device like /dev/video0 (a copy of /dev/null's numbers); a plain file
    where the test may not create device nodes."""
    node = tmp_path / "dev" / "video0"
    node.parent.mkdir()
    try:
        os.mknod(node, stat.S_IFCHR | 0o660, os.makedev(1, 3))
    except PermissionError:
        node.write_bytes(b"")
    return node


@pytest.fixture
def holders(tmp_path: Path) -> Iterator[list[subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for proc in started:
        stop_process(proc)


def hold(tmp_path: Path, device: Path, name: str, started: list) -> subprocess.Popen[bytes]:
    """A process called `name` (its comm: a link to sleep) with `device` as its stdin."""
    program = tmp_path / name
    if not program.exists():
        program.symlink_to(shutil.which("sleep") or "/bin/sleep")
    with device.open("rb") as opened:
        proc = subprocess.Popen([str(program), "60"], stdin=opened)
    started.append(proc)
    return proc


def signal_for(camera: Path) -> CameraInUse:
    return CameraInUse(devices=[str(camera.parent / "video*")], poll_every=0.05)


def test_a_call_app_holding_the_camera_is_busy_until_it_lets_go(
    camera: Path, holders: list, tmp_path: Path
) -> None:
    async def scenario() -> None:
        async with WatchingReadings(signal_for(camera)) as watching:
            await watching.expect(FREE)
            zoom = hold(tmp_path, camera, "zoom", holders)
            await watching.expect(Reading.of({"camera:zoom"}))
            stop_process(zoom)
            await watching.expect(FREE)

    asyncio.run(scenario())


def test_pipewire_holding_the_camera_is_ignored(
    camera: Path, holders: list, tmp_path: Path
) -> None:
    hold(tmp_path, camera, "pipewire", holders)
    assert signal_for(camera).scan() == FREE
    hold(tmp_path, camera, "zoom", holders)
    assert signal_for(camera).scan() == Reading.of({"camera:zoom"})


def test_no_camera_device_is_free_and_said_so(tmp_path: Path) -> None:
    signal = CameraInUse(devices=[str(tmp_path / "video*")])
    assert signal.scan() == FREE
    assert "no camera device matches" in asyncio.run(signal.probe())
