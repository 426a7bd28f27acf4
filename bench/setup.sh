#!/bin/sh
# Installs what the benchmark suite needs from Debian's packages: Django for the
# template workload (for /usr/bin/python3), and the peer profilers measured side
# by side with Hotpath (yappi, austin); and py-spy, which Debian does not
# package, with pip into a virtual environment of its own. Safe to run again:
# installed packages are skipped, and apt's index is refreshed only when
# something is missing.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
VENV="$HERE/.work/venv"

# py-spy is optional: without it the suite reports its rows as not installed.
install_pyspy() {
  if [ -x "$VENV/bin/py-spy" ]; then
    echo "bench/setup.sh: py-spy is installed ($VENV)"
    return 0
  fi
  echo "bench/setup.sh: installing py-spy with pip into $VENV"
  if python3 -m venv "$VENV" && "$VENV/bin/pip" install -q py-spy; then
    "$VENV/bin/py-spy" --version
  else
    echo "bench/setup.sh: py-spy could not be installed (no package index?): its rows will say so" >&2
  fi
}

PACKAGES="python3-django python3-yappi austin python3-venv"

missing=""
for pkg in $PACKAGES; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing="$missing $pkg"
  fi
done

if [ -z "$missing" ]; then
  echo "bench/setup.sh: everything is installed ($PACKAGES)"
  install_pyspy
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi

echo "bench/setup.sh: installing$missing"
$SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq
# shellcheck disable=SC2086 # the list is meant to split into words
DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends $missing >/dev/null
install_pyspy
echo "bench/setup.sh: done"
