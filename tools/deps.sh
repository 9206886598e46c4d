#!/bin/sh
# deps.sh - install the Debian packages wudiag builds, tests and benchmarks
# with.  Idempotent; uses sudo only when not already root.
set -eu
PKGS="build-essential pkg-config libsqlite3-dev sqlite3 libevtx-dev libevtx-utils
      libexpat1-dev libcmocka-dev python3 time chromium
      gcc-mingw-w64-x86-64 binutils-mingw-w64-x86-64 wine64 wine dpkg-dev tcl
      clang libclang-rt-14-dev valgrind e2fsprogs"
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
        missing="$missing $p"
done
[ -z "$missing" ] && exit 0
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
$SUDO apt-get update
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y $missing
