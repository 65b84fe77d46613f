#!/bin/sh
# link-vs-gzip.sh DANCU DIR: links the two lists `dancu gen --formats csv`
# writes in DIR (danhsach_20240501.csv, danhsach_20251001.csv) offline with
# `dancu link`, and compresses the same files with `gzip -1` before and
# after it in the same run; prints the wall and CPU time of each and the
# ratio link / gzip (issue 13: at most 8 for a million records).
#
#   go build -o /tmp/dancu ./cmd/dancu
#   /tmp/dancu gen --persons 560000 --seed 11 --formats csv --out /tmp/g1m
#   scripts/link-vs-gzip.sh /tmp/dancu /tmp/g1m
set -eu
dancu=$1
dir=$2
a=$dir/danhsach_20240501.csv
b=$dir/danhsach_20251001.csv
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# timed LABEL CMD...: runs CMD, appends "LABEL wall user sys minor-faults
# max-RSS-KiB" to $tmp/times
timed() {
	label=$1
	shift
	/usr/bin/time -f "$label %e %U %S %R %M" -a -o "$tmp/times" "$@"
}
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
timed gzip1 sh -c "gzip -1 -c '$a' >/dev/null; gzip -1 -c '$b' >/dev/null"
timed link "$dancu" link --in "$a" --in "$b" --out "$tmp/clusters.csv" 2>"$tmp/link.err"
timed gzip2 sh -c "gzip -1 -c '$a' >/dev/null; gzip -1 -c '$b' >/dev/null"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
grep -E '^(read|compared|phases|wrote)' "$tmp/link.err" || true
awk '
	{ wall[$1] = $2; cpu[$1] = $3 + $4; printf "%-6s wall %8.2f s  cpu %8.2f s  faults %9d  max rss %6.0f MiB\n", $1, $2, $3 + $4, $5, $6 / 1024 }
	END {
		g = (wall["gzip1"] + wall["gzip2"]) / 2
		gc = (cpu["gzip1"] + cpu["gzip2"]) / 2
		printf "link / gzip -1: %.1fx wall (gzip mean %.2f s), %.1fx cpu (gzip mean %.2f s)\n", wall["link"] / g, g, cpu["link"] / gc, gc
	}' "$tmp/times"
