# Sourced by the scripts that unpack Debian packages into a private cache (install-cpython.sh,
# install-arm64-runtime.sh): where the cache is, which mirror to use, and apt-get options that
# download packages of any suite and architecture without reading or writing the system's apt
# state (a private sources list, state and cache directory under the caller's work folder).

# Waits until no other install into cache $1 runs (one at a time: the caller then checks whether
# the one it waited for installed what it wants).
lock_cache() {
  mkdir -p "$(dirname "$1")"
  exec 9>"$1.lock"
  if command -v flock >/dev/null 2>&1; then flock 9; fi
}

# The cache folder $1, absolute and without a trailing slash.
absolute_cache() {
  local dir="$1"
  case "$dir" in /*) ;; *) dir="$PWD/$dir" ;; esac
  echo "${dir%/}"
}

# The mirror: the first non-security archive in the system's own sources (one-line or deb822).
system_mirror() {
  local f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    awk '$1 == "deb" { i = 2; if ($2 ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
      if ($i !~ /security/ && $(i + 1) !~ /-security$/) { print $i; exit } }' "$f"
  done
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    awk 'function flush() { if (types ~ /(^| )deb( |$)/ && enabled != "no" && uris != "" &&
        uris !~ /security/ && suites !~ /-security/) { split(uris, u, " "); print u[1]; done = 1 }
        types = uris = suites = enabled = "" }
      /^#/ { next }
      /^[ \t]*$/ { flush(); if (done) exit; next }
      { key = tolower($1); sub(/^[^:]*:[ \t]*/, "");
        if (key == "types:") types = $0; else if (key == "uris:") uris = $0;
        else if (key == "suites:") suites = $0; else if (key == "enabled:") enabled = tolower($0) }
      END { if (!done) flush() }' "$f"
  done
}
# The mirror to download from: HOTPATH_DEBIAN_MIRROR, else the system's own, else Debian's.
debian_mirror() {
  local mirror="${HOTPATH_DEBIAN_MIRROR:-$(system_mirror | head -n 1)}"
  echo "${mirror:-http://deb.debian.org/debian}"
}

# Fills the array apt_options for `apt-get update` / `apt-get download` of SUITE's ARCH packages
# from MIRROR, with apt's lists and cache under WORK/apt. Usage: private_apt WORK MIRROR SUITE ARCH
private_apt() {
  local work="$1" mirror="$2" suite="$3" arch="$4"
  local keyring=/usr/share/keyrings/debian-archive-keyring.gpg
  [ -r "$keyring" ] || fail "$keyring is missing (Debian: apt-get install debian-archive-keyring)."
  mkdir -p "$work/apt/lists/partial" "$work/apt/cache/archives/partial"
  echo "deb [signed-by=$keyring] $mirror $suite main" >"$work/apt/sources.list"
  : >"$work/apt/status"
  apt_options=(
    -o "Dir::Etc::SourceList=$work/apt/sources.list" -o Dir::Etc::SourceParts=/dev/null
    -o Dir::Etc::Preferences=/dev/null -o Dir::Etc::PreferencesParts=/dev/null
    -o "Dir::State::Lists=$work/apt/lists" -o "Dir::State::status=$work/apt/status"
    -o "Dir::Cache=$work/apt/cache" -o Acquire::Languages=none
    -o "APT::Architecture=$arch" -o "APT::Architectures::=$arch"
  )
  # As root apt hands downloads to its _apt user, which cannot enter this private directory.
  if [ "$(id -u)" -eq 0 ]; then apt_options+=(-o APT::Sandbox::User=root); fi
}
