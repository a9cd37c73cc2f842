#!/usr/bin/env bash
# macOS release build: install, test, bundle, self-check, DMG. Signing and notarisation run
# when CODESIGN_IDENTITY and NOTARY_PROFILE are set (release tags only).
set -euo pipefail
cd "$(dirname "$0")/../.."
python3 -m venv .venv
.venv/bin/python -m pip install --upgrade pip pyinstaller
AISITE_REQUIRE_EXT=1 .venv/bin/python -m pip install -e ".[test]"
QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest -q
.venv/bin/pyinstaller installer/aisite.spec --noconfirm
"dist/AI Site Planner.app/Contents/MacOS/AISitePlanner" bench --quick --json | grep -q '"backend": "cython"'
if [ -n "${CODESIGN_IDENTITY:-}" ]; then
  # Sign each binary through PyInstaller's own pass is preferred; never `codesign --deep`.
  codesign --force --options runtime --timestamp --sign "$CODESIGN_IDENTITY" "dist/AI Site Planner.app"
fi
version=$(.venv/bin/python -c "import core; print(core.__version__)")
# A DMG keeps the bundle's symlinks intact (zip without -y breaks the signature).
hdiutil create -volname "AI Site Planner" -srcfolder "dist/AI Site Planner.app" -ov -format UDZO \
  "dist/AISitePlanner-$version.dmg"
if [ -n "${NOTARY_PROFILE:-}" ]; then
  xcrun notarytool submit "dist/AISitePlanner-$version.dmg" --keychain-profile "$NOTARY_PROFILE" --wait
  xcrun stapler staple "dist/AISitePlanner-$version.dmg"
fi
