#!/usr/bin/env bash
# macOS release build, run on the machine (or runner) whose architecture it targets:
# install, test, bundle (installer/aisite.spec), self-test the bundle with an empty
# environment, sign, DMG, notarise. Run from anywhere:
#     bash installer/macos/build-macos.sh            -> dist/AISitePlanner-VERSION-macos-ARCH.dmg
# Signing and notarisation run when their credentials are present and are skipped, with a
# message, when they are not (the DMG then opens only with right-click > Open):
#   CODESIGN_IDENTITY  "Developer ID Application: NAME (TEAMID)", in the keychain
#   NOTARY_PROFILE     a `xcrun notarytool store-credentials` profile, or else
#   APPLE_ID, APPLE_TEAM_ID, APPLE_APP_PASSWORD (an app-specific password)
set -euo pipefail
cd "$(dirname "$0")/../.."

python=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
AISITE_REQUIRE_EXT=1 .venv/bin/python -m pip install --quiet -e ".[test,bundle]"
if [ "${SKIP_TESTS:-0}" != "1" ]; then
  QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest -q -p no:cacheprovider
fi

version=$(.venv/bin/python installer/version_info.py)
arch=$(uname -m)
app="dist/AI Site Planner.app"
rm -rf build/pyinstaller "$app" dist/AISitePlanner
# With CODESIGN_IDENTITY set, PyInstaller signs every binary and the .app (hardened runtime
# and installer/macos/entitlements.plist); without it the binaries are ad-hoc signed.
[ -n "${CODESIGN_IDENTITY:-}" ] || echo "Signing skipped: CODESIGN_IDENTITY is not set (the app is ad-hoc signed)."
.venv/bin/pyinstaller installer/aisite.spec --noconfirm --workpath build/pyinstaller --distpath dist

# The bundle must run on its own: empty environment, no display, compiled kernels.
env -i HOME="$HOME" "$app/Contents/MacOS/aisite" --self-test > dist/self-test.json || {
  cat dist/self-test.json; echo "bundle self-test failed" >&2; exit 1; }
grep -q '"backend": "cython"' dist/self-test.json || { echo "bundle has no compiled kernels" >&2; exit 1; }

if [ -n "${CODESIGN_IDENTITY:-}" ]; then
  # The outer bundle once more with its Info.plist sealed; never --deep.
  codesign --force --options runtime --timestamp --entitlements installer/macos/entitlements.plist \
    --sign "$CODESIGN_IDENTITY" "$app"
  codesign --verify --strict --verbose=2 "$app"
fi

# A DMG keeps the bundle's symlinks intact (a zip without -y breaks the signature), with
# an Applications link to drag the app onto.
dmg="dist/AISitePlanner-$version-macos-$arch.dmg"
staging=$(mktemp -d)
ditto "$app" "$staging/AI Site Planner.app"
ln -s /Applications "$staging/Applications"
rm -f "$dmg"
hdiutil create -volname "AI Site Planner $version" -srcfolder "$staging" -ov -format UDZO "$dmg"
rm -rf "$staging"

if [ -n "${CODESIGN_IDENTITY:-}" ]; then
  codesign --force --timestamp --sign "$CODESIGN_IDENTITY" "$dmg"
fi
if [ -z "${CODESIGN_IDENTITY:-}" ]; then
  echo "Notarisation skipped: the app is not signed with a Developer ID."
elif [ -n "${NOTARY_PROFILE:-}" ]; then
  xcrun notarytool submit "$dmg" --keychain-profile "$NOTARY_PROFILE" --wait
  xcrun stapler staple "$dmg"
elif [ -n "${APPLE_ID:-}" ] && [ -n "${APPLE_TEAM_ID:-}" ] && [ -n "${APPLE_APP_PASSWORD:-}" ]; then
  xcrun notarytool submit "$dmg" --apple-id "$APPLE_ID" --team-id "$APPLE_TEAM_ID" \
    --password "$APPLE_APP_PASSWORD" --wait
  xcrun stapler staple "$dmg"
else
  echo "Notarisation skipped: set NOTARY_PROFILE, or APPLE_ID, APPLE_TEAM_ID and APPLE_APP_PASSWORD."
fi
echo "Built $dmg"
