#!/usr/bin/env bash
# Installs the Debian packages Qt's window needs (and venv support) when run as root; otherwise
# names the missing ones and how to install them. Usage: .ci/system-deps.sh [PYTHON]
set -euo pipefail
python=${1:-python3}
packages=(
  libegl1 libgl1 libfontconfig1 libfreetype6 libglib2.0-0 libdbus-1-3 libx11-xcb1
  libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0
  libxcb-shape0 libxcb-xfixes0 libxcb-xkb1 libxkbcommon-x11-0 fonts-dejavu-core
  # the real-window test: a virtual screen, typing into it, screenshots of it
  xvfb xdotool x11-utils imagemagick
)
if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "note: not a Debian system; make sure Qt's xcb libraries are installed (see docs/development.md)." >&2
  exit 0
fi
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ! "$python" -c 'import ensurepip, venv' >/dev/null 2>&1; then
  missing+=("python3-venv")
fi
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
  echo "Installing system packages: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "Archive Browser needs these Debian packages: ${missing[*]}" >&2
  echo "Install them with:  sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
