#!/bin/sh
# gen_kb_codes.sh - generate vocab/kb_codes.c, the knowledge base's code
# table: every code the Windows SDK headers Debian ships (mingw-w64-common)
# name, with the hand-written rows of tools/kb_codes.tsv laid over them.
#
# Sources, in order of precedence for a code:
#   1. tools/kb_codes.tsv: hand-written symbol, category, fix and meaning
#      (code<TAB>symbol<TAB>category<TAB>fix_id<TAB>meaning); always wins.
#   2. the headers of HEADERS below, in that order; within one header the
#      first name defined for a code wins, and range markers (*_FIRST,
#      *_LAST) only name a code nothing else names.  A Win32 code N (a plain
#      number below 0x10000) becomes HRESULT_FROM_WIN32(N) = 0x8007xxxx.
#      Such a row gets a generic meaning written here from its symbol and
#      facility, and the category and fix of tools/kb_codes_map.tsv.
# The SDK gives names only; no text of the headers is copied.  Rows come out
# sorted by code for kb_code_find's binary search.  A malformed TSV row, an
# unknown category, a duplicate hand-written code or a missing header makes
# the script fail without writing anything.
#
# Usage: tools/gen_kb_codes.sh [-I INCLUDE_DIR] [TSV [OUT]]
#   INCLUDE_DIR  the SDK headers ($MINGW_INCLUDE, else
#                /usr/share/mingw-w64/include)
#   OUT          vocab/kb_codes.c by default; "-" writes to stdout
set -eu
dir=$(dirname "$0")
inc=${MINGW_INCLUDE:-/usr/share/mingw-w64/include}
if [ "${1-}" = "-I" ]; then
    inc=$2
    shift 2
fi
src=${1:-"$dir/kb_codes.tsv"}
out=${2:-"$dir/../vocab/kb_codes.c"}
map="$dir/kb_codes_map.tsv"
tmp=$(mktemp)
trap 'rm -f "$tmp" "$tmp.a" "$tmp.b"' EXIT

# Header<TAB>kind<TAB>names taken (ERE).  kind "any": HRESULT defines and
# Win32 numbers; "win32": Win32 numbers (BASE + n); "hresult": HRESULT
# values only; "enum": HRESULT values of enum members (NAME = 0x...,).
HEADERS='winerror.h	any	.
wuerror.h	hresult	^WU_
wbemcli.h	enum	^WBEM(ESS|MOF)?_[ES]_
bitsmsg.h	hresult	^BG_[ES]_
winhttp.h	win32	^ERROR_WINHTTP_
wininet.h	win32	^ERROR_(INTERNET|FTP|GOPHER|HTTP)_
lmerr.h	win32	^NERR_
urlmon.h	hresult	^INET_[ES]_
vsserror.h	hresult	^VSS_[ES]_
dismapi.h	hresult	^DISMAPI_[ES]_
slerror.h	hresult	^SL_[ES]_
sherrors.h	hresult	_[ES]_
adserr.h	hresult	^E_ADS_
oledberr.h	hresult	^DB_[ES]_
cierror.h	hresult	^(CI|QPARSE|QPLIST|QUERY|FDAEMON|WBREAK)_[ES]_
filterr.h	hresult	^FILTER_[ES]_
mq.h	hresult	^MQ_(ERROR|INFORMATION)_
fsrmerr.h	hresult	^FSRM_[ES]_
eaphosterror.h	hresult	^EAP_E_
fltwinerror.h	hresult	^ERROR_FLT_
netcfgx.h	hresult	^NETCFG_[ES]_
p2p.h	hresult	^PEER_E_
nserror.h	hresult	^NS_[ES]_
mferror.h	hresult	^MF_[ES]_
vfwmsgs.h	hresult	^VFW_[ES]_
mediaerr.h	hresult	^DMO_E_
tapi3err.h	hresult	^TAPI_E_
rtcerr.h	hresult	^RTC_E_
d2derr.h	hresult	^D2DERR_
stierr.h	hresult	^STIERR_
textstor.h	hresult	^TS_[ES]_
dhtmled.h	hresult	^DE_E_
mapicode.h	hresult	^MAPI_[EW]_
pstore.h	hresult	^PST_E_
ntstatus.h	hresult	^STATUS_'

# awk operands: the map, the TSV, then each header with its kind and pattern.
set -- "$map" "src=1" "$src" "src=0"
n=0
while IFS='	' read -r h k p; do
    [ -r "$inc/$h" ] || { echo "gen_kb_codes.sh: cannot read $inc/$h" >&2; exit 1; }
    set -- "$@" "kind=$k" "pat=$p" "hidx=$n" "$inc/$h"
    n=$((n + 1))
done <<EOF
$HEADERS
EOF

