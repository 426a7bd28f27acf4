#!/usr/bin/env bash
# Installs the CPython 3.14 and 3.15 test interpreters into a private cache, in both layouts the
# sampler must read:
#   <cache>/debian/usr/bin/python3.X  Debian's own build, libpython linked into the executable
#   <cache>/shared/bin/python3.X      a launcher linked against libpython3.X.so.1.0 (the pyenv /
#                                     python.org layout), built here from scripts/cpython-launcher.c
# where <cache> is ${HOTPATH_PYTHON_CACHE:-$HOME/.cache/hotpath/cpython}. Tests and the bench find
# them there (test/native/helpers/pythons.ts, bench/lib/pythons.ts); keep these paths.
#
# Why this way: Debian unstable carries these releases as binary packages, but they need a newer
# glibc than Debian 12 has, and the system's glibc must not be replaced. So the packages and the
# libraries they load (sid's glibc included) are fetched with `apt-get download` against a private
# sources list and state directory (the system's apt state is never read or written), unpacked
# with `dpkg-deb -x`, and each executable is pointed at the unpacked loader and libraries. The
# search path is set as DT_RPATH, not RUNPATH: RPATH also applies to the extension modules that
# lib-dynload opens later and wins over LD_LIBRARY_PATH.
#
# Idempotent: once installed (stamp file present, four executables in place) a run does nothing.
# A new install is built next to the cache, moved into place, verified, and only then stamped.
# Needs: apt-get, dpkg-deb, patchelf, gcc, network access to a Debian mirror. No root needed.
# HOTPATH_DEBIAN_MIRROR overrides the mirror (default: the system's own apt sources).
set -euo pipefail

VERSIONS=(3.14 3.15)
# Bump when what this script produces changes, so existing caches are rebuilt.
LAYOUT_REVISION=1
# What every interpreter must import; each needs a library from the unpacked set.
MODULES='ssl, ctypes, sqlite3, decimal, asyncio, threading, multiprocessing'
LIBRARY_PACKAGES=(libc6 libexpat1 zlib1g libffi8 libzstd1 libssl3t64 libbz2-1.0 liblzma5
  libsqlite3-0 libmpdec4 libuuid1)

# shellcheck source=scripts/debian-apt.sh
. "$(dirname "${BASH_SOURCE[0]}")/debian-apt.sh"
cache="$(absolute_cache "${HOTPATH_PYTHON_CACHE:-$HOME/.cache/hotpath/cpython}")"
stamp="$cache/.installed"
expected_stamp="hotpath-cpython revision $LAYOUT_REVISION: ${VERSIONS[*]}"

fail() {
  echo "install-cpython: $*" >&2
  exit 1
}

installed() {
  [ -f "$stamp" ] && [ "$(head -n 1 "$stamp")" = "$expected_stamp" ] || return 1
  local v
  for v in "${VERSIONS[@]}"; do
    [ -x "$cache/debian/usr/bin/python$v" ] && [ -x "$cache/shared/bin/python$v" ] || return 1
  done
}

if installed; then exit 0; fi

[ "$(uname -s)/$(uname -m)" = Linux/x86_64 ] ||
  fail "the packaged interpreters are for Linux x86_64; this is $(uname -s)/$(uname -m)."
case "$cache" in *:*) fail "the cache path may not contain ':' (it goes into an RPATH): $cache" ;; esac
for tool in apt-get dpkg-deb patchelf gcc; do
  command -v "$tool" >/dev/null 2>&1 || fail "$tool is missing (Debian: apt-get install $tool)."
done

lock_cache "$cache"
if installed; then exit 0; fi

started=$SECONDS
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work="$(mktemp -d "$cache.new.XXXXXX")"
trap 'rm -rf "$work"' EXIT

mirror="$(debian_mirror)"
mkdir -p "$work/debs" "$work/root"
private_apt "$work" "$mirror" sid amd64

echo "install-cpython: fetching CPython ${VERSIONS[*]} from $mirror sid into $cache"
apt-get "${apt_options[@]}" -qq --error-on=any update >"$work/apt.log" 2>&1 ||
  fail "apt-get update of $mirror sid failed (set HOTPATH_DEBIAN_MIRROR to another mirror?):
$(tail -n 5 "$work/apt.log")"

packages=("${LIBRARY_PACKAGES[@]}")
for v in "${VERSIONS[@]}"; do
  packages+=("python$v-minimal" "libpython$v-minimal" "libpython$v-stdlib" "libpython$v")
