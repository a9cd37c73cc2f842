"""AI Site Planner: the one import name of the installed distribution.

Installed (wheel, PyInstaller bundle), `aisite.core`, `aisite.app` and the shipped
`aisite.data` and `aisite.resources` are folders inside this package. The source checkout
keeps them at its top (core/, app/, data/, resources/) beside this folder, so there the
checkout is added to this package's search path: `python -m aisite.app.cli` and the tests
run from a plain checkout exactly as they do installed.
"""
import os as _os

_here = _os.path.dirname(_os.path.abspath(__file__))
_checkout = _os.path.dirname(_here)
if not _os.path.isdir(_os.path.join(_here, "core")) and _os.path.isfile(_os.path.join(_checkout, "core", "version.py")):
    __path__.append(_checkout)  # noqa: F821 - a package's own __path__

from .core.version import __version__  # noqa: E402

__all__ = ["__version__"]
