"""How heavy is an idle breakd? Memory, CPU and wake-ups, printed beside their budgets.

breakd runs all day on laptops, so it has to be the lightest thing in the tray. This
script starts a private Xvfb (a real X server, so the daemon keeps its one X11
connection for the MIT-SCREEN-SAVER idle time) and a private D-Bus session bus, then
runs, side by side with isolated XDG directories:

* the floor: the venv's Python after importing APScheduler 3 and PyYAML, blocked for
  good; breakd can hardly be lighter than its own dependencies;
* the daemon, `breakd run` with the built-in defaults (no config file).

After a settle period both are sampled over a window (120 s by default) from /proc
alone: nothing talks to the daemon during the window, since every request would wake
it. Afterwards the `breakd status` round trip is timed against `python -c pass`.

Budgets: RSS at most floor + 2 MiB, CPU at most 0.02 % of one core, at most 0.5
context switches per second over all threads, and `breakd status` at most 2.5x
`python -c pass`. The verdicts are for reading only: the exit code is 0 whenever the
measurement ran, and 1 with a one-line error when it could not.

    python benchmarks/footprint.py [--window SECONDS] [--venv PATH]
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import json
import os
import select
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

RSS_BUDGET_MIB = 2.0  # above the floor
CPU_BUDGET_PERCENT = 0.02  # of one core
CTX_BUDGET_PER_SECOND = 0.5  # summed over all threads
STATUS_BUDGET_RATIO = 2.5  # `breakd status` / `python -c pass`

# Peers idling for two minutes under Xvfb on this kind of machine; measured once, by
# hand, not by this script: (name, RSS MiB, % of a core, context switches per second).
REFERENCE = (("Workrave", 41, 0.13, 12), ("Safe Eyes", 75, 0.15, 4))

START_TIMEOUT = 20.0
STOP_TIMEOUT = 5.0
CLK_TCK = os.sysconf("SC_CLK_TCK")
PR_SET_PDEATHSIG = 1

FLOOR_CODE = (
    "import os, signal\n"
    "import apscheduler.schedulers.asyncio, yaml\n"
    "os.write(1, b'ready\\n')\n"
    "signal.pause()\n"
)


class MeasurementError(Exception):
    """The measurement itself could not run; reported as one line, exit code 1."""


# -- reading /proc -------------------------------------------------------------------


@dataclass
class Snapshot:
    """One reading of a process from /proc."""

    at: float  # time.monotonic()
    ticks: int  # utime + stime of the whole thread group, dead threads included
    child_ticks: int  # cutime + cstime: reaped children
    run_ns: int | None  # scheduler run time summed over live threads (None: no schedstat)
    switches: dict[int, tuple[int, int]]  # tid -> (voluntary, involuntary)
    names: dict[int, str]  # tid -> comm
    rss_kib: int
    threads: int


def _read(path: str) -> str:
    with open(path) as file:
        return file.read()


def _status_fields(path: str) -> dict[str, str]:
    fields = {}
    for line in _read(path).splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return fields


def snapshot(pid: int) -> Snapshot:
    """Read CPU time, per-thread context switches, RSS and threads of `pid`.

    Context switches are summed over /proc/PID/task/*: /proc/PID/status counts the
    main thread only. A thread that exits between two snapshots takes its switches
    (and its schedstat run time) with it, so such threads are undercounted; the
    periodic samples record every thread id seen, which shows whether any came and went.
    """
    base = f"/proc/{pid}"
    at = time.monotonic()
    try:
        stat = _read(f"{base}/stat")
        status = _status_fields(f"{base}/status")
        tids = sorted(int(name) for name in os.listdir(f"{base}/task"))
    except (FileNotFoundError, ProcessLookupError):
        raise MeasurementError(f"process {pid} went away during the measurement") from None
    # Fields after the command name, which may itself contain spaces or parentheses:
    # utime stime cutime cstime are fields 14-17 of stat(5), i.e. 11-14 after ')'.
    rest = stat.rpartition(")")[2].split()
    utime, stime, cutime, cstime = (int(value) for value in rest[11:15])
    switches: dict[int, tuple[int, int]] = {}
    names: dict[int, str] = {}
    run_ns: int | None = 0
    for tid in tids:
        task = f"{base}/task/{tid}"
        try:
            fields = _status_fields(f"{task}/status")
            names[tid] = _read(f"{task}/comm").strip()
        except (FileNotFoundError, ProcessLookupError):
            continue  # the thread exited while we were reading
        switches[tid] = (
            int(fields["voluntary_ctxt_switches"]),
            int(fields["nonvoluntary_ctxt_switches"]),
        )
        if run_ns is not None:
            try:  # first field: nanoseconds on a CPU (kernels with CONFIG_SCHED_INFO)
                run_ns += int(_read(f"{task}/schedstat").split()[0])
            except (OSError, ValueError, IndexError):
                run_ns = None
    if "VmRSS" not in status:
        raise MeasurementError(f"process {pid} exited during the measurement")
    return Snapshot(
        at=at,
        ticks=utime + stime,
        child_ticks=cutime + cstime,
        run_ns=run_ns,
        switches=switches,
        names=names,
        rss_kib=int(status["VmRSS"].split()[0]),
        threads=int(status["Threads"]),
    )


@dataclass
class Usage:
    """What one process did between two snapshots."""

    seconds: float
    ticks: int
    child_ticks: int
    run_ns: int | None
    voluntary: int
    involuntary: int
    per_thread: dict[int, tuple[str, int, int]]  # tid -> (comm, voluntary, involuntary)
    rss_end_kib: int
    rss_max_kib: int
    threads_end: int
    threads_max: int
    tids_seen: set[int] = field(default_factory=set)

    @property
    def switches(self) -> int:
        return self.voluntary + self.involuntary

    def switches_per_second(self) -> float:
        return self.switches / self.seconds

    def cpu_percent(self) -> float:
        """Share of one core: scheduler run time if the kernel has it, else clock ticks."""
        own = self.ticks / CLK_TCK if self.run_ns is None else self.run_ns / 1e9
        return 100.0 * (own + self.child_ticks / CLK_TCK) / self.seconds


def usage(start: Snapshot, end: Snapshot, samples: list[Snapshot]) -> Usage:
    """Differences between two snapshots; threads born in the window count from zero."""
    per_thread = {}
    for tid, (voluntary, involuntary) in end.switches.items():
        before = start.switches.get(tid, (0, 0))
        per_thread[tid] = (end.names[tid], voluntary - before[0], involuntary - before[1])
    run_ns = None
    if start.run_ns is not None and end.run_ns is not None:
        run_ns = max(0, end.run_ns - start.run_ns)
    everything = [start, *samples, end]
    return Usage(
        seconds=end.at - start.at,
        ticks=end.ticks - start.ticks,
        child_ticks=end.child_ticks - start.child_ticks,
        run_ns=run_ns,
        voluntary=sum(v for _, v, _ in per_thread.values()),
        involuntary=sum(i for _, _, i in per_thread.values()),
        per_thread=per_thread,
        rss_end_kib=end.rss_kib,
        rss_max_kib=max(s.rss_kib for s in everything),
        threads_end=end.threads,
        threads_max=max(s.threads for s in everything),
        tids_seen={tid for s in everything for tid in s.switches},
    )


# -- child processes -------------------------------------------------------------------


def _die_with_parent() -> None:
    """Runs in the child before exec: SIGTERM it if this script dies without cleaning up."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)


class Children:
    """Long-lived children, stopped by their Popen handles in reverse order of start."""

    def __init__(self) -> None:
        self._procs: list[tuple[str, subprocess.Popen[bytes]]] = []

    def start(self, name: str, argv: list[str], **kwargs: Any) -> subprocess.Popen[bytes]:
        # A session of their own: Ctrl-C reaches this script only, which then stops
        # them in order (the daemon before the X server it is connected to).
        try:
            proc: subprocess.Popen[bytes] = subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
                preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
                **kwargs,
            )
        except OSError as error:
            raise MeasurementError(f"cannot start {name} ({argv[0]}): {error.strerror}") from None
        self._procs.append((name, proc))
        return proc

    def stop_all(self) -> None:
        while self._procs:
            _name, proc = self._procs.pop()
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(STOP_TIMEOUT)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(STOP_TIMEOUT)
            for stream in (proc.stdout, proc.stderr):
                if stream is not None:
                    stream.close()


def read_line(fd: int, proc: subprocess.Popen[bytes], what: str, log: Path) -> str:
    """The first line a child writes to `fd`, within START_TIMEOUT, else MeasurementError."""
    deadline = time.monotonic() + START_TIMEOUT
    data = b""
    while b"\n" not in data:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise MeasurementError(f"{what} did not start within {START_TIMEOUT:g} s{_tail(log)}")
        ready, _, _ = select.select([fd], [], [], min(remaining, 0.2))
        if ready:
            chunk = os.read(fd, 256)
            if not chunk:
                raise MeasurementError(f"{what} exited before it was ready{_tail(log)}")
            data += chunk
        elif proc.poll() is not None:
            raise MeasurementError(f"{what} exited with {proc.returncode}{_tail(log)}")
    return data.split(b"\n", 1)[0].decode().strip()


def _tail(log: Path) -> str:
    """The last line of a child's log, to make a one-line error say why."""
    try:
        lines = [line for line in log.read_text(errors="replace").splitlines() if line.strip()]
    except OSError:
        return ""
    return f": {lines[-1].strip()}" if lines else ""


def start_xvfb(children: Children, tmp: Path) -> str:
    """A private X server; returns its DISPLAY. -noreset: the idle counter survives clients."""
    read_fd, write_fd = os.pipe()
    log = tmp / "xvfb.log"
    try:
        with log.open("wb") as out:
            proc = children.start(
                "Xvfb",
                [
                    "Xvfb",
                    "-displayfd",
                    str(write_fd),
                    "-screen",
                    "0",
                    "1280x800x24",
                    "-noreset",
                    "-nolisten",
                    "tcp",
                ],
                stdout=out,
                stderr=out,
                pass_fds=(write_fd,),
            )
        os.close(write_fd)
        write_fd = -1
        return ":" + read_line(read_fd, proc, "Xvfb", log)
    finally:
        os.close(read_fd)
        if write_fd >= 0:
            os.close(write_fd)


def start_dbus(children: Children, tmp: Path) -> str:
    """A private session bus, so nothing reaches the user's own session; returns its address."""
    read_fd, write_fd = os.pipe()
    log = tmp / "dbus.log"
    try:
        with log.open("wb") as out:
            proc = children.start(
                "dbus-daemon",
                ["dbus-daemon", "--session", "--nofork", f"--print-address={write_fd}"],
                stdout=out,
                stderr=out,
                pass_fds=(write_fd,),
            )
        os.close(write_fd)
        write_fd = -1
        return read_line(read_fd, proc, "dbus-daemon", log)
    finally:
        os.close(read_fd)
        if write_fd >= 0:
            os.close(write_fd)


def session_env(tmp: Path, display: str, bus: str) -> dict[str, str]:
    """The user's environment pointed at the private X server, bus and XDG directories."""
    env = dict(os.environ)
    for name in ("WAYLAND_DISPLAY", "XAUTHORITY", "XDG_SESSION_TYPE", "BREAKD_CONFIG"):
        env.pop(name, None)
    env["DISPLAY"] = display
    env["DBUS_SESSION_BUS_ADDRESS"] = bus
    for name, sub in (
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_STATE_HOME", "state"),
        ("XDG_CACHE_HOME", "cache"),
        ("XDG_DATA_HOME", "data"),
        ("XDG_RUNTIME_DIR", "runtime"),
    ):
        path = tmp / sub
        path.mkdir(mode=0o700)
        path.chmod(0o700)
        env[name] = str(path)
    return env


def start_floor(children: Children, python: Path, env: dict[str, str], tmp: Path) -> int:
    """The floor process; returns once it has imported its dependencies."""
    log = tmp / "floor.log"
    with log.open("wb") as err:
        proc = children.start(
            "floor", [str(python), "-c", FLOOR_CODE], env=env, stdout=subprocess.PIPE, stderr=err
        )
    assert proc.stdout is not None
    read_line(proc.stdout.fileno(), proc, "the floor process (APScheduler + PyYAML)", log)
    return proc.pid


AWAY_CONFIG = "sitting:\n  break_after_idle: 10s\n"


def start_daemon(
    children: Children, breakd: Path, env: dict[str, str], tmp: Path, away: bool = False
) -> int:
    """`breakd run` with the built-in defaults; returns once `breakd status` answers.

    With `away`, a config that makes the untouched Xvfb count as away after 10 s, so
    the window shows the busiest idle state: sampling every `poll_every` (5 s).
    """
    log = tmp / "daemon.log"
    argv = [str(breakd), "run"]
    if away:
        config = tmp / "away.yaml"
        config.write_text(AWAY_CONFIG)
        argv = [str(breakd), "--config", str(config), "run"]
    with log.open("wb") as err:
        proc = children.start("daemon", argv, env=env, stdout=err, stderr=err)
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        if proc.poll() is not None:
            raise MeasurementError(f"breakd run exited with {proc.returncode}{_tail(log)}")
        with contextlib.suppress(subprocess.TimeoutExpired):
            result = subprocess.run(
                [str(breakd), "status"], env=env, capture_output=True, timeout=5.0, check=False
            )
            if result.returncode == 0:
                return proc.pid
        if time.monotonic() >= deadline:
            raise MeasurementError(
                f"breakd status did not answer within {START_TIMEOUT:g} s{_tail(log)}"
            )
        time.sleep(0.1)


# -- the measurements --------------------------------------------------------------------


def sample_window(
    pids: dict[str, int], window: float, every: float
) -> tuple[dict[str, Usage], float]:
    """Read /proc at the start, every `every` seconds, and at the end; touches no process."""
    starts = {name: snapshot(pid) for name, pid in pids.items()}
    samples: dict[str, list[Snapshot]] = {name: [] for name in pids}
    began = time.monotonic()
    end_at = began + window
    while (now := time.monotonic()) < end_at:
        time.sleep(min(every, end_at - now))
        if time.monotonic() < end_at - 0.5:
            for name, pid in pids.items():
                samples[name].append(snapshot(pid))
    ends = {name: snapshot(pid) for name, pid in pids.items()}
    results = {name: usage(starts[name], ends[name], samples[name]) for name in pids}
    return results, time.monotonic() - began


def _run_quietly(argv: list[str], env: dict[str, str]) -> int:
    """Spawn and wait; returns the time in nanoseconds. Fails on a non-zero exit."""
    began = time.perf_counter_ns()
    result = subprocess.run(
        argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False
    )
    elapsed = time.perf_counter_ns() - began
    if result.returncode != 0:
        message = result.stderr.decode(errors="replace").strip().splitlines() or ["no message"]
        raise MeasurementError(f"{' '.join(argv)} exited with {result.returncode}: {message[-1]}")
    return elapsed


def time_round_trips(
    python: Path, breakd: Path, env: dict[str, str], reps: int, warmup: int = 3
) -> tuple[float, float]:
    """Median wall time (ms) of `python -c pass` and `breakd status`, interleaved."""
    bare = [str(python), "-c", "pass"]
    status = [str(breakd), "status"]
    for _ in range(warmup):
        _run_quietly(bare, env)
        _run_quietly(status, env)
    bare_ns: list[int] = []
    status_ns: list[int] = []
    for _ in range(reps):
        bare_ns.append(_run_quietly(bare, env))
        status_ns.append(_run_quietly(status, env))
    return statistics.median(bare_ns) / 1e6, statistics.median(status_ns) / 1e6


@dataclass
class ImportTime:
    """Medians over runs, in ms; `top` is a module imported at the outermost level."""

    self_ms: float
    cumulative_ms: float
    top: bool


def import_times(argv: list[str], env: dict[str, str], runs: int) -> dict[str, ImportTime]:
    """Per-module import times of a command, from `-X importtime` (which inflates them)."""
    env = {**env, "PYTHONPROFILEIMPORTTIME": "1"}
    times: dict[str, tuple[list[float], list[float], bool]] = {}
    for _ in range(runs):
        result = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
        for line in result.stderr.splitlines():
            if not line.startswith("import time:"):
                continue
            parts = line[len("import time:") :].split("|")
            if len(parts) != 3 or not parts[0].strip().isdigit():
                continue  # the header line
            # The name column is " " + two spaces per nesting level + the module name.
            top = not parts[2].startswith("   ")
            own, cumulative, _ = times.setdefault(parts[2].strip(), ([], [], top))
            own.append(int(parts[0]) / 1000)
            cumulative.append(int(parts[1]) / 1000)
    return {
        name: ImportTime(statistics.median(own), statistics.median(cumulative), top)
        for name, (own, cumulative, top) in times.items()
    }


def daemon_status(breakd: Path, env: dict[str, str]) -> dict[str, object]:
    """What the daemon says it was doing (after the window), to show it stayed idle."""
    result = subprocess.run(
        [str(breakd), "status", "--json"], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        return {}
    try:
        return json.loads(result.stdout)
    except ValueError:
        return {}


# -- the report ---------------------------------------------------------------------------


def _verdict(ok: bool) -> str:
    return "ok" if ok else "OVER"


def _ticks(count: int) -> str:
    return f"{count} tick" + ("" if count == 1 else "s")


def print_report(
    versions: str,
    window: float,
    floor: Usage,
    daemon: Usage,
    status: dict[str, object],
    bare_ms: float,
    status_ms: float,
    reps: int,
    imports: tuple[dict[str, ImportTime], dict[str, ImportTime]] | None,
) -> None:
    row = "{:<22} {:>10} {:>10}     {:<24}{}"
    mib = 1024.0
    floor_rss = floor.rss_end_kib / mib
    daemon_rss = daemon.rss_end_kib / mib
    rss_limit = floor_rss + RSS_BUDGET_MIB
    cpu = daemon.cpu_percent()
    ctx = daemon.switches_per_second()
    ratio = status_ms / bare_ms
    cores = os.cpu_count() or 0
    print(
        f"breakd footprint, idle daemon under Xvfb, {window:.0f} s window "
        f"({versions}, {cores} core{'' if cores == 1 else 's'})"
    )
    print(row.format("", "floor", "breakd", "budget", "verdict").rstrip())
    print(
        row.format(
            "RSS (MiB)",
            f"{floor_rss:.1f}",
            f"{daemon_rss:.1f}",
            f"<= floor + {RSS_BUDGET_MIB:.1f} ({rss_limit:.1f})",
            _verdict(daemon_rss <= rss_limit),
        )
    )
    print(
        row.format(
            "  max over window",
            f"{floor.rss_max_kib / mib:.1f}",
            f"{daemon.rss_max_kib / mib:.1f}",
            "",
            _verdict(daemon.rss_max_kib / mib <= rss_limit),
        )
    )
    print(
        row.format(
            "CPU (% of a core)",
            f"{floor.cpu_percent():.4f}",
            f"{cpu:.4f}",
            f"<= {CPU_BUDGET_PERCENT:.3f}",
            _verdict(cpu <= CPU_BUDGET_PERCENT),
        )
    )
    one_tick = 100.0 / CLK_TCK / daemon.seconds
    print(
        row.format(
            "  utime+stime",
            _ticks(floor.ticks),
            _ticks(daemon.ticks),
            f"(1 tick = {one_tick:.4f} %)",
            "",
        ).rstrip()
    )
    print(
        row.format(
            "  reaped children",
            _ticks(floor.child_ticks),
            _ticks(daemon.child_ticks),
            "",
            "",
        ).rstrip()
    )
    print(
        row.format(
            "ctx switches/s",
            f"{floor.switches_per_second():.2f}",
            f"{ctx:.2f}",
            f"<= {CTX_BUDGET_PER_SECOND:.2f}",
            _verdict(ctx <= CTX_BUDGET_PER_SECOND),
        )
    )
    print(
        row.format(
            "  voluntary/involuntary",
            f"{floor.voluntary}/{floor.involuntary}",
            f"{daemon.voluntary}/{daemon.involuntary}",
            "",
            "",
        ).rstrip()
    )
    print(
        row.format(
            "threads",
            str(floor.threads_end),
            str(daemon.threads_end),
            "1",
            _verdict(daemon.threads_max == 1),
        )
    )
    for name, use in (("floor", floor), ("breakd", daemon)):
        if use.threads_max > 1 or len(use.tids_seen) > use.threads_end:
            print(
                f"  {name}: {len(use.tids_seen)} thread ids seen, at most {use.threads_max} at once"
            )
        if use.threads_max > 1 or use.switches_per_second() > CTX_BUDGET_PER_SECOND:
            for tid, (comm, voluntary, involuntary) in sorted(use.per_thread.items()):
                print(
                    f"  {name} thread {tid} ({comm}): {voluntary} voluntary, {involuntary} involuntary"
                )
    print(
        f"status round trip      python -c pass {bare_ms:.1f} ms, breakd status {status_ms:.1f} ms: "
        f"{ratio:.2f}x (budget <= {STATUS_BUDGET_RATIO:g}x; medians of {reps})   "
        f"{_verdict(ratio <= STATUS_BUDGET_RATIO)}"
    )
    if imports is not None:
        bare_imports, status_imports = imports
        extra = {name: t for name, t in status_imports.items() if name not in bare_imports}
        tops = sorted(
            ((name, t.cumulative_ms) for name, t in extra.items() if t.top),
            key=lambda item: item[1],
            reverse=True,
        )
        largest = sorted(extra.items(), key=lambda item: item[1].self_ms, reverse=True)[:5]
        print(
            f"imports beyond python -c pass (-X importtime, medians, ms): {len(extra)} modules, "
            f"{sum(t.self_ms for t in extra.values()):.1f} in all; top level: "
            + ", ".join(f"{name} {ms:.1f}" for name, ms in tops)
            + "; largest alone: "
            + ", ".join(f"{name} {t.self_ms:.1f}" for name, t in largest)
        )
    if status:
        print(
            f"daemon after the window: state {status.get('state')}, idle {status.get('idle_seconds')} s, "
            f"idle source {status.get('idle_source')}, reminders via {status.get('notifier')}, "
            f"next reminder in {status.get('next_reminder_in_seconds')} s"
        )
    print(
        "floor: the same python after `import apscheduler.schedulers.asyncio, yaml`, "
        "then signal.pause(); breakd: `breakd run` with the built-in defaults"
    )
    print(
        "reference (measured earlier on this kind of machine, not in this run): "
        + "; ".join(
            f"{name} {rss} MiB, {cpu_:.2f} %, {ctx_}/s" for name, rss, cpu_, ctx_ in REFERENCE
        )
    )


# -- main ---------------------------------------------------------------------------------


def find_venv_bin(venv: str | None) -> tuple[Path, Path]:
    """The python and breakd to measure: --venv, else the repo's .venv, else this Python's."""
    candidates = []
    if venv is not None:
        candidates.append(Path(venv) / "bin")
    else:
        candidates.append(Path(__file__).resolve().parents[1] / ".venv" / "bin")
        candidates.append(Path(sys.executable).parent)
    for bin_dir in candidates:
        if (bin_dir / "breakd").is_file() and (bin_dir / "python").exists():
            return bin_dir / "python", bin_dir / "breakd"
    raise MeasurementError(
        "no breakd found in " + " or ".join(str(c) for c in candidates) + " (make the venv first)"
    )


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--window", type=float, default=120.0, metavar="SECONDS", help="sampling window"
    )
    parser.add_argument(
        "--settle", type=float, default=5.0, metavar="SECONDS", help="wait after start"
    )
    parser.add_argument(
        "--sample-every", type=float, default=5.0, metavar="SECONDS", help="RSS sampling period"
    )
    parser.add_argument(
        "--reps", type=int, default=30, help="status round trips to time (after 3 warm-ups)"
    )
    parser.add_argument("--venv", metavar="PATH", help="virtualenv with breakd (default: .venv)")
    parser.add_argument("--no-imports", action="store_true", help="skip the import-time line")
    parser.add_argument(
        "--away",
        action="store_true",
        help="measure the away state (break_after_idle 10s), where breakd samples every 5 s",
    )
    args = parser.parse_args(argv)
    if args.window < 1 or args.settle < 0 or args.sample_every <= 0 or args.reps < 1:
        parser.error("--window must be >= 1 s, --settle >= 0, --sample-every > 0, --reps >= 1")
    return args


@contextlib.contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM unwinds like Ctrl-C, so the children are still stopped by handle."""

    def handler(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL if previous is None else previous)


def versions(python: Path, breakd: Path) -> str:
    """ "breakd 0.1.0, Python 3.11.7": what was measured, from the venv itself."""
    found = []
    for argv in (
        [str(breakd), "--version"],
        [str(python), "-c", "import platform; print('Python', platform.python_version())"],
    ):
        result = subprocess.run(argv, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise MeasurementError(f"{' '.join(argv)} exited with {result.returncode}")
        found.append(result.stdout.strip())
    return ", ".join(found)


def compile_breakd(python: Path) -> None:
    """Byte-compile breakd as an installed wheel would be, so that neither process pays
    for compiling sources (PYTHONDONTWRITEBYTECODE would otherwise make that permanent)."""
    result = subprocess.run(
        [
            str(python),
            "-c",
            "import compileall, breakd, os; "
            "raise SystemExit(not compileall.compile_dir(os.path.dirname(breakd.__file__), quiet=1))",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise MeasurementError(f"could not byte-compile breakd: {result.stderr.strip()}")


def measure(args: argparse.Namespace) -> None:
    python, breakd = find_venv_bin(args.venv)
    measured = versions(python, breakd)
    compile_breakd(python)
    children = Children()
    with tempfile.TemporaryDirectory(prefix="breakd-footprint-") as tmp_name:
        tmp = Path(tmp_name)
        try:
            display = start_xvfb(children, tmp)
            bus = start_dbus(children, tmp)
            env = session_env(tmp, display, bus)
            floor_pid = start_floor(children, python, env, tmp)
            daemon_pid = start_daemon(children, breakd, env, tmp, away=args.away)
            time.sleep(max(args.settle, 15.0) if args.away else args.settle)
            usages, window = sample_window(
                {"floor": floor_pid, "breakd": daemon_pid}, args.window, args.sample_every
            )
            # Only now may anything talk to the daemon.
            status = daemon_status(breakd, env)
            bare_ms, status_ms = time_round_trips(python, breakd, env, args.reps)
            imports = None
            if not args.no_imports:
                imports = (
                    import_times([str(python), "-c", "pass"], env, runs=7),
                    import_times([str(breakd), "status"], env, runs=7),
                )
        finally:
            # Let the clean-up finish; it cannot hang (SIGKILL after STOP_TIMEOUT).
            handlers = {
                signum: signal.getsignal(signum) for signum in (signal.SIGINT, signal.SIGTERM)
            }
            for signum in handlers:
                signal.signal(signum, signal.SIG_IGN)
            try:
                children.stop_all()
            finally:
                for signum, handler in handlers.items():
                    signal.signal(signum, signal.SIG_DFL if handler is None else handler)
    print_report(
        measured,
        window,
        usages["floor"],
        usages["breakd"],
        status,
        bare_ms,
        status_ms,
        args.reps,
        imports,
    )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        with terminate_as_interrupt():
            measure(args)
    except MeasurementError as error:
        print(f"footprint: error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("footprint: interrupted", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
