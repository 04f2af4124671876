#!/usr/bin/env bash
# Runs the built app's smoke mode the way a user would meet it: the folder moved elsewhere, a fresh HOME,
# offscreen and in a real (virtual) X display. Usage: .ci/frozen-smoke.sh [dist/archive-browser]
set -euo pipefail
built=${1:-dist/archive-browser}
work=$(mktemp -d)
trap 'kill "${xvfb:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT
cp -a "$built" "$work/moved-app"
mkdir -p "$work/home"
run() { env -i PATH=/usr/bin:/bin HOME="$work/home" LANG=C.UTF-8 "$@"; }
echo "== frozen self-test, offscreen"
run QT_QPA_PLATFORM=offscreen "$work/moved-app/archive-browser" --self-test
echo "== frozen command line"
run "$work/moved-app/archive-browser-cli" --archive "$work/cli-archive" --json list | head -2
if command -v Xvfb >/dev/null 2>&1; then
  display=:$((150 + RANDOM % 50))
  Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
  xvfb=$!
  sleep 1
  echo "== frozen self-test, under Xvfb on $display"
  run DISPLAY="$display" QT_QPA_PLATFORM=xcb "$work/moved-app/archive-browser" --self-test
else
  echo "note: no Xvfb here; the X11 run was skipped"
fi
echo "frozen smoke tests passed"
