#!/usr/bin/env python3
"""Bytes written to the terminal per key press, Watchroom beside htop, in one run.

Each program runs in its own pseudo-terminal of the given size (TERM=xterm-256color,
C.UTF-8). After the first frame has settled, every key is pressed REPEAT times; each
press waits for the output to be quiet, sends the key, and counts the bytes written in
the WINDOW milliseconds after it. The figure per key is the median over its presses
(a clock tick or a unit moving in one window does not move the median). An idle window
with no key is measured the same way, for reference.

  Benchmarks/key-bytes.py [path/to/watchroom]      (release build recommended)
Env: SIZES (default "80x24 160x48"), REPEAT (default 8), WINDOW (ms, default 400),
     MAP (default Maps/jiangbei-city.wrmap).
"""
import os
import pty
import select
import shutil
import signal
import statistics
import struct
import sys
import termios
import fcntl
import time

BIN = sys.argv[1] if len(sys.argv) > 1 else ".build/release/watchroom"
SIZES = os.environ.get("SIZES", "80x24 160x48").split()
REPEAT = int(os.environ.get("REPEAT", "8"))
WINDOW = int(os.environ.get("WINDOW", "400")) / 1000
MAP = os.environ.get("MAP", "Maps/jiangbei-city.wrmap")

ESC = "\x1b"
# Each entry: a label and the keys pressed in turn, each marked counted or not (an arrow
# right then left; `?` counted then Esc not; `?` not then Esc counted), so the screen
# comes back to where it was after each round.
WATCHROOM_KEYS = [
    ("Tab", [("\t", True), (ESC + "[Z", False)]),
    ("arrow (map: pan)", [(ESC + "OC", True), (ESC + "OD", True)]),
    ("arrow (units list)", [("\t", False), ("\t", False), (ESC + "OB", True), (ESC + "OA", True),
                            (ESC + "[Z", False), (ESC + "[Z", False)]),
    ("L", [("L", True)]),
    ("?", [("?", True), (ESC, False)]),
    ("Esc", [("?", False), (ESC, True)]),
]
# Pressed once before measuring, uncounted: Watchroom opens on the whole precinct, where a
# pan has nowhere to go; two zoom steps in give the arrows something to move.
WATCHROOM_SETUP = ["+", "+"]
HTOP_SETUP = []
HTOP_KEYS = [
    ("arrow", [(ESC + "OB", True), (ESC + "OA", True)]),
    ("F5 (tree)", [(ESC + "[15~", True)]),
    ("F1 (help)", [(ESC + "OP", True), (ESC, False)]),
    ("Esc", [(ESC + "OP", False), (ESC, True)]),
]


def spawn(argv, cols, rows):
    pid, fd = pty.fork()
    if pid == 0:
        env = dict(os.environ, TERM="xterm-256color", LANG="C.UTF-8", LC_ALL="C.UTF-8")
        env.pop("NO_COLOR", None)
        os.execvpe(argv[0], argv, env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    os.kill(pid, signal.SIGWINCH)
    return pid, fd


def read_for(fd, seconds):
    """Bytes read during `seconds`."""
    total = 0
    end = time.monotonic() + seconds
    while True:
        left = end - time.monotonic()
        if left <= 0:
            return total
        r, _, _ = select.select([fd], [], [], left)
        if not r:
            return total
        try:
            data = os.read(fd, 65536)
        except OSError:
            return total
        if not data:
            return total
        total += len(data)


def settle(fd, quiet=0.3, limit=5.0):
    """Reads until the output has been quiet for `quiet` s (or `limit` s passed)."""
    end = time.monotonic() + limit
    while time.monotonic() < end:
        if read_for(fd, quiet) == 0:
            return


def measure(argv, cols, rows, keys, setup):
    pid, fd = spawn(argv, cols, rows)
    first = read_for(fd, 4.0)
    results = []
    try:
        for key in setup:
            settle(fd)
            os.write(fd, key.encode())
        idle = []
        for _ in range(REPEAT):
            settle(fd)
            idle.append(read_for(fd, WINDOW))
        results.append(("(idle window)", statistics.median(idle)))
        for label, sequence in keys:
            counts = []
            for _ in range(REPEAT):
                for key, counted in sequence:
                    settle(fd)
                    os.write(fd, key.encode())
                    n = read_for(fd, WINDOW)
                    if counted:
                        counts.append(n)
            results.append((label, statistics.median(counts)))
    finally:
        os.kill(pid, signal.SIGTERM)
        try:
            read_for(fd, 0.5)
            os.waitpid(pid, 0)
        except OSError:
            pass
        os.close(fd)
    return first, results


def main():
    if not shutil.which("htop"):
        sys.exit("htop is not installed (make bench-keys installs it)")
    wr = [BIN, "--map", MAP, "--seed", "1", "--cars", "16", "--foot", "14", "--log", "/dev/null"]
    for size in SIZES:
        cols, rows = (int(v) for v in size.split("x"))
        for name, argv, keys, setup in (("watchroom", wr, WATCHROOM_KEYS, WATCHROOM_SETUP),
                                        ("htop", ["htop"], HTOP_KEYS, HTOP_SETUP)):
            first, results = measure(argv, cols, rows, keys, setup)
            keyed = [v for label, v in results if not label.startswith("(")]
            line = "  ".join(f"{label} {value:.0f} B" for label, value in results)
            print(f"{name:<10} {size:<8} first frame {first} B   per key (median of {REPEAT}): {line}"
                  f"   mean over keys {statistics.mean(keyed):.0f} B   most {max(keyed):.0f} B", flush=True)


if __name__ == "__main__":
    main()
