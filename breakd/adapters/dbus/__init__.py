"""breakd's one D-Bus layer, on jeepney: every adapter that speaks D-Bus goes through it.

- `address`: where the session and system buses are (with the `$XDG_RUNTIME_DIR/bus`
  fallback jeepney lacks) and BusUnavailable. Free to import: no jeepney.
- `errors`: BusLost, CallTimedOut, the default deadline, failures as one sentence,
  and `watcher_errors`, which makes them a watcher's WatcherUnavailable.
- `blocking`: BlockingBus, for the synchronous idle sources.
- `link`: BusLink, one asyncio connection that notices a hang-up; SharedBus, one
  per bus for every watcher on it (session sources, busy signals).
- `rules`: match rules and reading a message's header.
- `follow`: following one service's name and signals, the loop every watcher shares.
- `buses`: sharing connections between adapters: Buses (one SharedBus per bus for
  the watchers) and TriedBuses (one blocking connection for idle sources tried in turn).

This package imports nothing itself, so that `address` stays jeepney-free: an
idle daemon with no bus in use must not carry jeepney.
"""
