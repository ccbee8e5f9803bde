"""The `dont_interrupt:` config section: defaults, mapping to the core and the busy
signals, and mistakes reported with file, line and key like the rest of the config."""

from __future__ import annotations

import pytest

from breakd.adapters.select import open_busy_signals
from breakd.config.load import load_config_text
from breakd.config.model import DEFAULT_CONFIG
from breakd.core.deferral import DontInterruptSettings
from breakd.errors import ConfigError


def test_defaults_follow_the_documented_ones() -> None:
    section = DEFAULT_CONFIG.dont_interrupt
    assert DEFAULT_CONFIG.tracker_settings().dont_interrupt == DontInterruptSettings(
        enabled=True, settle=45, max_deferral=5400, on_max_deferral="deliver"
    )
    assert (section.signals.dnd, section.signals.fullscreen, section.signals.camera) == (
        True,
        True,
        True,
    )
    assert section.signals.inhibitors == "meeting_only"
    assert section.inhibitors.meeting_reasons == ("WebRTC has active PeerConnections",)
    assert section.camera.ignore_processes == ("pipewire", "wireplumber")
    assert section.apps.never_interrupt == ()


def test_the_section_maps_to_the_core_and_the_signals() -> None:
    config = load_config_text(
        "dont_interrupt:\n"
        "  settle: 10s\n"
        "  max_deferral: 2h\n"
        "  on_max_deferral: keep_waiting\n"
        "  signals: {dnd: true, fullscreen: false, camera: false, inhibitors: 'off'}\n"
        "  apps: {never_interrupt: [obs], always_interrupt: []}\n",
        "config.yaml",
    )
    assert config.tracker_settings().dont_interrupt == DontInterruptSettings(
        True, 10, 7200, "keep_waiting"
    )
    names = [signal.name for signal in open_busy_signals(config)]
    assert names == [
        "dnd:dunst",
        "dnd:plasma",
        "dnd:xfce",
        "dnd:gnome",
        "dnd:swaync",
        "dnd:mako",
        "fullscreen:x11",
        "fullscreen:wayland",
    ]  # X11 and Wayland for the never list


def test_disabled_starts_no_signal_at_all() -> None:
    config = load_config_text("dont_interrupt: {enabled: false}\n", "config.yaml")
    assert open_busy_signals(config) == []
    assert config.tracker_settings().dont_interrupt.enabled is False


def test_mistakes_are_reported_with_file_line_and_key() -> None:
    text = (
        "dont_interrupt:\n"
        "  settle: 45\n"
        "  on_max_deferral: deliverr\n"
        "  signals:\n"
        "    dnd: maybe\n"
        "  inhibitors:\n"
        "    meeting_apps: [zoom, 42, zoom]\n"
        "  camera:\n"
        "    device: [/dev/video0]\n"
    )
    with pytest.raises(ConfigError) as raised:
        load_config_text(text, "config.yaml")
    problems = [str(problem) for problem in raised.value.problems]
    expected = [
        ("config.yaml:2", "dont_interrupt.settle", '"45s"'),
        ("config.yaml:3", "dont_interrupt.on_max_deferral", '"deliver"'),
        ("config.yaml:5", "dont_interrupt.signals.dnd", "true or false"),
        ("config.yaml:7", "dont_interrupt.inhibitors.meeting_apps[1]", "a name"),
        ("config.yaml:7", "dont_interrupt.inhibitors.meeting_apps[2]", "list each only once"),
        ("config.yaml:9", "dont_interrupt.camera", '"devices"'),
    ]
    assert len(problems) == len(expected), problems
    for problem, parts in zip(problems, expected, strict=True):
        assert all(part in problem for part in parts), (problem, parts)


def test_an_empty_list_is_allowed_where_names_are_listed() -> None:
    config = load_config_text(
        "dont_interrupt: {inhibitors: {meeting_reasons: []}}\n", "config.yaml"
    )
    assert config.dont_interrupt.inhibitors.meeting_reasons == ()
