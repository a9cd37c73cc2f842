# Windows release build: install, test, bundle, self-check, installer.
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..\..")
python -m venv .venv
.\.venv\Scripts\python -m pip install --upgrade pip pyinstaller
$env:AISITE_REQUIRE_EXT = "1"
.\.venv\Scripts\python -m pip install -e ".[test]"
$env:QT_QPA_PLATFORM = "offscreen"
.\.venv\Scripts\python -m pytest -q
.\.venv\Scripts\pyinstaller installer\aisite.spec --noconfirm
# The bundle must run on its own and report the compiled kernel.
.\dist\AISitePlanner\AISitePlanner.exe bench --quick --json | Select-String '"backend": "cython"'
$env:AISITE_VERSION = (.\.venv\Scripts\python -c "import core; print(core.__version__)")
iscc installer\windows\aisite.iss
