"""macOS idle time: the HID system's `HIDIdleTime` from IOKit, through ctypes.

`HIDIdleTime` is a CFNumber of nanoseconds since the last keyboard, mouse or
trackpad input. The IOHIDSystem service is looked up once; each sample creates
the property, reads it as a 64-bit integer and releases it.

The two frameworks are handed in (`Frameworks`), so that tests on other systems
can stand in for them and run every line here; only `load_frameworks()` and
the C functions themselves need a Mac.
"""

from __future__ import annotations

import ctypes
import sys
from typing import Any, NamedTuple

from breakd.adapters.idle import IdleSourceUnavailable, SampledOnly

IOKIT_PATH = "/System/Library/Frameworks/IOKit.framework/IOKit"
CORE_FOUNDATION_PATH = "/System/Library/Frameworks/CoreFoundation.framework/CoreFoundation"
MASTER_PORT_DEFAULT = 0  # kIOMasterPortDefault is MACH_PORT_NULL
CF_STRING_ENCODING_UTF8 = 0x08000100
CF_NUMBER_SINT64_TYPE = 4
HID_SYSTEM = b"IOHIDSystem"
HID_IDLE_TIME = b"HIDIdleTime"


class Frameworks(NamedTuple):
    iokit: Any
    core_foundation: Any


def load_frameworks() -> Frameworks:
    """IOKit and CoreFoundation with their argument and result types set."""
    try:
        iokit = ctypes.CDLL(IOKIT_PATH)
        cf = ctypes.CDLL(CORE_FOUNDATION_PATH)
    except OSError as error:
        raise IdleSourceUnavailable(f"cannot load IOKit ({error})") from None
    pointer, port = ctypes.c_void_p, ctypes.c_uint32
    iokit.IOServiceMatching.restype = pointer
    iokit.IOServiceMatching.argtypes = (ctypes.c_char_p,)
    iokit.IOServiceGetMatchingService.restype = port
    iokit.IOServiceGetMatchingService.argtypes = (port, pointer)
    iokit.IORegistryEntryCreateCFProperty.restype = pointer
    iokit.IORegistryEntryCreateCFProperty.argtypes = (port, pointer, pointer, ctypes.c_uint32)
    iokit.IOObjectRelease.restype = ctypes.c_int
    iokit.IOObjectRelease.argtypes = (port,)
    cf.CFStringCreateWithCString.restype = pointer
    cf.CFStringCreateWithCString.argtypes = (pointer, ctypes.c_char_p, ctypes.c_uint32)
    cf.CFGetTypeID.restype = ctypes.c_ulong
    cf.CFGetTypeID.argtypes = (pointer,)
    cf.CFNumberGetTypeID.restype = ctypes.c_ulong
    cf.CFNumberGetTypeID.argtypes = ()
    cf.CFNumberGetValue.restype = ctypes.c_bool
    cf.CFNumberGetValue.argtypes = (pointer, ctypes.c_int, pointer)
    cf.CFRelease.restype = None
    cf.CFRelease.argtypes = (pointer,)
    return Frameworks(iokit, cf)


class MacOSIdleSource(SampledOnly):
    """Idle time of the logged-in console user on macOS."""

    name = "macos-iokit-hid"
    description = "IOKit's HIDIdleTime"

    def __init__(self, frameworks: Frameworks | None = None) -> None:
        """Find the HID system and read it once; IdleSourceUnavailable says why not."""
        if frameworks is None:
            if sys.platform != "darwin":
                raise IdleSourceUnavailable("not on macOS")
            frameworks = load_frameworks()
        self._iokit, self._cf = frameworks
        self._service = 0
        self._key: int | None = None
        self._nanoseconds = ctypes.c_int64()
        matching = self._iokit.IOServiceMatching(HID_SYSTEM)
        if not matching:
            raise IdleSourceUnavailable("IOKit could not build a match for IOHIDSystem")
        # Consumes `matching`, found or not.
        self._service = self._iokit.IOServiceGetMatchingService(MASTER_PORT_DEFAULT, matching)
        if not self._service:
            raise IdleSourceUnavailable("IOKit has no IOHIDSystem service")
        self._key = self._cf.CFStringCreateWithCString(None, HID_IDLE_TIME, CF_STRING_ENCODING_UTF8)
        if not self._key:
            self.close()
            raise IdleSourceUnavailable("CoreFoundation could not make the HIDIdleTime key")
        try:
            self.idle_seconds()
        except IdleSourceUnavailable:
            self.close()
            raise

    def idle_seconds(self) -> float:
        if not self._service:
            raise IdleSourceUnavailable("the macOS idle source is closed")
        value = self._iokit.IORegistryEntryCreateCFProperty(self._service, self._key, None, 0)
        if not value:
            raise IdleSourceUnavailable("IOHIDSystem has no HIDIdleTime property")
        try:
            if self._cf.CFGetTypeID(value) != self._cf.CFNumberGetTypeID():
                raise IdleSourceUnavailable("IOHIDSystem's HIDIdleTime is not a number")
            address = ctypes.addressof(self._nanoseconds)
            if not self._cf.CFNumberGetValue(value, CF_NUMBER_SINT64_TYPE, address):
                raise IdleSourceUnavailable("IOHIDSystem's HIDIdleTime does not fit 64 bits")
        finally:
            self._cf.CFRelease(value)
        return max(0, self._nanoseconds.value) / 1e9

    def close(self) -> None:
        """Release the key and the service; safe to call twice."""
        key, self._key = self._key, None
        if key:
            self._cf.CFRelease(key)
        service, self._service = self._service, 0
        if service:
            self._iokit.IOObjectRelease(service)
