#!/bin/sh
# link-scale.sh DANCU [WORK]: issue 9's scale target — 10M records linked
# offline in at most 15 min and 8 GB peak on 2 cores, growing linearly.
# For each size (millions of records, SIZES, default "1 5 10") it
# generates `dancu gen --persons 552000×N --seed 11 --formats csv` in
# WORK (default /tmp/dancu-scale), links the two lists with
# `dancu link --memory-limit $LIMIT` (default 1.5 GiB per million records
# plus 1.5 GiB, at most 7 GiB — the 8 GB target less room for what is not
# heap: 3 GiB at 1M, link's own default; GOGC is
# 400, so the heap grows toward the limit and peak RSS says more about
# the limit than about the live heap, printed after the last GC) under
# /usr/bin/time, scores the clusters with `dancu eval` and deletes
# the set (KEEP=1 keeps it, and REUSE=1 links a kept set of the same size
# again instead of generating it; PER sets the persons per unit). It prints, per size, the link's wall time,
# CPU time, peak RSS, pairwise F1, the phases (wall and CPU) and the
# address cache's share of lookups answered, then the time and
# candidate-pair ratios of each size to the one before (SIZES "1 2": 2M ÷ 1M) beside the record
# ratios (linear: equal).
#
#   go build -o /tmp/dancu ./cmd/dancu
#   scripts/link-scale.sh /tmp/dancu /tmp/scale 2>&1 | tee scale.txt
#
# Disk: about 0.63 GB per million records while a set exists.
set -eu
dancu=$1
work=${2:-/tmp/dancu-scale}
sizes=${SIZES:-"1 5 10"}
mkdir -p "$work"
: >"$work/results"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores"
for n in $sizes; do
	dir=$work/g${n}m
	persons=$((${PER:-552000} * n))
	if [ "${REUSE:-}" = 1 ] && [ -s "$dir/truth.csv" ] && [ "$(cat "$dir/.persons" 2>/dev/null)" = "$persons" ]; then
		echo "${n}M: reusing the set in $dir"
	else
		rm -rf "$dir"
		"$dancu" gen --persons "$persons" --seed 11 --formats csv --out "$dir" >"$work/gen-$n.log" 2>&1
		echo "$persons" >"$dir/.persons"
	fi
	a=$dir/danhsach_20240501.csv
	b=$dir/danhsach_20251001.csv
	limit=${LIMIT:-$(((1536 * n + 1536) > 7168 ? 7168 : 1536 * n + 1536))MiB}
	GODEBUG=gctrace=1 /usr/bin/time -f "%e %U %S %M" -o "$work/time-$n" \
		"$dancu" link --memory-limit "$limit" --in "$a" --in "$b" --out "$dir/clusters.csv" 2>"$work/link-$n.log"
	f1=$("$dancu" eval --truth "$dir/truth.csv" --pred "$dir/clusters.csv" 2>&1 | awk '/^pairwise precision/ { print $NF }')
	records=$(awk '/^read [0-9]+ records/ { print $2 }' "$work/link-$n.log")
	pairs=$(awk '/^compared [0-9]+ candidate pairs/ { print $2 }' "$work/link-$n.log")
	read -r wall user sys rss <"$work/time-$n"
	echo "$n $records $wall $user $sys $rss $f1 ${pairs:-0}" >>"$work/results"
	live=$(awk '/^gc [0-9]+ / { split($11, h, "->"); if (h[3] + 0 > m) m = h[3] + 0 } END { print m }' "$work/link-$n.log")
	printf '%dM: %s records, wall %s s, cpu %.1f s, peak RSS %.2f GB under --memory-limit %s, largest heap after a GC %s MB, pairwise F1 %s (load %s)\n' \
		"$n" "$records" "$wall" "$(echo "$user + $sys" | bc)" "$(echo "$rss / 1048576" | bc -l)" "$limit" "$live" "$f1" "$(cut -d' ' -f1 /proc/loadavg)"
	grep -E '^(address cache|compared|phases|wrote)' "$work/link-$n.log" | sed 's/^/    /'
	[ "${KEEP:-}" = 1 ] || rm -rf "$dir"
done
awk '
	{ n[NR] = $1; rec[NR] = $2; wall[NR] = $3; cpu[NR] = $4 + $5; pairs[NR] = $8 }
	END {
		for (i = 2; i <= NR; i++)
			printf "%sM ÷ %sM: wall %.2f, cpu %.2f, candidate pairs %.2f (records %.2f)\n", n[i], n[i - 1], wall[i] / wall[i - 1], cpu[i] / cpu[i - 1], pairs[i] / (pairs[i - 1] + (pairs[i - 1] == 0)), rec[i] / rec[i - 1]
	}' "$work/results"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
