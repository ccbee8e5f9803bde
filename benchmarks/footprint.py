"""How heavy is an idle breakd? Memory, wake-ups and CPU, printed beside their budgets.

breakd runs all day on laptops, so it has to be the lightest thing in the tray. This
script measures it as users have it: installed from a wheel (`pip install .`) into a
virtualenv of its own, `.venv-bench` by default, which it builds and then reuses while
the sources are unchanged. An editable install would not do: its import hook slows
every start of the venv's Python, `python -c pass` included, and so flatters the CLI.

Every measurement runs in a private session that the script starts and stops by PID:
an Xvfb (a real X server, so the daemon keeps its one X11 connection for the
MIT-SCREEN-SAVER idle time), a D-Bus session bus, a second dbus-daemon with the same
session-like config standing in for the system bus (DBUS_SYSTEM_BUS_ADDRESS), and dunst
as the notification server. Both buses have service activation switched off, so a
session without dunst really has no notification server. XDG directories are private.

* rss: the daemon on built-in defaults in each session shape a user has (X11 with a
  session bus, with or without a system bus and a notification server), its RSS
  against the floor: the same Python after importing APScheduler 3 and PyYAML,
  blocked for good. breakd can hardly be lighter than its own dependencies.
* sitting: wake-ups and CPU of that daemon in the full session, nobody at the keyboard
  yet (on defaults that is `sitting` for the first 5 minutes).
* away: the same with `sitting.break_after_idle: 10s`, once `breakd status --json`
  says the daemon is away; that is the state in which it waits for the user's return.
* cli: `breakd status` against the running daemon, timed against `python -c pass`.
* modules: where the daemon's memory goes. The daemon on built-in defaults in the full
  session lists the modules it holds (`sys.modules`, at its exit) and the order it
  imported them (`-X importtime`); a fresh Python then imports those beyond the floor's
  on top of the floor's own, all of them and all but each big group, for the RSS each
  group adds (medians of five), and tracemalloc sizes each module.

Windows are sampled from /proc alone, and nothing talks to the daemon during one,
since every request would wake it. Wake-ups are voluntary context switches summed over
all threads (/proc/PID/task/*/status): each is the daemon going to sleep to wait for
something, so it counts the times it was woken. CPU is utime+stime from /proc/PID/stat
(reaped children's included), as a share of one core.

Budgets: RSS at most floor + 2 MiB (target + 1 MiB) in every shape; sitting: at most
0.5 context switches per second, all threads, and 0.02 % of a core; away: no wake-ups
besides real timers (so no more than sitting, which has the same timers and no
sampling, give or take one in two minutes) and at most 0.01 % of a core; `breakd status` at most 2.5x `python -c pass`.
The verdicts are for reading only: the exit code is 0 whenever the measurement ran,
and 1 with a one-line error when it could not. The machine's load average is printed,
since figures taken while something else runs are noisy.

    python benchmarks/footprint.py [--window SECONDS] [--only rss sitting away cli guide modules]
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import hashlib
import json
import os
import select
import shutil
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
RSS_TARGET_MIB = 1.0
SITTING_CPU_BUDGET = 0.02  # % of one core
SITTING_SWITCHES_BUDGET = 0.5  # context switches per second, voluntary and not, all threads
AWAY_CPU_TARGET = 0.01  # % of one core
AWAY_SLACK_PER_MINUTE = 0.5  # wake-ups beyond sitting's timers still read as none: one in 2 min
STATUS_BUDGET_RATIO = 2.5  # `breakd status` / `python -c pass`

GUIDE_WAKEUP_BUDGET = 1.0  # wake-ups per second of a guide's countdown: one a second at most
GUIDE_SECONDS = 70.0  # on built-in defaults: 5 s to get ready, 30 s a side, 5 s to switch
GUIDE_COUNTDOWN = (10.0, 30.0)  # seconds into the guide, inside the first side: only ticks
GUIDE_ONE_OFF = 50  # wake-ups a whole guide may add to its ticks: the command, the
# connection to the notification server (a dozen), the questions asked at each phase's
# start (2 each), and the sound player of each cue (started and reaped)
GUIDE_AFTER = 30.0  # seconds watched after a guide ends: nothing should come of it

MEASUREMENTS = ("rss", "sitting", "away", "cli", "guide", "modules")
AWAY_CONFIG = "sitting:\n  break_after_idle: 10s\n"
AWAY_AFTER = 10.0  # seconds, as in AWAY_CONFIG
SITTING_FOR = 270.0  # seconds a daemon on defaults stays sitting here: break_after_idle 5m
QUIET_BEFORE_WINDOW = 2.0  # seconds between the last request to the daemon and a window

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the private-session pieces the desktop tests use too
from tests.private_session import fresh_xdg_dirs, write_no_activation_bus_config  # noqa: E402

# What a wheel is built from; a change to any of these rebuilds the install.
WHEEL_SOURCES = ("pyproject.toml", "README.md", "breakd")
STAMP = "breakd-footprint.stamp"  # in the venv: the sources' digest once installed
NOTIFICATIONS_NAME = "org.freedesktop.Notifications"

START_TIMEOUT = 20.0
STOP_TIMEOUT = 5.0
INSTALL_TIMEOUT = 600.0
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


@dataclass(frozen=True)
class Shape:
    """Which pieces of a desktop session run beside the X server and the session bus."""

    name: str
    system_bus: bool
    dunst: bool


SHAPES = (
    Shape("X11 + session bus + system bus + dunst", system_bus=True, dunst=True),
    Shape("X11 + session bus + dunst, no system bus", system_bus=False, dunst=True),
    Shape("X11 + session + system bus, no notification server", system_bus=True, dunst=False),
    Shape("X11 + session bus only", system_bus=False, dunst=False),
)
FULL = SHAPES[0]


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

    def wakeups_per_minute(self) -> float:
        """Voluntary context switches, all threads: each one ends a sleep the daemon chose."""
        return 60.0 * self.voluntary / self.seconds

    def switches_per_second(self) -> float:
        return (self.voluntary + self.involuntary) / self.seconds

    def cpu_percent(self) -> float:
        """Share of one core from utime+stime (reaped children's too), in clock ticks."""
        return 100.0 * (self.ticks + self.child_ticks) / CLK_TCK / self.seconds

    def run_percent(self) -> float | None:
        """The same from the scheduler's run time in ns, where the kernel keeps it: finer."""
        if self.run_ns is None:
            return None
        return 100.0 * (self.run_ns / 1e9 + self.child_ticks / CLK_TCK) / self.seconds

    def tick_percent(self) -> float:
        """What one clock tick is worth over this window: the resolution of cpu_percent."""
        return 100.0 / CLK_TCK / self.seconds


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


# -- child processes -------------------------------------------------------------------


def _die_with_parent() -> None:
    """Runs in the child before exec: SIGTERM it if this script dies without cleaning up."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)


class Children:
    """Long-lived children, stopped by PID (their Popen handles) in reverse order of start."""

    def __init__(self) -> None:
        self._procs: list[subprocess.Popen[bytes]] = []

    def start(self, name: str, argv: list[str], **kwargs: Any) -> subprocess.Popen[bytes]:
        # A session of their own: Ctrl-C reaches this script only, which then stops
        # them in order (the daemon before the buses and the X server it uses).
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
        self._procs.append(proc)
        return proc

    def stop_all(self) -> None:
        """SIGTERM each, newest first, and reap it; SIGKILL one that ignores that."""
        while self._procs:
            proc = self._procs.pop()
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


@contextlib.contextmanager
def children_stopped_at_exit() -> Iterator[Children]:
    """A Children whose processes are all stopped on leaving, Ctrl-C or not."""
    children = Children()
    try:
        yield children
    finally:
        # Let the clean-up finish; it cannot hang (SIGKILL after STOP_TIMEOUT).
        handlers = {signum: signal.getsignal(signum) for signum in (signal.SIGINT, signal.SIGTERM)}
        for signum in handlers:
            signal.signal(signum, signal.SIG_IGN)
        try:
            children.stop_all()
        finally:
            for signum, handler in handlers.items():
                signal.signal(signum, signal.SIG_DFL if handler is None else handler)


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


def start_reporting_on_fd(
    children: Children, name: str, argv: list[str], tmp: Path, env: dict[str, str] | None = None
) -> str:
    """Start a program that writes one line when ready to the fd in place of "{fd}" in argv."""
    read_fd, write_fd = os.pipe()
    log = tmp / f"{name.replace(' ', '-')}.log"
    try:
        with log.open("wb") as out:
            proc = children.start(
                name,
                [arg.replace("{fd}", str(write_fd)) for arg in argv],
                stdout=out,
                stderr=out,
                pass_fds=(write_fd,),
                env=env,
            )
        os.close(write_fd)
        write_fd = -1
        return read_line(read_fd, proc, name, log)
    finally:
        os.close(read_fd)
        if write_fd >= 0:
            os.close(write_fd)


# -- the regular install ------------------------------------------------------------------


@dataclass(frozen=True)
class Install:
    """breakd installed from a wheel in a venv of its own."""

    python: Path
    breakd: Path
    package_dir: str  # where `import breakd` finds it
    built: bool  # False: reused, already up to date


def source_digest() -> str:
    """A digest of everything the wheel is built from."""
    digest = hashlib.sha256()
    for name in WHEEL_SOURCES:
        path = ROOT / name
        files = [path] if path.is_file() else sorted(path.rglob("*"))
        for file in files:
            if file.is_file() and "__pycache__" not in file.parts:
                digest.update(str(file.relative_to(ROOT)).encode() + b"\0")
                digest.update(file.read_bytes())
    return digest.hexdigest()


def _run_or_fail(
    argv: list[str], what: str, timeout: float = INSTALL_TIMEOUT, cwd: Path | None = None
) -> str:
    """Run a set-up step; its stdout, or MeasurementError with its last line of output."""
    try:
        result = subprocess.run(
            argv, capture_output=True, text=True, timeout=timeout, check=False, cwd=cwd
        )
    except subprocess.TimeoutExpired:
        raise MeasurementError(f"{what} took longer than {timeout:g} s") from None
    if result.returncode != 0:
        lines = (result.stderr + result.stdout).strip().splitlines() or ["no output"]
        raise MeasurementError(f"{what} exited with {result.returncode}: {lines[-1]}")
    return result.stdout


def build_install(venv: Path, digest: str) -> None:
    """`pip install .` into `venv` (created if needed), from a copy of the sources.

    The copy keeps setuptools' build/ and *.egg-info out of the checkout, and a stale
    build/lib (say, of a deleted module) out of the wheel.
    """
    stamp = venv / STAMP
    if not venv.exists():
        print(f"footprint: creating {venv} (regular install, for measuring)", file=sys.stderr)
        _run_or_fail([sys.executable, "-m", "venv", str(venv)], f"python -m venv {venv}")
    stamp.write_text("building\n")  # marks the venv as this script's own
    print(f"footprint: pip install . into {venv}", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="breakd-wheel-") as tmp_name:
        source = Path(tmp_name) / "breakd"
        source.mkdir()
        for name in WHEEL_SOURCES:
            path = ROOT / name
            if path.is_dir():
                shutil.copytree(
                    path, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
                )
            else:
                shutil.copy2(path, source / name)
        _run_or_fail(
            [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", str(source)],
            f"pip install . into {venv}",
        )
    stamp.write_text(digest + "\n")


def regular_install(venv: Path) -> Install:
    """The venv with breakd installed as a wheel; built or updated unless up to date."""
    stamp = venv / STAMP
    if venv.exists() and not stamp.exists():
        raise MeasurementError(
            f"{venv} exists but was not made by this script (an editable install would "
            "flatter the figures): remove it, or pass another --venv"
        )
    digest = source_digest()
    python, breakd = venv / "bin" / "python", venv / "bin" / "breakd"
    built = not (stamp.exists() and stamp.read_text().strip() == digest and breakd.is_file())
    if built:
        build_install(venv, digest)
    package_dir = _run_or_fail(
        [str(python), "-c", "import breakd, os; print(os.path.dirname(breakd.__file__))"],
        "import breakd",
        timeout=30.0,
        cwd=venv,  # not the checkout: `python -c` puts the working directory first on sys.path
    ).strip()
    site = Path(package_dir).parent
    if site.name != "site-packages" or any(site.glob("__editable__*")):
        raise MeasurementError(f"breakd in {venv} is not a regular install ({package_dir})")
    return Install(python, breakd, package_dir, built)


# -- the session ---------------------------------------------------------------------------


def start_xvfb(children: Children, tmp: Path) -> str:
    """A private X server; returns its DISPLAY. -noreset: the idle counter survives clients."""
    argv = ["Xvfb", "-displayfd", "{fd}", "-screen", "0", "1280x800x24", "-noreset"]
    return ":" + start_reporting_on_fd(children, "Xvfb", [*argv, "-nolisten", "tcp"], tmp)


def write_bus_config(directory: Path) -> Path:
    """The stock session.conf without service activation, listening in `directory`, as the
    desktop tests have it: a session without dunst has no notification server at all."""
    directory.mkdir()
    try:
        return write_no_activation_bus_config(directory)
    except RuntimeError as error:
        raise MeasurementError(str(error)) from None


def start_bus(children: Children, name: str, config: Path, tmp: Path) -> str:
    """A private dbus-daemon with `config`; returns its address."""
    argv = ["dbus-daemon", "--nofork", "--nopidfile", "--print-address={fd}"]
    return start_reporting_on_fd(children, name, [*argv, f"--config-file={config}"], tmp)


def name_has_owner(bus: str, name: str) -> bool:
    result = subprocess.run(
        [
            "dbus-send",
            f"--bus={bus}",
            "--print-reply",
            "--dest=org.freedesktop.DBus",
            "/org/freedesktop/DBus",
            "org.freedesktop.DBus.NameHasOwner",
            f"string:{name}",
        ],
        capture_output=True,
        text=True,
        timeout=5.0,
        check=False,
    )
    return result.returncode == 0 and "boolean true" in result.stdout


def start_dunst(children: Children, env: dict[str, str], tmp: Path) -> None:
    """dunst with its stock config; returns once it owns the notifications name."""
    log = tmp / "dunst.log"
    with log.open("wb") as out:
        proc = children.start("dunst", ["dunst"], env=env, stdout=out, stderr=out)
    deadline = time.monotonic() + START_TIMEOUT
    while not name_has_owner(env["DBUS_SESSION_BUS_ADDRESS"], NOTIFICATIONS_NAME):
        if proc.poll() is not None:
            raise MeasurementError(f"dunst exited with {proc.returncode}{_tail(log)}")
        if time.monotonic() >= deadline:
            raise MeasurementError(f"dunst did not own {NOTIFICATIONS_NAME}{_tail(log)}")
        time.sleep(0.05)


def private_env(tmp: Path) -> dict[str, str]:
    """The user's environment with private XDG directories and no desktop or Python settings."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("PYTHON", "DBUS_", "XDG_"))
        and name not in ("DISPLAY", "WAYLAND_DISPLAY", "XAUTHORITY", "BREAKD_CONFIG")
    }
    tmp.mkdir(parents=True, exist_ok=True)
    return env | fresh_xdg_dirs(tmp)