awk -F '\t' -v mapfile="$map" '
function hex2num(s,   i, c, v) {
    v = 0
    s = toupper(s)
    for (i = 1; i <= length(s); i++) {
        c = index("0123456789ABCDEF", substr(s, i, 1)) - 1
        if (c < 0) return -1
        v = v * 16 + c
    }
    return v
}
function hex(v, w,   s, d) {
    s = ""
    while (v > 0 || length(s) < w) {
        d = v % 16
        s = substr("0123456789ABCDEF", d + 1, 1) s
        v = (v - d) / 16
    }
    return s
}
# a number or a symbol defined before (FACILITY_ITF), or -1
function operand(t) {
    if (t ~ /^0[xX][0-9A-Fa-f]+[uUlL]*$/) { sub(/[uUlL]+$/, "", t); return hex2num(substr(t, 3)) }
    if (t ~ /^[0-9]+[uUlL]*$/) { sub(/[uUlL]+$/, "", t); return t + 0 }
    return (t in defs) ? defs[t] : -1
}
# value text of a define or enum member -> number in num, 1 when numeric;
# hrtype set when the text types it as an HRESULT
function evalv(t,   base, m, a, sev, fac, code) {
    hrtype = (t ~ /_HRESULT_TYPEDEF_|\(HRESULT\)|\(SCODE\)|\(NTSTATUS\)|MAKE_HRESULT/)
    sub(/\/\/.*/, "", t); gsub(/\/\*.*\*\//, "", t); sub(/\/\*.*/, "", t)
    # MAKE_HRESULT(severity, facility, code) of winerror.h: sev << 31 |
    # fac << 16 | code, each a number or a symbol defined before
    if (t ~ /^[ \t]*MAKE_HRESULT[ \t]*\(/) {
        gsub(/[ \t]/, "", t); sub(/^MAKE_HRESULT\(/, "", t); sub(/\)$/, "", t)
        if (split(t, a, ",") != 3) return 0
        sev = operand(a[1]); fac = operand(a[2]); code = operand(a[3])
        if (sev < 0 || sev > 1 || fac < 0 || fac > 2047 || code < 0 || code > 65535) return 0
        num = sev * 2147483648 + fac * 65536 + code; return 1
    }
    gsub(/_HRESULT_TYPEDEF_|__MSABI_LONG|\((HRESULT|SCODE|NTSTATUS|DWORD|LONG|long|int)\)|[() \t,]/, "", t)
    if (t ~ /^0[xX][0-9A-Fa-f]+[uUlL]*$/) {
        sub(/[uUlL]+$/, "", t); num = hex2num(substr(t, 3)); return 1
    }
    if (t ~ /^[0-9]+[uUlL]*$/) { sub(/[uUlL]+$/, "", t); num = t + 0; return 1 }
    if (t ~ /^[A-Za-z_][A-Za-z0-9_]*\+[0-9]+[lL]?$/) {
        base = t; sub(/\+.*/, "", base); m = t; sub(/.*\+/, "", m); sub(/[lL]$/, "", m)
        if (!(base in defs)) return 0
        num = defs[base] + m; return 1
    }
    return 0
}
function classify(sym, hdr,   i, fac) {
    for (i = 1; i <= npre; i++)
        if (sym ~ pre_re[i]) { gcat = pre_cat[i]; gfix = pre_fix[i]; glabel = pre_lab[i]; return }
    fac = int(hdr / 65536) % 2048
    if (fac in fac_cat) { gcat = fac_cat[fac]; gfix = fac_fix[fac]; glabel = fac_lab[fac]; return }
    gcat = def_cat; gfix = def_fix; glabel = def_lab " " fac
}
# a header symbol names code c (win32 >= 0: its Win32 number)
# (keys are 8 hex digits: awk would print a large number as 2.14984e+09)
function offer(c, sym, w32,   rank, k) {
    k = hex(c, 8)
    if (c == 0 || (k in hand)) return
    rank = hidx * 2 + (sym ~ /_(FIRST|LAST)$/)
    if ((k in best) && best_rank[k] <= rank) return
    best[k] = sym; best_rank[k] = rank; best_w32[k] = w32
}
function take(sym, t) {
    if (!evalv(t)) return
    defs[sym] = num
    if (sym ~ /^_|^(FACILITY|SEVERITY)_|(_BASE|BASEERR|_MASK|_MAX)$|^MAX_/ || sym !~ pat) return
    if (hrtype || num >= 65536) {
        if (kind == "win32" || num < 65536 || num > 4294967295) return
        offer(num, sym, -1)
    } else if (kind == "any" || kind == "win32") {
        offer(2147942400 + num, sym, num)       # 0x80070000 | n
    }
}
BEGIN {
    split("service network policy download install servicing disk reboot benign", cats, " ")
    for (i in cats) okcat[cats[i]] = 1
    bad = 0; npre = 0
}
FILENAME == mapfile {
    if ($0 ~ /^#/ || $0 ~ /^[ \t]*$/) next
    if (NF != 5 || !($3 in okcat)) { print "kb_codes_map.tsv: bad row: " $0 > "/dev/stderr"; bad = 1; next }
    if ($1 == "prefix") { npre++; pre_re[npre] = $2; pre_cat[npre] = $3; pre_fix[npre] = $4; pre_lab[npre] = $5 }
    else if ($1 == "facility") { fac_cat[$2 + 0] = $3; fac_fix[$2 + 0] = $4; fac_lab[$2 + 0] = $5 }
    else if ($1 == "default") { def_cat = $3; def_fix = $4; def_lab = $5 }
    else { print "kb_codes_map.tsv: bad kind: " $0 > "/dev/stderr"; bad = 1 }
    next
}
src == 1 {
    if ($0 ~ /^#/ || $0 ~ /^[ \t]*$/) next
    h = toupper($1); sub(/^0X/, "", h)
    if (NF != 5 || length(h) != 8 || hex2num(h) < 0 || !($3 in okcat) ||
        $2 == "" || $4 == "" || $5 == "") {
        printf "%s: bad row %d: %s\n", FILENAME, FNR, $0 > "/dev/stderr"
        bad = 1; next
    }
    v = hex2num(h)
    if (h in hand) { print "duplicate code 0x" h > "/dev/stderr"; bad = 1; next }
    m = $5; gsub(/\\/, "\\\\", m); gsub(/"/, "\\\"", m)
    hand[h] = 1
    printf "%012.0f\t%s\t%s\t%s\t%s\n", v, $2, toupper($3), $4, m
    nhand++
    next
}
kind == "enum" {
    if (match($0, /^[ \t]*[A-Za-z_][A-Za-z0-9_]*[ \t]*=/)) {
        s = substr($0, RSTART, RLENGTH); sub(/=$/, "", s); gsub(/[ \t]/, "", s)
        take(s, substr($0, RSTART + RLENGTH))
    }
    next
}
{
    if (!match($0, /^[ \t]*#[ \t]*define[ \t]+[A-Za-z_][A-Za-z0-9_]*[ \t]+/)) next
    s = substr($0, RSTART, RLENGTH); sub(/^[ \t]*#[ \t]*define[ \t]+/, "", s); gsub(/[ \t]/, "", s)
    take(s, substr($0, RSTART + RLENGTH))
}
END {
    if (bad) exit 1
    for (k in best) {
        sym = best[k]
        c = hex2num(k)
        classify(sym, c)
        lo = c % 65536; fac = int(c / 65536) % 2048
        if (c < 2147483648) {
            gcat = "benign"; gfix = "no-action"
            m = "Success code " sym " (" glabel ", facility " fac ", code 0x" hex(lo, 4) "); informational, not an error."
        } else if (best_w32[k] >= 0)
            m = "Win32 error " sym " (" best_w32[k] ") as an HRESULT."
        else
            m = glabel " error " sym " (facility " fac ", code 0x" hex(lo, 4) ")."
        printf "%012.0f\t%s\t%s\t%s\t%s\n", c, sym, toupper(gcat), gfix, m
        ngen++
    }
    printf "%d hand-written, %d from the SDK headers\n", nhand, ngen > "/dev/stderr"
}' "$@" > "$tmp.b"

LC_ALL=C sort -t "$(printf '\t')" -k1,1 "$tmp.b" > "$tmp.a"

{
cat <<'HDR'
/*
 * kb_codes.c - the error-code table of the knowledge base.
 *
 * GENERATED by tools/gen_kb_codes.sh from tools/kb_codes.tsv (hand-written
 * rows) over the codes the Windows SDK headers name (mingw-w64-common), with
 * tools/kb_codes_map.tsv for the generated rows: edit those and regenerate.
 * Sorted ascending by code for binary search (kb.c).
 */
#include "vocab/kb.h"

const struct kb_code kb_codes[] = {
HDR
awk -F '\t' '
function hexc(v,   s, d) {
    s = ""
    while (length(s) < 8) { d = v % 16; s = substr("0123456789ABCDEF", d + 1, 1) s; v = (v - d) / 16 }
    return s
}
{ printf "    { 0x%sU, \"%s\",\n      \"%s\",\n      KB_CAT_%s, \"%s\" },\n", hexc($1 + 0), $2, $5, $3, $4 }' "$tmp.a"
cat <<'FTR'
};

const size_t kb_codes_len = sizeof kb_codes / sizeof kb_codes[0];
FTR
} > "$tmp"

if [ "$out" = "-" ]; then
    cat "$tmp"
else
    cat "$tmp" > "$out"
    echo "$out: $(grep -c '^    { 0x' "$out") codes" >&2
fi