done
(cd "$work/debs" && apt-get "${apt_options[@]}" -qq download "${packages[@]}") >>"$work/apt.log" 2>&1 ||
  fail "apt-get download from $mirror sid failed (a mirror pinned to an old date lacks these releases;
set HOTPATH_DEBIAN_MIRROR=http://deb.debian.org/debian?):
$(tail -n 5 "$work/apt.log")"

for deb in "$work"/debs/*.deb; do dpkg-deb -x "$deb" "$work/root"; done

# Paths are written for where the tree will live, not where it is built.
libdir="$cache/debian/usr/lib/x86_64-linux-gnu"
loader="$libdir/ld-linux-x86-64.so.2"
[ -e "$work/root/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2" ] || fail "sid's libc6 has no loader"
mkdir -p "$work/shared/bin"
ln -s ../debian/usr/lib "$work/shared/lib" # prefix discovery finds shared/lib/python3.X
for v in "${VERSIONS[@]}"; do
  patchelf --set-interpreter "$loader" --force-rpath --set-rpath "$libdir" "$work/root/usr/bin/python$v"
  # libpython needs symbols of sid's glibc that the build machine's libc lacks: the link leaves
  # them to the loader, which finds them in the unpacked libc at run time.
  gcc -O2 -o "$work/shared/bin/python$v" "$here/cpython-launcher.c" \
    "$work/root/usr/lib/x86_64-linux-gnu/libpython$v.so.1.0" -Wl,--allow-shlib-undefined \
    -Wl,--dynamic-linker="$loader" -Wl,--disable-new-dtags -Wl,-rpath="$libdir"
done
mv "$work/root" "$work/debian"

{
  echo "$expected_stamp"
  for deb in "$work"/debs/*.deb; do dpkg-deb --show --showformat='${Package} ${Version}\n' "$deb"; done
} >"$work/stamp"

# Swap the new tree in (an older one, stamp missing or stale, goes), then check it where it lives.
old="$cache.old.$$"
if [ -e "$cache" ]; then mv "$cache" "$old"; fi
mkdir "$cache"
mv "$work/debian" "$work/shared" "$cache/"
rm -rf "$old"

# Each interpreter imports the modules and says where _PyRuntime lives: in the executable for
# Debian's layout, in libpython3.X.so for the shared one. Extension modules that need a library
# neither sid's set nor the system provides (readline, curses on a minimal machine) are named,
# not fatal: the tests do not use them.
verify='import ctypes, importlib, os, sys
import '"$MODULES"'
dynload = os.path.join(sys.prefix, "lib", "python%d.%d" % sys.version_info[:2], "lib-dynload")
unloadable = []
for name in sorted(os.listdir(dynload)):
    try:
        importlib.import_module(name.split(".")[0])
    except Exception:
        unloadable.append(name.split(".")[0])
if unloadable:
    print("install-cpython: note:", sys.executable, "cannot import", ", ".join(unloadable), file=sys.stderr)
address = ctypes.addressof(ctypes.c_char.in_dll(ctypes.pythonapi, "_PyRuntime"))
where = "unmapped"
for line in open("/proc/self/maps"):
    fields = line.split()
    low, high = (int(x, 16) for x in fields[0].split("-"))
    if low <= address < high and len(fields) > 5:
        where = fields[5]
if where == os.path.realpath(sys.executable):
    where = "static"
elif os.path.basename(where).startswith("libpython"):
    where = "shared"
print(sys.version.split()[0], where)'
summary=()
for layout in static shared; do
  for v in "${VERSIONS[@]}"; do
    if [ "$layout" = static ]; then python="$cache/debian/usr/bin/python$v"; else python="$cache/shared/bin/python$v"; fi
    # -I: no PYTHONHOME, PYTHONPATH or user site from this environment.
    result="$("$python" -I -c "$verify")" || fail "$python does not run or lacks a module (its error is above):
$result"
    result="${result##*$'\n'}" # the last line: importing readline may print terminal codes first
    case "$result" in
      "$v".*" $layout") summary+=("${result% *}") ;;
      *) fail "$python: expected CPython $v with _PyRuntime in the $layout layout, got: $result" ;;
    esac
  done
done
mv "$work/stamp" "$stamp"
echo "install-cpython: ${summary[*]:0:${#VERSIONS[@]}} (Debian static + shared libpython) ready in $cache ($((SECONDS - started)) s)"
