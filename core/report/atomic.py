"""Write a file whole or not at all: into a temporary file beside it, then rename."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

from aisite.core.errors import InputError


def check_writable(path: str | os.PathLike, *, option: str = "--out") -> None:
    """An InputError now when ``path`` cannot be written (before any long work)."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise InputError(option, f"{target} is a folder; give a file name")
    if not folder.is_dir():
        raise InputError(option, f"cannot write {target}: no folder {folder}")
    if not os.access(folder, os.W_OK) or (target.exists() and not os.access(target, os.W_OK)):
        raise InputError(option, f"cannot write {target} (permission denied)")


def write_atomically(path: str | os.PathLike, write: Callable[[str], None], *, option: str = "--out") -> Path:
    """Call ``write(temp_path)`` and move the temp file onto ``path``. Any failure leaves
    ``path`` as it was and no temporary file behind; an OS error becomes an InputError
    naming ``option``."""
    check_writable(path, option=option)
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    tmp = folder / f".{target.stem}.{os.getpid()}.partial{target.suffix}"
    try:
        open(tmp, "wb").close()  # an unwritable place fails here, with the OS's reason
        write(str(tmp))
        os.replace(tmp, target)
    except OSError as error:
        _remove(tmp)
        raise InputError(option, f"cannot write {target} ({error.strerror or error})") from None
    except BaseException:
        _remove(tmp)
        raise
    return target


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass
