"""Built from a checkout, aisite/__init__.py adds the checkout (core/, app/, data/ beside
it) to the package's search path at run time; PyInstaller reads imports without running
code, so it is told the same here. From an installed aisite this does nothing."""
from pathlib import Path


def pre_safe_import_module(api):
    checkout = Path(__file__).resolve().parents[3]
    if (checkout / "aisite" / "__init__.py").is_file() and (checkout / "core" / "version.py").is_file():
        api.append_package_path(str(checkout))
