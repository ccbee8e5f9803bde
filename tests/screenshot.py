"""`make screenshot`: docs/screenshot.png, a real reminder from the real daemon.

It starts a private Xvfb, session bus and dunst (dunst's look set below, as a user's
dunstrc would), runs `breakd run` on the default config, asks it for a reminder with
`breakd remind-now`, waits until dunst shows it, and saves dunst's window with `xwd`
and netpbm (`xwdtopnm | pnmtopng`). Nothing of the developer's own session is used.

    python -m tests.screenshot [OUT.png]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.desktop import DESKTOP_TOOLS, DesktopSession, start_desktop, wait_until
from tests.e2e.daemon_process import DaemonProcess
from tests.private_session import fresh_xdg_dirs

TOOLS = (*DESKTOP_TOOLS, "xwd", "xwdtopnm", "pnmtopng")
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshot.png"

# dunst 1.9 draws no buttons: the "(A)" indicator says the reminder has actions, which
# its context menu (or `breakd done|skip|snooze`) answers.
DUNSTRC = """\
[global]
    font = DejaVu Sans 11
    width = 520
    origin = top-right
    offset = 0x0
    padding = 14
    horizontal_padding = 14
    text_icon_padding = 14
    frame_width = 2
    frame_color = "#5e81ac"
    separator_height = 0
    icon_position = left
    min_icon_size = 96
    max_icon_size = 96
    markup = full
    format = "<b>%s</b>\\n%b"
    show_indicators = yes
    idle_threshold = 0
    history_length = 10
[urgency_low]
    background = "#2e3440"
    foreground = "#eceff4"
    timeout = 0
[urgency_normal]
    background = "#2e3440"
    foreground = "#eceff4"
    timeout = 0
[urgency_critical]
    background = "#2e3440"
    foreground = "#eceff4"
    timeout = 0
"""


def dunst_window(session: DesktopSession) -> str | None:
    """The id of dunst's window once it is on screen."""
    found = session.run("xdotool", "search", "--onlyvisible", "--class", "Dunst", check=False)
    ids = found.stdout.split()
    return ids[0] if found.returncode == 0 and ids else None


def capture(session: DesktopSession, window: str) -> bytes:
    """dunst's window as PNG bytes: xwd | xwdtopnm | pnmtopng."""
    shot = subprocess.run(
        f"xwd -silent -id {window} | xwdtopnm 2>/dev/null | pnmtopng 2>/dev/null",
        shell=True,
        env=session.env,
        capture_output=True,
        timeout=20,
        check=True,
    )
    return shot.stdout


def take_screenshot(out: Path, workdir: Path) -> str:
    """Write `out`; returns the reminder's title as the daemon reported it."""
    session = start_desktop(workdir / "desktop", dunstrc=DUNSTRC)
    try:
        (workdir / "user").mkdir()
        env = {**session.env, **fresh_xdg_dirs(workdir / "user")}
        session.xdotool("mousemove", "10", "10")  # present: an empty chair gets no reminder
        daemon = DaemonProcess(workdir, None, env=env).start()
        try:
            asked = daemon.cli("remind-now")
            if asked.returncode != 0:
                raise RuntimeError(f"breakd remind-now failed: {asked.stderr.strip()}")
            status = daemon.wait_for_state("reminding")
            wait_until(
                lambda: session.displayed_count() == 1,
                timeout=10,
                message=f"dunst never showed the reminder; log:\n{daemon.log()}",
            )
            window = wait_until(
                lambda: dunst_window(session), timeout=10, message="dunst's window never mapped"
            )
            png = capture(session, window)
        finally:
            daemon.stop()
    finally:
        session.stop()
    out.write_bytes(png)
    return str(status["exercise_name"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="breakd-screenshot-") as workdir:
        name = take_screenshot(args.out, Path(workdir))
    print(f"wrote {args.out}: a reminder to do the {name}, as dunst showed it")
    return 0


if __name__ == "__main__":
    sys.exit(main())
