"""Entry point of the PyInstaller bundle: the `aisite` console script (CLI and GUI)."""
import sys

from app.cli import main

if __name__ == "__main__":
    sys.exit(main())
