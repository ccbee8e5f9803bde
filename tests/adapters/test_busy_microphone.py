"""A microphone in use, against a real PulseAudio with a null source ("fakemic") and a null
sink, and real recording clients (`parecord`). Runs as root or as a user.

Not covered: PipeWire's pipewire-pulse (the same protocol and pactl, but not run here).
"""

from __future__ import annotations

import asyncio
import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from breakd.adapters.busy import FREE, Reading
from breakd.adapters.busy.microphone import MicrophoneInUse, recording_apps
from breakd.adapters.select import open_busy_signals
from breakd.adapters.watcher import WatcherUnavailable
from breakd.config.load import load_config_text
from breakd.config.model import DEFAULT_CONFIG
from tests.dbus_services import WatchingReadings
from tests.desktop import require_tools, stop_process, wait_until

ZOOM = Reading.of({"microphone:zoom"})
IGNORED = ("org.PulseAudio.pavucontrol", "org.gnome.VolumeControl", "easyeffects")


@dataclass
class SoundServer:
    process: subprocess.Popen[bytes]
    env: dict[str, str]
    clients: list[subprocess.Popen[bytes]]

    def record(self, source: str, name: str, *properties: str) -> subprocess.Popen[bytes]:
        """A real recording client, as a call app's would be; stopped with the server."""
        argv = ["parecord", "-d", source, f"--client-name={name}", "/dev/null"]
        argv += [f"--property={item}" for item in properties]
        client = subprocess.Popen(argv, env=self.env, stdin=subprocess.DEVNULL)
        self.clients.append(client)
        return client

    def source_outputs(self) -> int:
        listed = subprocess.run(
            ["pactl", "list", "short", "source-outputs"],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        )
        return len(listed.stdout.splitlines())


@pytest.fixture
def pulse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[SoundServer]:
    require_tools("pulseaudio", "pactl", "parecord")
    runtime, home = tmp_path / "runtime", tmp_path / "home"
    for folder in (runtime, home):
        folder.mkdir(mode=0o700)
    server = f"unix:{runtime}/pulse/native"
    env = {**os.environ, "HOME": str(home), "XDG_RUNTIME_DIR": str(runtime)}
    env["PULSE_SERVER"] = server
    for variable in ("HOME", "XDG_RUNTIME_DIR", "PULSE_SERVER"):
        monkeypatch.setenv(variable, env[variable])
    with (tmp_path / "pulseaudio.log").open("wb") as log:
        process = subprocess.Popen(
            [
                *("pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1"),
                *("-L", "module-native-protocol-unix"),
                *("-L", "module-null-sink sink_name=spk"),
                *("-L", "module-null-source source_name=fakemic"),
            ],
            env={k: v for k, v in env.items() if k != "PULSE_SERVER"},
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    sound = SoundServer(process, env, [])
    try:

        def answers() -> bool:
            if process.poll() is not None:
                raise AssertionError(
                    f"pulseaudio exited: {(tmp_path / 'pulseaudio.log').read_text()}"
                )
            info = subprocess.run(["pactl", "info"], env=env, capture_output=True, timeout=5)
            return info.returncode == 0

        wait_until(answers, timeout=10, message="pulseaudio never answered")
        yield sound
    finally:
        for client in sound.clients:
            stop_process(client)
        stop_process(process)


def test_a_call_app_recording_is_busy_until_it_stops(pulse: SoundServer) -> None:
    async def scenario() -> None:
        signal = MicrophoneInUse(IGNORED)
        assert await signal.probe() == (
            "recording streams of the sound server, via pactl (now: not in use)"
        )
        async with WatchingReadings(signal) as watching:
            await watching.expect(FREE)
            zoom = pulse.record("fakemic", "zoom")
            await watching.expect(ZOOM)
            await asyncio.to_thread(stop_process, zoom)
            await watching.expect(FREE)

    asyncio.run(scenario())


def test_meters_monitors_and_ignored_apps_do_not_count(pulse: SoundServer) -> None:
    async def scenario() -> None:
        async with WatchingReadings(MicrophoneInUse(IGNORED)) as watching:
            await watching.expect(FREE)
            pulse.record("fakemic", "Volume Control", "application.id=org.PulseAudio.pavucontrol")
            pulse.record("spk.monitor", "visualiser")  # what the speakers play
            pulse.record("fakemic", "EasyEffects", "application.process.binary=easyeffects")
            await until_outputs(pulse, 3)
            pulse.record("fakemic", "zoom")  # the one that counts comes last
            await watching.expect(ZOOM)
            assert watching.events == [FREE, ZOOM]

    asyncio.run(scenario())


def test_the_sound_server_going_away_stops_the_signal(pulse: SoundServer) -> None:
    async def scenario() -> None:
        async with WatchingReadings(MicrophoneInUse(IGNORED)) as watching:
            await watching.expect(FREE)
            await asyncio.to_thread(stop_process, pulse.process)
            await watching.stopped()

    asyncio.run(scenario())


def test_no_sound_server_is_unavailable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    require_tools("pactl")
    monkeypatch.setenv("PULSE_SERVER", f"unix:{tmp_path}/no-such-socket")
    with pytest.raises(WatcherUnavailable, match="no PulseAudio or PipeWire sound server"):
        asyncio.run(MicrophoneInUse().probe())


def test_without_pactl_it_is_unavailable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(WatcherUnavailable, match="pactl is not installed"):
        asyncio.run(MicrophoneInUse().probe())


def test_recording_apps_from_pactl_json() -> None:
    sources = [
        {"index": 0, "name": "spk.monitor", "properties": {"device.class": "monitor"}},
        {"index": 1, "name": "fakemic", "properties": {"device.class": "abstract"}},
    ]
    outputs = [
        {"source": 1, "corked": False, "properties": {"application.name": "Zoom"}},
        {"source": 0, "corked": False, "properties": {"application.name": "cava"}},
        {"source": 1, "corked": True, "properties": {"application.name": "discord"}},
        {"source": 1, "properties": {"application.name": "ec", "node.virtual": "true"}},
        {"source": 1, "properties": {"application.id": "org.gnome.VolumeControl"}},
        {"source": 1, "properties": {}},
    ]
    ignore = frozenset(app.casefold() for app in IGNORED)
    assert recording_apps(outputs, sources, ignore) == {"microphone:zoom", "microphone:unknown"}


async def until_outputs(pulse: SoundServer, count: int) -> None:
    deadline = asyncio.get_running_loop().time() + 5
    while await asyncio.to_thread(pulse.source_outputs) < count:
        assert asyncio.get_running_loop().time() < deadline, "the recordings never started"
        await asyncio.sleep(0.05)


def test_off_by_default_and_switched_on_with_its_own_ignore_list() -> None:
    assert DEFAULT_CONFIG.dont_interrupt.signals.microphone is False
    assert "microphone" not in [signal.name for signal in open_busy_signals(DEFAULT_CONFIG)]

    config = load_config_text(
        "dont_interrupt:\n  signals: {microphone: true}\n  microphone: {ignore_apps: [krisp]}\n",
        "config.yaml",
    )

    (signal,) = [s for s in open_busy_signals(config) if s.name == "microphone"]
    assert isinstance(signal, MicrophoneInUse)
    assert config.dont_interrupt.microphone.ignore_apps == ("krisp",)
