"""A one-line progress bar for long management commands (redrawn in place on a terminal)."""

import sys

BAR_WIDTH = 40


def write_progress(stdout, done, total, label):
    filled = BAR_WIDTH * done // total if total else BAR_WIDTH
    bar = "#" * filled + "-" * (BAR_WIDTH - filled)
    percent = 100 * done // total if total else 100
    end = "\n" if done >= total or not sys.stdout.isatty() else "\r"
    stdout.write(f"  [{bar}] {percent:3d}%  {label}", ending=end)
    stdout.flush()
