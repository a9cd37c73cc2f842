#!/usr/bin/env bash
# Builds the Linux one-folder bundle from installer/aisite.spec and checks it the way a
# planner's machine runs it: `env -i` (no DISPLAY, no QT_QPA_PLATFORM, nothing from this
# venv), `--self-test` must pass and report the compiled kernels. Prints the bundle's size
# and its start-up time to a usable window. Run after installer/setup-dev.sh; .ci/run runs it.
#     bash installer/check-bundle.sh            (about 3 minutes here, mostly PyInstaller)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
out=build/bundle-check
rm -rf "$out"
mkdir -p "$out/home"

.venv/bin/python -m pip install --quiet "pyinstaller>=6.13" "pillow>=10"
started=$(date +%s)
nice -n 10 .venv/bin/pyinstaller installer/aisite.spec --noconfirm --clean --log-level WARN \
  --distpath "$out/dist" --workpath "$out/work"
echo "bundle built in $(( $(date +%s) - started )) s: $(du -sh "$out/dist/AISitePlanner" | cut -f1)," \
     "$(find "$out/dist/AISitePlanner" -type f | wc -l) files"

bundle="$root/$out/dist/AISitePlanner/aisite"
# From a folder outside the checkout, with an empty environment.
cd "$out/home"
status=0
env -i HOME="$PWD" "$bundle" --self-test > self-test.json 2> self-test.stderr || status=$?
cat self-test.json
if [ "$status" -ne 0 ]; then
  echo "bundle self-test failed (exit $status):" >&2
  cat self-test.stderr >&2
  exit 1
fi
grep -q '"backend": "cython"' self-test.json || { echo "bundle self-test: not the compiled kernels" >&2; exit 1; }

# Start-up to a usable window (the sample project open, its results drawn), wall clock
# from process start, offscreen, second of two runs (the first warms the file cache).
for run in 1 2; do
  t0=$(date +%s%N)
  env -i HOME="$PWD" QT_QPA_PLATFORM=offscreen AISITE_MEASURE_STARTUP=1 "$bundle" > startup.txt 2>/dev/null
  t1=$(date +%s%N)
done
echo "bundle start-up to a usable window: $(( (t1 - t0) / 1000000 )) ms wall clock" \
     "($(grep -o '[0-9]*' startup.txt | head -1) ms from the launcher's import)"
echo "bundle check passed"