def start_session(children: Children, shape: Shape, tmp: Path) -> dict[str, str]:
    """Start the session `shape` describes; returns the environment that selects it.

    Without a system bus DBUS_SYSTEM_BUS_ADDRESS names a socket nobody listens on, so
    the machine's own system bus is never used.
    """
    env = private_env(tmp)
    env["DISPLAY"] = start_xvfb(children, tmp)
    session_config = write_bus_config(tmp / "session-bus")
    env["DBUS_SESSION_BUS_ADDRESS"] = start_bus(children, "session bus", session_config, tmp)
    if shape.system_bus:
        system_config = write_bus_config(tmp / "system-bus")
        env["DBUS_SYSTEM_BUS_ADDRESS"] = start_bus(children, "system bus", system_config, tmp)
    else:
        env["DBUS_SYSTEM_BUS_ADDRESS"] = f"unix:path={tmp / 'no-system-bus'}"
    if shape.dunst:
        start_dunst(children, env, tmp)
    return env


# -- the processes measured ------------------------------------------------------------------


def start_floor(children: Children, python: Path, tmp: Path) -> int:
    """The floor process; returns once it has imported its dependencies."""
    log = tmp / "floor.log"
    env = private_env(tmp / "floor-xdg")
    with log.open("wb") as err:
        proc = children.start(
            "floor", [str(python), "-c", FLOOR_CODE], env=env, stdout=subprocess.PIPE, stderr=err
        )
    assert proc.stdout is not None
    read_line(proc.stdout.fileno(), proc, "the floor process (APScheduler + PyYAML)", log)
    return proc.pid


