"""Entry point of the PyInstaller bundle: the `aisite` console script (CLI and GUI).

The windowed executable (Windows, macOS) has no console: sys.stdout and sys.stderr are
None there, so they go to the null device rather than failing on the first message.
"""
import os
import sys

if sys.stdout is None or sys.stderr is None:
    null = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - for the whole process
    sys.stdout = sys.stdout or null
    sys.stderr = sys.stderr or null

# The power-mix LP runs in a child process; in the bundle that child is this executable
# (aisite.core.explore.lp_process). It needs no Qt and no app, so it starts before them.
if len(sys.argv) > 1 and sys.argv[1] == "--aisite-lp-child":
    from aisite.core.explore.lp_process import run_child

    sys.exit(run_child(sys.argv[2:]))

from aisite.app.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
