#!/bin/sh
# deps.sh - install the Debian 12 packages wudiag needs, and nothing else.
#
#   sh tools/deps.sh          what building and running need (the main job:
#                             make, make demo): compiler, SQLite, libevtx with
#                             libbfio, expat
#   sh tools/deps.sh --test   that plus the test tool chain (make check, make
#                             bench): cmocka, the sanitizer runtime and clang
#                             for the fuzzers, valgrind, mingw-w64 and Wine for
#                             the Windows build, Chromium for the HTML checks,
#                             python3 as an independent JSON/CSV oracle, the
#                             sqlite3 and evtxexport tools used as references,
#                             the SDK headers and Unicode data the generated
#                             tables are checked against (mingw-w64-common,
#                             unicode-data)
#
# Idempotent: installs only what is missing (nothing, and no apt-get update,
# when all is there).  Uses sudo only when not already root.  Exit 2 on a bad
# argument; apt-get's exit status when an install fails.
set -eu

# libevtx-dev's header includes libbfio.h, yet the package does not depend on
# libbfio-dev: name it, or a fresh machine cannot compile collector/evtx_source.c.
RUN_PKGS="gcc make libc6-dev pkg-config libsqlite3-dev libevtx-dev libbfio-dev
          libexpat1-dev"
# tests/*, fuzz/, bench/, make windows, make test-windows, make valgrind
TEST_PKGS="libcmocka-dev python3 time sqlite3 libevtx-utils chromium
           gcc-mingw-w64-x86-64 binutils-mingw-w64-x86-64 wine64 wine
           dpkg-dev tcl clang libclang-rt-14-dev valgrind e2fsprogs
           mingw-w64-common unicode-data"

case "${1-}" in
    "") PKGS=$RUN_PKGS ;;
    --test) PKGS="$RUN_PKGS $TEST_PKGS" ;;
    *) echo "usage: sh tools/deps.sh [--test]" >&2; exit 2 ;;
esac

missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
        missing="$missing $p"
done
[ -z "$missing" ] && exit 0
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
echo "deps.sh: installing:$missing"
$SUDO apt-get update
# Recommends are left out: the Wine, Chromium and clang recommends are another
# few hundred MB that no build or test here uses.
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends $missing
