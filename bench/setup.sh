#!/bin/sh
# Installs what the benchmark suite needs from Debian's packages: Django for the
# template workload (for /usr/bin/python3), and the peer profilers measured side
# by side with Hotpath (yappi, austin). Safe to run again: installed packages
# are skipped, and apt's index is refreshed only when something is missing.
set -eu

PACKAGES="python3-django python3-yappi austin"

missing=""
for pkg in $PACKAGES; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing="$missing $pkg"
  fi
done

if [ -z "$missing" ]; then
  echo "bench/setup.sh: everything is installed ($PACKAGES)"
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
echo "bench/setup.sh: done"
