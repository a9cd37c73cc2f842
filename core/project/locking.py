"""Detecting a project that is open in another running copy of the app.

Design: an operating-system lock on a sidecar file ``PROJECT.aisite.lock``
(``flock`` on macOS/Linux, ``msvcrt.locking`` on Windows), held for as long as the
project is open for writing.

Why this and not a lock row with a heartbeat inside the project:

* The OS drops the lock the moment the holding process ends, however it ends
  (crash, SIGKILL, power cut, logout). There is never a stale lock to time out or
  to ask the planner about, no heartbeat thread, no clocks to trust.
* Taking the lock writes nothing to the project, so checking whether a file is in
  use (and validating a corrupt or foreign file) never touches its bytes, and a
  read-only open needs no write access at all.
* The lock is on a separate file, not on the .aisite itself: SQLite uses POSIX
  byte-range locks on the database file, and a second POSIX lock on that file from
  the same process would be silently released whenever any handle to it closes.
  ``flock``/``msvcrt`` locks on a sidecar are independent of SQLite's.

The sidecar also holds who has the file open (pid, host, user, app version, since
when) as JSON, so the message can say so; that content is advice, the OS lock is
the truth. On close the holder deletes the sidecar; a reopen checks the locked file
is still the one at the path (inode), so delete-while-waiting cannot let two
copies in.

The lock file cannot be turned against the planner: it is created with ``O_EXCL``
and opened with ``O_NOFOLLOW`` (a link planted at its name is refused, its target left
alone), and a file already there is overwritten only if it is a single-link regular
file holding this app's advice. A writer checks before every commit that its lock
file is still the one it locked (``verify``), so deleting or replacing it while the
project is open can never let two copies both commit. Read-only opens never take the
lock: they read the advice (``peek_holder``).

Caveat: on network shares whose file server does not support locks the lock cannot
be taken; the project still opens for writing and ``ProjectLock.degraded`` says the
protection is off (the app shows this in the status bar).
"""
from __future__ import annotations

import datetime as _dt
import errno
import getpass
import json
import os
import socket
import stat
from dataclasses import dataclass
from pathlib import Path

from aisite.core.errors import ProjectFileError
from aisite.core.version import __version__

_WIN_LOCK_OFFSET = 0x7FFF0000  # lock a byte far past the advice text so others can read it
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
#: A lock file this app wrote holds a short JSON object; anything larger is not ours.
_MAX_ADVICE_BYTES = 4096


def _same_file(fd: int, path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(fd), os.lstat(path))
    except OSError:
        return False


def _ours(fd: int) -> bool:
    """Empty, or the advice JSON this app writes: safe to overwrite."""
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        raw = os.read(fd, _MAX_ADVICE_BYTES + 1)
    except OSError:
        return False
    if not raw.strip():
        return True
    try:
        info = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return False
    return isinstance(info, dict) and {"pid", "host"} <= set(info)


def _foreign(project_path: str, lock_file: Path, problem: str) -> ProjectFileError:
    return ProjectFileError(
        project_path, f"its lock file {lock_file.name} {problem}, not a lock this app made; it was left "
        f"untouched: remove it if no copy of AI Site Planner has the project open, or open it read-only")


def lock_path(project_path: str | os.PathLike) -> Path:
    p = Path(project_path)
    return p.with_name(p.name + ".lock")


@dataclass(frozen=True)
class LockHolder:
    pid: int | None
    host: str
    user: str
    app_version: str
    since: str

    def describe(self) -> str:
        bits = []
        if self.pid == os.getpid() and self.host == socket.gethostname():
            return "already open in this copy of AI Site Planner"
        if self.user:
            bits.append(f"user {self.user}")
        if self.host:
            bits.append(f"computer {self.host}")
        if self.pid:
            bits.append(f"process {self.pid}")
        if self.since:
            bits.append(f"since {self.since}")
        who = f" ({', '.join(bits)})" if bits else ""
        return f"open in another copy of AI Site Planner{who}"


class ProjectInUseError(ProjectFileError):
    """The project is open for writing elsewhere. ``holder`` says by whom, if known."""

    def __init__(self, path: str, holder: LockHolder | None):
        self.holder = holder
        what = holder.describe() if holder else "open in another copy of AI Site Planner"
        super().__init__(path, f"{what}; close it there, or open it read-only")


