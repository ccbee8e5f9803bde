"""The macOS idle source, up to the operating system's own calls.

Not covered here, because it needs a real Mac: loading IOKit and CoreFoundation;
ctypes marshalling through the argument and result types set in
`load_frameworks()`; and what those functions really return (that HIDIdleTime
is a CFNumber of nanoseconds). What is covered: every line of the source above
those calls, driven through stand-ins that behave like the documented C
functions (handles, reference counts, out-parameters written through real
memory, failure returns), plus the answer on the wrong platform.
"""

from __future__ import annotations

import ctypes
import itertools
import sys
from typing import Any

import pytest

from breakd.adapters.idle import IdleSourceUnavailable
from breakd.adapters.idle.macos import (
    CF_NUMBER_SINT64_TYPE,
    CF_STRING_ENCODING_UTF8,
    MASTER_PORT_DEFAULT,
    Frameworks,
    MacOSIdleSource,
)

# -- macOS ------------------------------------------------------------------------------

CF_NUMBER_TYPE_ID = 22
CF_STRING_TYPE_ID = 7


class FakeMac:
    """IOKit and CoreFoundation as far as the idle source uses them, with reference counts."""

    def __init__(self, idle_ns: int | None = 5_000_000_000, has_hid_system: bool = True) -> None:
        self.idle_ns = idle_ns
        self.has_hid_system = has_hid_system
        self.property_type = CF_NUMBER_TYPE_ID
        self.live: dict[int, tuple[str, Any]] = {}  # handle -> (kind, value)
        self.services_held = 0
        self._handles = itertools.count(0x1000)
        self.iokit = self
        self.core_foundation = self

    def frameworks(self) -> Frameworks:
        return Frameworks(self, self)

    def _new(self, kind: str, value: Any) -> int:
        handle = next(self._handles)
        self.live[handle] = (kind, value)
        return handle

    # IOKit
    def IOServiceMatching(self, name: bytes) -> int:
        return self._new("matching", name)

    def IOServiceGetMatchingService(self, port: int, matching: int) -> int:
        assert port == MASTER_PORT_DEFAULT
        kind, name = self.live.pop(matching)  # consumes the matching dictionary
        assert kind == "matching"
        if name != b"IOHIDSystem" or not self.has_hid_system:
            return 0
        self.services_held += 1
        return 77

    def IORegistryEntryCreateCFProperty(
        self, service: int, key: int, allocator: None, options: int
    ) -> int | None:
        assert service == 77 and allocator is None and options == 0
        assert self.live[key] == ("string", "HIDIdleTime")
        if self.idle_ns is None:
            return None
        return self._new(
            "number" if self.property_type == CF_NUMBER_TYPE_ID else "data", self.idle_ns
        )

    def IOObjectRelease(self, service: int) -> int:
        assert service == 77
        self.services_held -= 1
        return 0

    # CoreFoundation
    def CFStringCreateWithCString(self, allocator: None, text: bytes, encoding: int) -> int:
        assert encoding == CF_STRING_ENCODING_UTF8
        return self._new("string", text.decode())

    def CFGetTypeID(self, handle: int) -> int:
        kind, _ = self.live[handle]
        return {"number": CF_NUMBER_TYPE_ID, "string": CF_STRING_TYPE_ID}.get(kind, 99)

    def CFNumberGetTypeID(self) -> int:
        return CF_NUMBER_TYPE_ID

    def CFNumberGetValue(self, handle: int, number_type: int, address: int) -> bool:
        assert number_type == CF_NUMBER_SINT64_TYPE
        _kind, value = self.live[handle]
        ctypes.c_int64.from_address(address).value = int(value)
        return True

    def CFRelease(self, handle: int) -> None:
        del self.live[handle]


def test_macos_idle_time_is_hid_idle_time_in_seconds_and_nothing_leaks() -> None:
    mac = FakeMac(idle_ns=5_000_000_000)
    source = MacOSIdleSource(mac.frameworks())
    assert source.name == "macos-iokit-hid"
    assert source.idle_seconds() == 5.0
    mac.idle_ns = 7_200 * 10**9 + 250_000_000
    assert source.idle_seconds() == 7200.25
    assert [kind for kind, _ in mac.live.values()] == ["string"], "only the key stays"
    source.close()
    source.close()
    assert mac.live == {} and mac.services_held == 0


def test_macos_without_the_hid_system_says_so() -> None:
    mac = FakeMac(has_hid_system=False)
    with pytest.raises(IdleSourceUnavailable, match=r"^IOKit has no IOHIDSystem service$"):
        MacOSIdleSource(mac.frameworks())
    assert mac.live == {}


def test_macos_without_the_property_or_with_another_type_says_so_and_releases_all() -> None:
    mac = FakeMac(idle_ns=None)
    with pytest.raises(IdleSourceUnavailable, match=r"^IOHIDSystem has no HIDIdleTime property$"):
        MacOSIdleSource(mac.frameworks())
    assert mac.live == {} and mac.services_held == 0

    mac = FakeMac()
    mac.property_type = 99  # e.g. CFData, as some old systems gave
    with pytest.raises(IdleSourceUnavailable, match=r"^IOHIDSystem's HIDIdleTime is not a number$"):
        MacOSIdleSource(mac.frameworks())
    assert mac.live == {} and mac.services_held == 0


@pytest.mark.skipif(sys.platform == "darwin", reason="the real frameworks load on macOS")
def test_macos_source_elsewhere_says_not_on_macos() -> None:
    with pytest.raises(IdleSourceUnavailable, match=r"^not on macOS$"):
        MacOSIdleSource()
