"""Errors a planner can act on. Each names the field and what is wrong with it.

The CLI prints ``str(error)`` as one line on stderr and exits with status 2;
the GUI shows ``error.message`` next to the input named by ``error.field``.
"""
from __future__ import annotations


class InputError(ValueError):
    """Bad input from a planner: a scenario field, a CLI argument, a file."""

    def __init__(self, field: str, message: str):
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}" if field else message)


class ProjectFileError(InputError):
    """A project file that cannot be opened as asked (corrupt, newer, foreign, in use)."""

    def __init__(self, path: str, message: str):
        super().__init__(str(path), message)
        self.path = str(path)


class ProjectFileWarning(UserWarning):
    """Something a planner must know about a project that still opened (a damaged
    write-ahead log, edits that could not be recovered). The CLI prints it as one line."""

    def __init__(self, path: str, message: str):
        self.path = str(path)
        self.message = message
        super().__init__(f"{path}: {message}")


class Cancelled(Exception):
    """Long work stopped because the planner asked it to."""
