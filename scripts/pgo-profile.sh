#!/bin/sh
# pgo-profile.sh [WORK]: writes cmd/dancu/default.pgo, the CPU profile
# that `go build ./cmd/dancu` (and `go test ./cmd/dancu`) use for
# profile-guided optimisation (Go's -pgo=auto: a default.pgo in a main
# package's directory is applied to it and every package it imports).
# It builds dancu and the cmd/dancu test binary without a profile
# (-pgo=off), generates `dancu gen --persons 110000 --seed 11 --formats
# csv` (199,469 records) in WORK (default /tmp/dancu-pgo), profiles the
# link's read phase (BenchmarkLinkRead) and a whole `dancu link` of the
# two lists, and merges the two profiles. Run it again when the hot code
# moves much (a profile of older code still applies: the compiler skips
# what no longer matches). OUT names another file to write instead.
# The tree keeps no default.pgo (read26: the read took 2-3% fewer
# instructions with one, the whole link 1.9% more; docs/read-speed.md):
# this script is how to make one and measure it again.
#
#   scripts/pgo-profile.sh /tmp/dancu-pgo
set -eu
cd "$(dirname "$0")/.."
work=${1:-/tmp/dancu-pgo}
out=${OUT:-cmd/dancu/default.pgo}
mkdir -p "$work"
export GOFLAGS=-buildvcs=false
go build -pgo=off -o "$work/dancu" ./cmd/dancu
go test -pgo=off -c -o "$work/dancu.test" ./cmd/dancu
if [ ! -f "$work/g200k/danhsach_20251001.csv" ]; then
	"$work/dancu" gen --persons 110000 --seed 11 --formats csv --out "$work/g200k" >/dev/null
fi
GOGC=400 GOMEMLIMIT=3GiB DANCU_LINK_READ="$work/g200k" "$work/dancu.test" -test.run '^$' \
	-test.bench LinkRead -test.benchtime 1x -test.cpuprofile "$work/read.prof" >/dev/null
"$work/dancu" link --cpuprofile "$work/link.prof" \
	--in "$work/g200k/danhsach_20240501.csv" --in "$work/g200k/danhsach_20251001.csv" \
	--out "$work/clusters.csv" 2>/dev/null
go tool pprof -proto "$work/read.prof" "$work/link.prof" >"$out"
echo "wrote $out ($(wc -c <"$out") bytes)"
