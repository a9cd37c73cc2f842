"""The `aisite` console script: headless commands from core.commands, plus the GUI.

Qt is imported only when the GUI is asked for, so batch runs start fast and work
on machines without a display.
"""
from __future__ import annotations

import argparse
import importlib
import os
import sys
import warnings

from aisite.app.headless import interactive_display_problem, offscreen_unless_display
from aisite.core.errors import InputError, ProjectFileWarning
from aisite.core.validate import terminal_safe
from aisite.core.version import __version__

GUI_MODULE = "aisite.app.main_window_launcher"


class _Parser(argparse.ArgumentParser):
    """argparse that reports bad arguments as one line and exit status 2."""

    def error(self, message: str):  # noqa: D401 - argparse API
        self.exit(2, f"{self.prog}: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="aisite",
        description="AI Site Planner: what an AI data-centre site delivers, costs, draws "
        "and when it can be online. With no command, opens the desktop app.",
    )
    parser.add_argument("--version", action="version", version=f"aisite {__version__}")
    parser.add_argument("--self-test", action="store_true",
                        help="check this installed copy or bundle (kernels, data, a window, a chart, "
                        "a report) without a display; print a JSON summary, exit 1 on any failure")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    gui = sub.add_parser("gui", help="open the desktop app (the default command)")
    _add_gui_arguments(gui)
    for name in _command_modules():
        module = importlib.import_module(name)
        cmd = sub.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        module.add_arguments(cmd)
        cmd.set_defaults(_run=module.run)
    return parser


def _command_modules():
    from aisite.core.commands import COMMANDS

    return COMMANDS


def _add_gui_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("project", nargs="?", help="project file (.aisite); the bundled sample when omitted")
    parser.add_argument("--screenshot", metavar="PNG", help="render the main window once loaded, save it, and exit")


def _survive_any_text() -> None:
    """Names may hold any Unicode, even lone surrogates from a damaged file: print them
    escaped rather than stop with UnicodeEncodeError (in JSON, the escape is valid)."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="backslashreplace")
        except (AttributeError, ValueError):
            pass


def _show_project_warnings(command: str) -> None:
    """A ProjectFileWarning (a project that opened but lost something) is one line on stderr."""
    original = warnings.showwarning

    def show(message, category, filename, lineno, file=None, line=None):  # noqa: ANN001
        if issubclass(category, ProjectFileWarning):
            print(f"aisite {command}: warning: {terminal_safe(message)}", file=sys.stderr)
        else:
            original(message, category, filename, lineno, file, line)

    warnings.showwarning = show
    warnings.simplefilter("always", ProjectFileWarning)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    _survive_any_text()
    if not argv or argv[0].startswith("--screenshot") or (argv[0].endswith(".aisite") and len(argv) == 1):
        argv = ["gui", *argv]
    try:
        # Building the parser imports every command: an interrupt there is a cancel too.
        args = build_parser().parse_args(argv)
    except KeyboardInterrupt:
        print("aisite: cancelled", file=sys.stderr)
        return 130
    if args.self_test:
        from aisite.app.self_test import run_self_test  # noqa: PLC0415 - Qt only when asked for

        return run_self_test()
    _show_project_warnings(args.command)
    try:
        if args.command == "gui":
            if args.screenshot:
                offscreen_unless_display()
            else:
                problem = interactive_display_problem()
                if problem:
                    print(f"aisite: cannot open the app: {problem}. Run it in a desktop session; "
                          "`aisite --screenshot PNG`, `aisite --self-test` and the other commands need no display.",
                          file=sys.stderr)
                    return 2
            launcher = importlib.import_module(GUI_MODULE)
            return launcher.run(args.project, screenshot=args.screenshot)
        # Commands that draw (reports) render offscreen when there is no display.
        offscreen_unless_display()
        return int(args._run(args) or 0)
    except InputError as error:
        print(f"aisite {args.command}: {terminal_safe(error)}", file=sys.stderr)  # always one line
        return 2
    except KeyboardInterrupt:
        print(f"aisite {args.command}: cancelled", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`aisite evaluate ... | head`): not an error of ours.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