def _read_holder(path: Path) -> LockHolder | None:
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return None
            raw = os.read(fd, _MAX_ADVICE_BYTES)
        finally:
            os.close(fd)
        info = json.loads(raw.decode("utf-8"))
        return LockHolder(
            pid=int(info["pid"]) if info.get("pid") is not None else None,
            host=str(info.get("host", "")),
            user=str(info.get("user", "")),
            app_version=str(info.get("app_version", "")),
            since=str(info.get("since", "")),
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _advice() -> bytes:
    try:
        user = getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name on some systems
        user = ""
    info = {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "user": user,
        "app_version": __version__,
        "since": _dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M"),
    }
    return json.dumps(info).encode("utf-8")


if os.name == "nt":  # pragma: no cover - exercised on Windows
    import msvcrt

    def _try_lock(fd: int) -> bool:
        os.lseek(fd, _WIN_LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError as error:
            if error.errno in (errno.EACCES, errno.EDEADLK):
                return False
            raise

    def _unlock(fd: int) -> None:
        os.lseek(fd, _WIN_LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        except OSError:
            pass

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            return False
        except OSError as error:
            if error.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                return False
            raise

    def _unlock(fd: int) -> None:
        try:
            fcntl.flock(fd, fcntl.LOCK_UN)
        except OSError:
            pass


class ProjectLock:
    """An exclusive lock on a project, released by the OS if this process dies."""

    def __init__(self, project_path: str | os.PathLike):
        self.project_path = str(project_path)
        self.path = lock_path(project_path)
        self._fd: int | None = None
        self.degraded = False  # True when the file system would not lock (see module doc)

    @property
    def held(self) -> bool:
        return self._fd is not None or self.degraded

    def acquire(self) -> None:
        """Take the lock or raise ProjectInUseError (ProjectFileError if it cannot be tried)."""
        if self.held:
            return
        for _attempt in range(20):
            opened = self._open_lock_file()
            if opened is None:
                continue  # it vanished between two calls: try again
            fd, created = opened
            try:
                locked = _try_lock(fd)
            except OSError as error:
                os.close(fd)
                if error.errno in (errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS, getattr(errno, "ENOTSUP", -1)):
                    self.degraded = True
                    return
                raise ProjectFileError(self.project_path, f"cannot lock it: {error.strerror or error}") from None
            if not locked:
                os.close(fd)
                raise ProjectInUseError(self.project_path, _read_holder(self.path))
            # The holder we waited on may have deleted the file we locked: make sure
            # the path still names the locked file, or start again.
            if not _same_file(fd, self.path):
                _unlock(fd)
                os.close(fd)
                continue
            if not created and not _ours(fd):
                _unlock(fd)
                os.close(fd)
                raise _foreign(self.project_path, self.path, "holds something else")
            try:
                os.ftruncate(fd, 0)
                os.lseek(fd, 0, os.SEEK_SET)
                os.write(fd, _advice())
            except OSError:
                pass  # advice only
            self._fd = fd
            return
        raise ProjectFileError(self.project_path, "cannot lock it: its lock file keeps changing")

    def _open_lock_file(self) -> tuple[int, bool] | None:
        """(fd, created) of the lock file, never through a link and never truncating
        a file this app did not make; None when it disappeared meanwhile."""
        flags = os.O_RDWR | _NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
        created = True
        try:
            fd = os.open(self.path, flags | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            created = False
            try:
                fd = os.open(self.path, flags | getattr(os, "O_NONBLOCK", 0))
            except FileNotFoundError:
                return None
            except OSError as error:
                if error.errno == errno.ELOOP or os.path.islink(self.path):
                    raise _foreign(self.project_path, self.path, "is a link") from None
                raise ProjectFileError(self.project_path, f"cannot open its lock file "
                                       f"({error.strerror or error}); open it read-only") from None
        except OSError as error:
            if error.errno == errno.ELOOP or os.path.islink(self.path):
                raise _foreign(self.project_path, self.path, "is a link") from None
            raise ProjectFileError(
                self.project_path,
                f"cannot write in its folder ({error.strerror or error}); open it read-only",
            ) from None
        st = os.fstat(fd)
        problem = None
        if not stat.S_ISREG(st.st_mode):
            problem = "is not a regular file"
        elif st.st_nlink != 1:
            problem = "is linked to another file"
        elif not created and st.st_size > _MAX_ADVICE_BYTES:
            problem = "holds something else"
        if problem:
            os.close(fd)
            raise _foreign(self.project_path, self.path, problem)
        return fd, created

    def verify(self) -> None:
        """Raise ProjectFileError unless this lock is still held on the file at its path.

        A lock file deleted or replaced while the project is open lets another copy
        take a new lock: called before every commit so that two writers never both commit."""
        if self._fd is None:
            return
        if not _same_file(self._fd, self.path):
            raise ProjectFileError(
                self.project_path,
                f"its lock file {self.path.name} was removed or replaced while it was open, so another "
                f"copy may be editing it: this edit was not saved; close the project and open it again")

    def release(self) -> None:
        if self._fd is None:
            self.degraded = False
            return
        fd, self._fd = self._fd, None
        if os.name != "nt":
            if _same_file(fd, self.path):  # never remove a lock file that is not ours
                try:
                    os.unlink(self.path)  # while still locked: waiters will see the inode change
                except OSError:
                    pass
            _unlock(fd)
            os.close(fd)
        else:  # pragma: no cover
            _unlock(fd)
            os.close(fd)
            try:
                os.unlink(self.path)
            except OSError:
                pass

    def __enter__(self) -> "ProjectLock":
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()

    def __del__(self):  # pragma: no cover - safety net
        try:
            self.release()
        except Exception:  # noqa: BLE001
            pass


def holder_of(project_path: str | os.PathLike) -> LockHolder | None:
    """Who has the project open for writing, or None when nobody does.

    Probes by trying the lock (and letting it go at once), so the answer is exact
    even after a crash left an old sidecar behind.
    """
    lock = ProjectLock(project_path)
    lock_file = lock.path
    if not lock_file.exists():
        return None
    try:
        fd = os.open(lock_file, os.O_RDONLY | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        return None
    try:
        if _try_lock(fd):
            _unlock(fd)
            return None
        return _read_holder(lock_file) or LockHolder(None, "", "", "", "")
    except OSError:
        return None
    finally:
        os.close(fd)


def peek_holder(project_path: str | os.PathLike) -> LockHolder | None:
    """Who appears to have the project open for writing, from the lock file's advice,
    without taking or probing the lock (so a reader never stands in a writer's way).

    On this computer a holder whose process has ended is no holder (a crash leaves
    the advice behind); on another computer the advice is taken at its word."""
    path = lock_path(project_path)
    if not path.exists():
        return None
    holder = _read_holder(path)
    if holder is None:
        return None
    if holder.host == socket.gethostname() and holder.pid:
        if holder.pid == os.getpid():
            return holder
        try:
            os.kill(holder.pid, 0)
        except ProcessLookupError:
            return None
        except (PermissionError, OSError):
            pass  # alive, another user's
    return holder
