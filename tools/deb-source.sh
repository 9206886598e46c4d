#!/bin/sh
# deb-source.sh - fetch and unpack Debian's source package PKG into
# OUT/PKG (for the Windows build, which compiles SQLite, expat and libevtx
# from Debian's sources).  deb-src is enabled through a private apt configuration
# under OUT/apt; the machine's apt sources are not touched.
# Usage: deb-source.sh PKG OUT
set -eu
PKG=$1
OUT=$(mkdir -p "$2" && cd "$2" && pwd)
[ -d "$OUT/$PKG" ] && exit 0
# one run at a time: `make -j windows` fetches its packages in parallel, and
# they share the apt state below
exec 9>"$OUT/.lock"
flock 9
[ -d "$OUT/$PKG" ] && exit 0
APT=$OUT/apt
mkdir -p "$APT/sources.list.d" "$APT/lists/partial" "$APT/cache/archives/partial" "$OUT/dl"
if [ ! -f "$APT/updated" ]; then
    # deb-src twins of the machine's deb entries (deb822 and one-line formats)
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] || continue
        sed 's/^Types:.*/Types: deb-src/' "$f" > "$APT/sources.list.d/$(basename "$f")"
    done
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -f "$f" ] || continue
        sed -n 's/^deb \(.*\)/deb-src \1/p' "$f" > "$APT/sources.list.d/$(basename "$f").list"
    done
fi
set -- -o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts="$APT/sources.list.d" \
       -o Dir::State::Lists="$APT/lists" -o Dir::Cache="$APT/cache" \
       -o APT::Sandbox::User=root
[ -f "$APT/updated" ] || { apt-get "$@" update >/dev/null && touch "$APT/updated"; }
cd "$OUT/dl"
# newest version first; fall back to older ones when a mirror lacks a file
ok=0
for v in $(apt-cache "$@" showsrc "$PKG" | sed -n 's/^Version: //p' | sort -rV | uniq); do
    rm -f "${PKG}"_*
    if apt-get "$@" source --download-only "$PKG=$v" >/dev/null 2>&1; then
        ok=1
        break
    fi
    echo "deb-source: $PKG $v could not be fetched; trying an older version" >&2
done
[ $ok -eq 1 ] || { echo "deb-source: cannot fetch source package $PKG" >&2; exit 1; }
dsc=$(ls "${PKG}"_*.dsc | head -n 1)
dpkg-source --no-check -x "$dsc" "$OUT/$PKG.tmp" >/dev/null
mv "$OUT/$PKG.tmp" "$OUT/$PKG"
echo "unpacked $dsc into $OUT/$PKG"
