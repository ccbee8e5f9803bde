"""Every Wayland request breakd sends and event it reads, one row each: the only place
their opcodes and signatures are written.

A row says what the protocol's XML says: the interface, the message's name, its opcode
(its place among its interface's requests, or events), its arguments as a wire signature
(`wire.py`) and the interface version that brought it. tests/adapters/test_wayland_xml.py
checks each row against the XML that Debian's packages ship (wayland.xml,
wayland-protocols, plasma-wayland-protocols).
"""

from __future__ import annotations

from typing import NamedTuple


class Message(NamedTuple):
    """One request or event of one interface."""

    interface: str
    name: str
    opcode: int
    signature: str
    since: int = 1


# -- wayland.xml: the core ------------------------------------------------------------

DISPLAY_SYNC = Message("wl_display", "sync", 0, "n")
DISPLAY_GET_REGISTRY = Message("wl_display", "get_registry", 1, "n")
DISPLAY_ERROR = Message("wl_display", "error", 0, "ous")
DISPLAY_DELETE_ID = Message("wl_display", "delete_id", 1, "u")
REGISTRY_BIND = Message("wl_registry", "bind", 0, "usun")
"""A new_id without an interface in the XML: interface name, version, id."""
REGISTRY_GLOBAL = Message("wl_registry", "global", 0, "usu")
REGISTRY_GLOBAL_REMOVE = Message("wl_registry", "global_remove", 1, "u")
CALLBACK_DONE = Message("wl_callback", "done", 0, "u")

# -- ext-idle-notify-v1 (wayland-protocols, staging) -----------------------------------

EXT_NOTIFIER = "ext_idle_notifier_v1"
EXT_GET_IDLE_NOTIFICATION = Message(EXT_NOTIFIER, "get_idle_notification", 1, "nuo")
EXT_GET_INPUT_IDLE_NOTIFICATION = Message(
    EXT_NOTIFIER, "get_input_idle_notification", 2, "nuo", since=2
)
"""Input only: idle inhibitors do not hold it back (wayland-protocols 1.38 and later)."""
EXT_NOTIFICATION_DESTROY = Message("ext_idle_notification_v1", "destroy", 0, "")
EXT_IDLED = Message("ext_idle_notification_v1", "idled", 0, "")
EXT_RESUMED = Message("ext_idle_notification_v1", "resumed", 1, "")

# -- org_kde_kwin_idle (plasma-wayland-protocols' idle.xml) ----------------------------

KDE_IDLE = "org_kde_kwin_idle"
KDE_GET_IDLE_TIMEOUT = Message(KDE_IDLE, "get_idle_timeout", 0, "nou")
KDE_TIMEOUT_RELEASE = Message("org_kde_kwin_idle_timeout", "release", 0, "")
KDE_IDLE_EVENT = Message("org_kde_kwin_idle_timeout", "idle", 0, "")
KDE_RESUMED = Message("org_kde_kwin_idle_timeout", "resumed", 1, "")

# -- wlr-foreign-toplevel-management-unstable-v1 (wlr-protocols) -----------------------

TOPLEVEL_MANAGER = "zwlr_foreign_toplevel_manager_v1"
_HANDLE = "zwlr_foreign_toplevel_handle_v1"
MANAGER_STOP = Message(TOPLEVEL_MANAGER, "stop", 0, "")
MANAGER_TOPLEVEL = Message(TOPLEVEL_MANAGER, "toplevel", 0, "n")
MANAGER_FINISHED = Message(TOPLEVEL_MANAGER, "finished", 1, "")
HANDLE_DESTROY = Message(_HANDLE, "destroy", 7, "")
HANDLE_APP_ID = Message(_HANDLE, "app_id", 1, "s")
HANDLE_STATE = Message(_HANDLE, "state", 4, "a")
HANDLE_DONE = Message(_HANDLE, "done", 5, "")
HANDLE_CLOSED = Message(_HANDLE, "closed", 6, "")
STATE_ACTIVATED = 2
"""zwlr_foreign_toplevel_handle_v1.state: the toplevel has the keyboard focus."""
STATE_FULLSCREEN = 3
"""zwlr_foreign_toplevel_handle_v1.state, since version 2."""

REQUESTS = (
    DISPLAY_SYNC,
    DISPLAY_GET_REGISTRY,
    REGISTRY_BIND,
    EXT_GET_IDLE_NOTIFICATION,
    EXT_GET_INPUT_IDLE_NOTIFICATION,
    EXT_NOTIFICATION_DESTROY,
    KDE_GET_IDLE_TIMEOUT,
    KDE_TIMEOUT_RELEASE,
    MANAGER_STOP,
    HANDLE_DESTROY,
)
EVENTS = (
    DISPLAY_ERROR,
    DISPLAY_DELETE_ID,
    REGISTRY_GLOBAL,
    REGISTRY_GLOBAL_REMOVE,
    CALLBACK_DONE,
    EXT_IDLED,
    EXT_RESUMED,
    KDE_IDLE_EVENT,
    KDE_RESUMED,
    MANAGER_TOPLEVEL,
    MANAGER_FINISHED,
    HANDLE_APP_ID,
    HANDLE_STATE,
    HANDLE_DONE,
    HANDLE_CLOSED,
)
ENUMS = {
    (_HANDLE, "state", "activated"): STATE_ACTIVATED,
    (_HANDLE, "state", "fullscreen"): STATE_FULLSCREEN,
}