def start_daemon(
    children: Children, breakd: Path, env: dict[str, str], tmp: Path, away: bool
) -> int:
    """`breakd run` (built-in defaults, or AWAY_CONFIG); returns once `breakd status` answers."""
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


def daemon_status(breakd: Path, env: dict[str, str]) -> dict[str, Any]:
    """`breakd status --json`; {} if the daemon does not answer. Wakes the daemon."""
    result = subprocess.run(
        [str(breakd), "status", "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=10.0,
        check=False,
    )
    if result.returncode != 0:
        return {}
    try:
        return json.loads(result.stdout)
    except ValueError:
        return {}


def wait_until_away(breakd: Path, env: dict[str, str]) -> float:
    """Ask `breakd status --json` until the daemon says "away"; returns when it last asked."""
    deadline = time.monotonic() + AWAY_AFTER + START_TIMEOUT
    while True:
        status = daemon_status(breakd, env)
        asked = time.monotonic()
        if status.get("state") == "away":
            return asked
        if asked >= deadline:
            raise MeasurementError(
                f"the daemon is still {status.get('state')!r}, not away, "
                f"{AWAY_AFTER + START_TIMEOUT:g} s after it started"
            )
        time.sleep(1.0)


# -- the CLI ---------------------------------------------------------------------------------


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


@dataclass
class ImportTime:
    """Medians over runs, in ms; `top` is a module imported at the outermost level."""

    self_ms: float
    cumulative_ms: float
    top: bool


@dataclass
class Cli:
    """Medians of interleaved runs, in ms, and the imports `breakd status` adds."""

    bare_ms: float
    status_ms: float
    reps: int
    extra_imports: dict[str, ImportTime] | None

    def ratio(self) -> float:
        return self.status_ms / self.bare_ms


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


def time_cli(
    install: Install, env: dict[str, str], reps: int, imports: bool, warmup: int = 3
) -> Cli:
    """`python -c pass` and `breakd status` of the regular install, interleaved."""
    bare = [str(install.python), "-c", "pass"]
    status = [str(install.breakd), "status"]
    for _ in range(warmup):
        _run_quietly(bare, env)
        _run_quietly(status, env)
    bare_ns: list[int] = []
    status_ns: list[int] = []
    for _ in range(reps):
        bare_ns.append(_run_quietly(bare, env))
        status_ns.append(_run_quietly(status, env))
    extra = None
    if imports:
        before = import_times(bare, env, runs=7)
        extra = {
            name: t for name, t in import_times(status, env, runs=7).items() if name not in before
        }
    return Cli(statistics.median(bare_ns) / 1e6, statistics.median(status_ns) / 1e6, reps, extra)


# -- one run: a session, a daemon, a window ------------------------------------------------


@dataclass(frozen=True)
class Run:
    """One daemon in one session: sampled over a window (unless 0 s), then maybe timed."""

    shape: Shape
    away: bool
    window: float
    cli: bool
    guide: bool = False

    def title(self) -> str:
        if self.guide:
            return f"{self.shape.name}, one guided stretch on built-in defaults"
        state = "away (break_after_idle 10s)" if self.away else "built-in defaults"
        return f"{self.shape.name}, {state}"


@dataclass
class Result:
    run: Run
    floor: Usage | None = None
    daemon: Usage | None = None
    status: dict[str, Any] = field(default_factory=dict)
    cli: Cli | None = None
    guide: GuideUse | None = None
    load: float = 0.0  # the 1-minute load average at the end of the run: others' work


@dataclass
class GuideUse:
    """A guided stretch in the real daemon, from `breakd guide` to its closing line, and
    the quiet after it."""

    during: Usage
    countdown: Usage  # GUIDE_COUNTDOWN: a phase's countdown and nothing else
    after: Usage
    counted: bool  # the daemon counted the stretch done


def plan(only: set[str], window: float) -> list[Run]:
    """The runs the chosen measurements need; the full session serves rss, sitting and cli."""
    runs = []
    if only & {"rss", "sitting", "cli"}:
        full_window = window if only & {"rss", "sitting"} else 0.0
        runs.append(Run(FULL, away=False, window=full_window, cli="cli" in only))
    if "rss" in only:
        runs += [Run(shape, away=False, window=window, cli=False) for shape in SHAPES[1:]]
    if "away" in only:
        runs.append(Run(FULL, away=True, window=window, cli=False))
    if "guide" in only:
        runs.append(Run(FULL, away=False, window=0.0, cli=False, guide=True))
    return runs


def measure_run(
    run: Run, install: Install, floor_pid: int, args: argparse.Namespace, tmp: Path
) -> Result:
    """Start the session and the daemon, let it settle, sample, then ask and time it.

    The window starts `--settle` seconds after the daemon first answered, in both
    states, so that timers counted from its start (retries of services that are not
    there) fall alike into sitting and away windows.
    """
    result = Result(run)
    with children_stopped_at_exit() as children:
        env = start_session(children, run.shape, tmp)
        pid = start_daemon(children, install.breakd, env, tmp, run.away)
        window_at = time.monotonic() + args.settle
        if run.away:
            asked = wait_until_away(install.breakd, env)
            window_at = max(window_at, asked + QUIET_BEFORE_WINDOW)
        if run.window > 0:
            progress(f"{run.title()}: sampling {run.window:g} s")
            time.sleep(max(0.0, window_at - time.monotonic()))
            usages, _ = sample_window(
                {"floor": floor_pid, "daemon": pid}, run.window, args.sample_every
            )
            result.floor, result.daemon = usages["floor"], usages["daemon"]
        # Only now may anything talk to the daemon.
        result.status = daemon_status(install.breakd, env)
        if result.status.get("pid", pid) != pid:
            raise MeasurementError(f"another daemon answered, not the one measured (pid {pid})")
        if run.cli:
            progress(f"{run.title()}: timing breakd status")
            result.cli = time_cli(install, env, args.reps, not args.no_imports)
        if run.guide:
            progress(f"{run.title()}: one guide and {GUIDE_AFTER:g} s after it")
            result.guide = measure_guide(install.breakd, env, pid)
    result.load = os.getloadavg()[0]
    return result


def measure_guide(breakd: Path, env: dict[str, str], pid: int) -> GuideUse:
    """`breakd guide` (not on a terminal: the daemon guides through its notifications),
    then /proc only, until the guide's length has passed; asks once it is over."""
    before = daemon_status(breakd, env)
    time.sleep(QUIET_BEFORE_WINDOW)
    start = snapshot(pid)
    _run_quietly([str(breakd), "guide"], env)  # raises if breakd refuses it
    began = time.monotonic()
    time.sleep(GUIDE_COUNTDOWN[0])
    countdown_start = snapshot(pid)
    time.sleep(max(0.0, began + GUIDE_COUNTDOWN[1] - time.monotonic()))
    countdown_end = snapshot(pid)
    time.sleep(max(0.0, began + GUIDE_SECONDS + 1.0 - time.monotonic()))
    end = snapshot(pid)
    time.sleep(GUIDE_AFTER)
    after = snapshot(pid)
    status = daemon_status(breakd, env)
    counted = status.get("done_count") == before.get("done_count", 0) + 1 and not status.get(
        "guide"
    )
    during = usage(start, end, [])
    for tid, (name, voluntary, involuntary) in sorted(during.per_thread.items()):
        progress(f"guide: thread {tid} ({name}): {voluntary} voluntary, {involuntary} involuntary")
    countdown = usage(countdown_start, countdown_end, [])
    return GuideUse(during, countdown, usage(end, after, []), counted)


def progress(message: str) -> None:
    print(f"footprint: {message}", file=sys.stderr, flush=True)


# -- the report ---------------------------------------------------------------------------

MIB = 1024.0


def over_floor(floor: Usage, daemon: Usage) -> float:
    return (daemon.rss_end_kib - floor.rss_end_kib) / MIB


def rss_verdict(over: float) -> str:
    if over <= RSS_TARGET_MIB:
        return "within target"
    return "within budget" if over <= RSS_BUDGET_MIB else "**over budget**"


def _cpu(use: Usage) -> str:
    return f"{use.cpu_percent():.4f} %"


def _yes(ok: bool) -> str:
    return "yes" if ok else "**no**"


def print_usage(name: str, use: Usage) -> None:
    run = use.run_percent()
    print(
        f"{name:<10} {use.wakeups_per_minute():.1f} wake-ups/min ({use.voluntary} voluntary "
        f"context switches in {use.seconds:.0f} s, {use.involuntary} involuntary); "
        f"CPU {_cpu(use)} of a core ({use.ticks + use.child_ticks} ticks utime+stime, "
        f"1 tick = {use.tick_percent():.4f} %"
        + ("" if run is None else f"; schedstat run time {run:.4f} %")
        + f"); threads {use.threads_end}"
    )
    if use.threads_max > 1 or len(use.tids_seen) > use.threads_end:
        print(f"{'':<10} {len(use.tids_seen)} thread ids seen, at most {use.threads_max} at once")
        for tid, (comm, voluntary, involuntary) in sorted(use.per_thread.items()):
            print(f"{'':<10} thread {tid} ({comm}): {voluntary} vol., {involuntary} invol.")


def print_details(result: Result) -> None:
    """Everything one run measured, as plain lines; printed as soon as it is done."""
    print(f"\n== {result.run.title()} ==")
    floor, daemon = result.floor, result.daemon
    if floor is not None and daemon is not None:
        print(
            f"RSS        breakd {daemon.rss_end_kib / MIB:.1f} MiB "
            f"(max {daemon.rss_max_kib / MIB:.1f}), floor {floor.rss_end_kib / MIB:.1f} MiB: "
            f"{over_floor(floor, daemon):+.1f} MiB over the floor"
        )
        print_usage("breakd", daemon)
        print_usage("floor", floor)
    status = result.status
    print(
        f"afterwards state {status.get('state')}, idle {status.get('idle_seconds')} s, "
        f"idle source {status.get('idle_source')}, reminders via {status.get('notifier')}, "
        f"next reminder in {status.get('next_reminder_in_seconds')} s"
        if status
        else "afterwards the daemon did not answer `breakd status --json`"
    )
    if result.cli is not None:
        print_cli_details(result.cli)
    print(f"load       average {result.load:.2f} over the last minute, on {os.cpu_count()} cores")
    sys.stdout.flush()


def print_cli_details(cli: Cli) -> None:
    print(
        f"CLI        python -c pass {cli.bare_ms:.1f} ms, breakd status {cli.status_ms:.1f} ms: "
        f"{cli.ratio():.2f}x (budget <= {STATUS_BUDGET_RATIO:g}x; medians of {cli.reps})"
    )
    if cli.extra_imports is None:
        return
    extra = cli.extra_imports
    tops = sorted(((n, t.cumulative_ms) for n, t in extra.items() if t.top), key=lambda i: -i[1])
    largest = sorted(extra.items(), key=lambda item: -item[1].self_ms)[:5]
    print(
        f"imports    beyond python -c pass (-X importtime, medians, ms): {len(extra)} modules, "
        f"{sum(t.self_ms for t in extra.values()):.1f} in all; top level: "
        + ", ".join(f"{name} {ms:.1f}" for name, ms in tops)
        + "; largest alone: "
        + ", ".join(f"{name} {t.self_ms:.1f}" for name, t in largest)
    )


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    return [
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
        *("| " + " | ".join(row) + " |" for row in rows),
    ]


def rss_table(results: list[Result]) -> list[str]:
    rows = []
    floor_kib = 0
    for result in results:
        floor, daemon = result.floor, result.daemon
        if result.run.away or floor is None or daemon is None:
            continue
        floor_kib = floor_kib or floor.rss_end_kib
        over = over_floor(floor, daemon)
        rows.append(
            [
                result.run.shape.name,
                f"{daemon.rss_end_kib / MIB:.1f} MiB",
                f"{over:+.1f} MiB",
                f"+{RSS_BUDGET_MIB:g} MiB (target +{RSS_TARGET_MIB:g} MiB)",
                rss_verdict(over),
            ]
        )
    if not rows:
        return []
    header = ["session, built-in defaults", "RSS", "over floor", "budget", "within"]
    return [
        *_table(header, rows),
        "",
        f"The floor, {floor_kib / MIB:.1f} MiB, is a Python that imported APScheduler 3 "
        "(`apscheduler.schedulers.asyncio`) and PyYAML and does nothing; each shape is "
        "compared with it in the same window.",
    ]


def sitting_row(use: Usage) -> list[str]:
    ok = use.switches_per_second() <= SITTING_SWITCHES_BUDGET
    ok = ok and use.cpu_percent() <= SITTING_CPU_BUDGET
    budget = f"<= {SITTING_SWITCHES_BUDGET:g} switches/s, <= {SITTING_CPU_BUDGET:g} %"
    return ["sitting (built-in defaults)", *_state_figures(use), budget, _yes(ok)]


def away_row(use: Usage, sitting: Usage | None) -> list[str]:
    """Away may wake for the real timers, which sitting has too, and nothing else."""
    timers = 0.0 if sitting is None else sitting.wakeups_per_minute()
    allowed = timers + AWAY_SLACK_PER_MINUTE
    ok = use.wakeups_per_minute() <= allowed and use.cpu_percent() <= AWAY_CPU_TARGET
    baseline = "sitting's" if sitting else "sitting not measured:"
    budget = (
        f"<= {allowed:.1f} wake-ups/min ({baseline} + {AWAY_SLACK_PER_MINUTE:g}), "
        f"<= {AWAY_CPU_TARGET:g} %"
    )
    return [f"away (`break_after_idle: {AWAY_AFTER:g}s`)", *_state_figures(use), budget, _yes(ok)]


def _state_figures(use: Usage) -> list[str]:
    return [f"{use.wakeups_per_minute():.1f}", f"{use.switches_per_second():.2f}", _cpu(use)]


def states_table(results: list[Result], only: set[str]) -> list[str]:
    """Sitting and away in the full session, and the floor in the same windows."""
    sitting = next(
        (r.daemon for r in results if r.run.shape == FULL and not r.run.away and r.daemon), None
    )
    away = next((r.daemon for r in results if r.run.away and r.daemon), None)
    floor = next((r.floor for r in results if r.run.shape == FULL and r.floor), None)
    rows = []
    if sitting is not None and "sitting" in only:
        rows.append(sitting_row(sitting))
    if away is not None:
        rows.append(away_row(away, sitting))
    if not rows or floor is None:
        return []
    header = [FULL.name, "wake-ups/min", "switches/s, all", "CPU, % of a core", "budget", "within"]
    return [
        *_table(header, [["floor", *_state_figures(floor), "", ""], *rows]),
        "",
        "Wake-ups: voluntary context switches summed over all the daemon's threads "
        "(`/proc/PID/task/*/status`), per minute; switches/s adds the involuntary ones. "
        "CPU: utime+stime from `/proc/PID/stat`, in clock ticks worth "
        f"{floor.tick_percent():.4f} % each over the window. Nothing talks to the daemon "
        "during a window. Both states run the same real timers (watchers retrying services "
        "that are not there), so away meets its target when it wakes no more often than "
        "sitting.",
    ]


def guide_table(results: list[Result]) -> list[str]:
    """One guided stretch: its wake-ups per second and CPU, and what came after it."""
    guide = next((r.guide for r in results if r.guide is not None), None)
    if guide is None:
        return []
    during, countdown, after = guide.during, guide.countdown, guide.after
    per_second = countdown.voluntary / countdown.seconds
    # A window of n seconds can catch n + 1 ticks of a once-a-second timer.
    countdown_ok = countdown.voluntary <= round(countdown.seconds * GUIDE_WAKEUP_BUDGET) + 1
    whole_budget = round(GUIDE_SECONDS * GUIDE_WAKEUP_BUDGET) + GUIDE_ONE_OFF
    whole_ok = during.voluntary <= whole_budget and guide.counted
    ok = countdown_ok and whole_ok and after.voluntary <= 1
    header = ["one guided stretch", "seconds", "wake-ups", "per second", "CPU", "budget", "within"]
    cpu_seconds = (during.ticks + during.child_ticks) / CLK_TCK
    rows = [
        [
            f"its countdown ({GUIDE_COUNTDOWN[0]:g} to {GUIDE_COUNTDOWN[1]:g} s in)",
            f"{countdown.seconds:.0f}",
            str(countdown.voluntary),
            f"{per_second:.2f}",
            _cpu(countdown),
            f"<= {GUIDE_WAKEUP_BUDGET:g} a second",
            _yes(countdown_ok),
        ],
        [
            "the whole guide" + ("" if guide.counted else " (not counted done!)"),
            f"{during.seconds:.0f}",
            str(during.voluntary),
            f"{during.voluntary / during.seconds:.2f}",
            f"{cpu_seconds:.2f} s ({during.cpu_percent():.3f} %)",
            f"<= {whole_budget} (its ticks and {GUIDE_ONE_OFF} more)",
            _yes(whole_ok),
        ],
        [
            "after it",
            f"{after.seconds:.0f}",
            str(after.voluntary),
            f"{after.voluntary / after.seconds:.2f}",
            _cpu(after),
            "nothing (one retry at most)",
            _yes(after.voluntary <= 1),
        ],
    ]
    note = "" if ok else " Over: see the rows."
    return [*_table(header, rows), "", "From `breakd guide` to the guide's end, /proc only." + note]


def cli_table(results: list[Result]) -> list[str]:
    cli = next((r.cli for r in results if r.cli is not None), None)
    if cli is None:
        return []
    header = ["CLI, regular install", "`python -c pass`", "`breakd status`", "ratio", "budget"]
    row = [
        f"median of {cli.reps}, against the daemon",
        f"{cli.bare_ms:.1f} ms",
        f"{cli.status_ms:.1f} ms",
        f"{cli.ratio():.2f}x",
        f"<= {STATUS_BUDGET_RATIO:g}x",
        _yes(cli.ratio() <= STATUS_BUDGET_RATIO),
    ]
    return _table([*header, "within"], [row])


def print_summary(results: list[Result], only: set[str], measured: str, load: float) -> None:
    windows = sorted({r.run.window for r in results if r.run.window > 0})
    loads = [load, *(r.load for r in results)]
    cores = os.cpu_count() or 0
    print("\n## Summary (markdown)\n")
    print(
        f"{measured}, installed from a wheel in its own venv; {cores} "
        f"core{'' if cores == 1 else 's'}, 1-minute load average {min(loads):.2f} to "
        f"{max(loads):.2f} during the run"
        + (f"; {', '.join(f'{w:g}' for w in windows)} s windows." if windows else ".")
    )
    tables = (
        rss_table(results) if "rss" in only else [],
        states_table(results, only),
        cli_table(results),
        guide_table(results),
    )
    for table in tables:
        if table:
            print()
            print("\n".join(table))


# -- modules ------------------------------------------------------------------------------

# Left out in turn, for the RSS each adds: a name and the top-level modules it covers.
# breakd first; each other one is left out with breakd, whose modules would import it.
MODULE_GROUPS = {
    "jeepney": ("jeepney",),
    "ctypes": ("ctypes", "_ctypes"),
    "json": ("json", "_json"),
}
MODULE_REPEATS = 5
LARGEST_SHOWN = 15

# `breakd` that, when it was `breakd run`, writes its modules in the order they came.
DUMPING_BREAKD = """\
import atexit, sys
def dump():
    with open({path!r}, "w") as out:
        out.write("\\n".join(sys.modules))
if sys.argv[1:] and sys.argv[-1] == "run":
    atexit.register(dump)
from breakd.cli import main
sys.exit(main())
"""

FLOOR_MODULES = "import sys, apscheduler.schedulers.asyncio, yaml; print(*sys.modules)"

# Imports the modules named on stdin in that order on top of the floor's, leaving out
# the groups in argv; prints its RSS, or with --sizes each module's tracemalloc size.
IMPORTING = """\
import importlib, sys
import apscheduler.schedulers.asyncio, yaml
names = sys.stdin.read().split()
left_out = tuple(a for a in sys.argv[1:] if a != "--sizes")
sizes = "--sizes" in sys.argv
if sizes:
    import tracemalloc
    tracemalloc.start()
for name in names:
    if name in sys.modules or name.split(".")[0] in left_out:
        continue
    before = tracemalloc.get_traced_memory()[0] if sizes else 0
    try:
        importlib.import_module(name)
    except Exception:
        continue
    if sizes:
        print(name, tracemalloc.get_traced_memory()[0] - before)
if "ctypes" in sys.modules:
    sys.modules["ctypes"].CDLL(None, use_errno=True)  # as the timerfd does
if not sizes:
    print(open("/proc/self/status").read().split("VmRSS:")[1].split()[0])
"""


@dataclass
class Modules:
    """The modules the daemon holds beyond the floor's, and what they add to it."""

    count: int
    added_kib: float  # RSS of the floor's imports plus all of the daemon's, over the floor's
    group_kib: dict[str, float]  # what leaving each group out takes off
    largest: list[tuple[str, float]]  # breakd modules by tracemalloc size, KiB
    rest: list[str]  # the other top-level modules


def daemon_modules(install: Install, tmp: Path) -> list[str]:
    """The daemon's modules on defaults in the full session, in the order they were
    imported (children before the module that imported them)."""
    listed = tmp / "modules.txt"
    dumping = tmp / "breakd-listing-modules"
    dumping.write_text(f"#!{install.python}\n" + DUMPING_BREAKD.format(path=str(listed)))
    dumping.chmod(0o755)
    with children_stopped_at_exit() as children:
        env = start_session(children, FULL, tmp) | {"PYTHONPROFILEIMPORTTIME": "1"}
        start_daemon(children, dumping, env, tmp, away=False)
        time.sleep(QUIET_BEFORE_WINDOW)
    if not listed.exists():
        raise MeasurementError(f"breakd run listed no modules at exit{_tail(tmp / 'daemon.log')}")
    held = listed.read_text().split()
    log = (tmp / "daemon.log").read_text().splitlines()
    timed = [line.split("|")[-1].strip() for line in log if line.startswith("import time:")]
    ordered = [name for name in dict.fromkeys(timed) if name in set(held)]
    return ordered + [name for name in held if name not in set(ordered)]


def _importing(install: Install, names: list[str], *args: str) -> str:
    result = subprocess.run(
        [str(install.python), "-c", IMPORTING, *args],
        input="\n".join(names),
        capture_output=True,
        text=True,
        timeout=120.0,
        check=False,
        cwd=install.python.parent,  # not the checkout: `python -c` puts it on sys.path
    )
    if result.returncode != 0:
        raise MeasurementError(f"importing the daemon's modules failed: {_tail_of(result.stderr)}")
    return result.stdout


def _tail_of(text: str) -> str:
    return (text.strip().splitlines() or ["no output"])[-1]


def _rss_kib(install: Install, names: list[str], *left_out: str) -> float:
    return statistics.median(
        float(_importing(install, names, *left_out)) for _ in range(MODULE_REPEATS)
    )


def measure_modules(install: Install, tmp: Path) -> Modules:
    progress("modules: listing the daemon's, then importing them on the floor")
    floor_modules = set(
        _run_or_fail(
            [str(install.python), "-c", FLOOR_MODULES], "listing the floor's modules", 60.0
        ).split()
    )
    names = [name for name in daemon_modules(install, tmp) if name not in floor_modules]
    floor_kib = _rss_kib(install, [])
    all_kib = _rss_kib(install, names)
    without_breakd = _rss_kib(install, names, "breakd")
    groups = {"breakd": all_kib - without_breakd} | {
        group: without_breakd - _rss_kib(install, names, "breakd", *tops)
        for group, tops in MODULE_GROUPS.items()
    }
    sizes = [line.rsplit(" ", 1) for line in _importing(install, names, "--sizes").splitlines()]
    largest = sorted(
        ((name, int(size) / 1024) for name, size in sizes if name.startswith("breakd")),
        key=lambda pair: -pair[1],
    )[:LARGEST_SHOWN]
    grouped = {"breakd", *(top for tops in MODULE_GROUPS.values() for top in tops)}
    rest = sorted({name.split(".")[0] for name in names} - grouped)
    return Modules(len(names), all_kib - floor_kib, groups, largest, rest)


def print_modules(modules: Modules) -> None:
    groups = ", ".join(f"{name} {kib / MIB:.2f}" for name, kib in modules.group_kib.items())
    rest = modules.added_kib - sum(modules.group_kib.values())
    print(
        f"\nmodules    {modules.count} beyond the floor's; imported on the floor they add "
        f"{modules.added_kib / MIB:.2f} MiB: {groups}, the rest {rest / MIB:.2f} (MiB, RSS, "
        f"medians of {MODULE_REPEATS}; the rest is {', '.join(modules.rest)})"
    )
    print(
        "largest   breakd modules (tracemalloc, KiB, each with what it alone brought): "
        + ", ".join(f"{name} {kib:.0f}" for name, kib in modules.largest)
    )


# -- main ---------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--only",
        nargs="+",
        choices=MEASUREMENTS,
        default=list(MEASUREMENTS),
        metavar="WHAT",
        help="measurements to run, of: %(choices)s (default: all)",
    )
    parser.add_argument(
        "--window", type=float, default=120.0, metavar="SECONDS", help="each sampling window"
    )
    parser.add_argument(
        "--settle",
        type=float,
        default=15.0,
        metavar="SECONDS",
        help="from the daemon's first answer to the window",
    )
    parser.add_argument(
        "--sample-every", type=float, default=5.0, metavar="SECONDS", help="RSS sampling period"
    )
    parser.add_argument(
        "--reps", type=int, default=30, help="status round trips to time (after 3 warm-ups)"
    )
    parser.add_argument("--no-imports", action="store_true", help="skip the import-time line")
    parser.add_argument(
        "--venv",
        type=Path,
        default=ROOT / ".venv-bench",
        metavar="PATH",
        help="the venv for the regular install, made and kept up to date here "
        "(default: .venv-bench)",
    )
    args = parser.parse_args(argv)
    if args.window < 1 or args.settle < 0 or args.sample_every <= 0 or args.reps < 1:
        parser.error("--window must be >= 1 s, --settle >= 0, --sample-every > 0, --reps >= 1")
    if {"rss", "sitting"} & set(args.only) and args.settle + args.window > SITTING_FOR:
        parser.error(
            f"--settle + --window must stay under {SITTING_FOR:g} s: on the built-in "
            "defaults the untouched session counts as a break after 5 minutes"
        )
    return args


