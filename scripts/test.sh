#!/usr/bin/env bash
# The project's test command (the README's second command; CI runs it).
# It installs what the tests need (libchdb, into a cache outside the
# repository), checks formatting and vet, and runs every test — the
# integration tests start their own Kafka-protocol broker and ClickHouse
# engine in-process and are never skipped.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh

unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then
	echo "gofmt would change:" $unformatted >&2
	exit 1
fi
go vet ./...
# -p 2: two packages at a time on this 2-core machine; each integration
# package loads its own ClickHouse engine. -timeout 20m is a guard against a
# hang, not a budget: on a slower 2-core machine (8 December: AMD EPYC
# 2.45 GHz) web's tests took 9.6 min beside another package's (user34).
go test -p 2 -timeout 20m -count=1 ./... "$@"