@contextlib.contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM unwinds like Ctrl-C, so the children are still stopped by PID."""

    def handler(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL if previous is None else previous)


def versions(install: Install) -> str:
    """ "breakd 0.1.0, Python 3.11.7": what was measured, from the venv itself."""
    found = []
    for argv in (
        [str(install.breakd), "--version"],
        [str(install.python), "-c", "import platform; print('Python', platform.python_version())"],
    ):
        found.append(_run_or_fail(argv, " ".join(argv), timeout=30.0).strip())
    return ", ".join(found)


@contextlib.contextmanager
def working_directory(path: Path) -> Iterator[None]:
    """Run every child in `path`, so that `python -c`, which puts the working directory
    first on sys.path, can never import breakd from the checkout."""
    previous = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(previous)


def measure(args: argparse.Namespace) -> None:
    install = regular_install(args.venv.resolve())
    measured = versions(install)
    print(
        f"breakd footprint: {measured}, "
        f"{'installed just now' if install.built else 'up to date'} in {install.package_dir}"
    )
    runs = plan(set(args.only), args.window)
    load_start = os.getloadavg()[0]
    results = []
    with (
        tempfile.TemporaryDirectory(prefix="breakd-footprint-") as tmp_name,
        working_directory(Path(tmp_name)),
        children_stopped_at_exit() as children,
    ):
        tmp = Path(tmp_name)
        (tmp / "floor-xdg").mkdir()
        floor_pid = start_floor(children, install.python, tmp)
        for number, run in enumerate(runs):
            run_tmp = tmp / f"run-{number}"
            run_tmp.mkdir()
            result = measure_run(run, install, floor_pid, args, run_tmp)
            print_details(result)
            results.append(result)
        if "modules" in args.only:
            (tmp / "modules").mkdir()
            print_modules(measure_modules(install, tmp / "modules"))
    print_summary(results, set(args.only), measured, load_start)


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
