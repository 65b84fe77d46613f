#!/bin/sh
# fetch-libchdb.sh — put libchdb.so (the embedded ClickHouse engine, 559 MB)
# into dancu's cache outside the repository, as internal/chdb.Fetch does.
#
#   cache: $DANCU_CACHE, else $XDG_CACHE_HOME/dancu, else ~/.cache/dancu
#   file:  <cache>/libchdb/<version>/libchdb.so
#
# Idempotent: when the file is already there it only prints its path.
# Needs npm (Node.js). Prints the library's path on stdout.
set -eu

VERSION=26.5.3 # keep in step with chdb.LibVersion in internal/chdb/lib.go
PKG=@chdb/lib-linux-x64-gnu

if [ -n "${DANCU_CACHE:-}" ]; then
	cache=$DANCU_CACHE
elif [ -n "${XDG_CACHE_HOME:-}" ]; then
	cache=$XDG_CACHE_HOME/dancu
else
	cache=$HOME/.cache/dancu
fi
dir=$cache/libchdb/$VERSION
lib=$dir/libchdb.so

if [ -s "$lib" ]; then
	echo "$lib"
	exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
	echo "fetch-libchdb: npm is needed to download $PKG@$VERSION (install Node.js), or put libchdb.so at $lib" >&2
	exit 1
fi

mkdir -p "$dir"
tmp=$(mktemp -d "$dir/.fetch-XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
echo "fetch-libchdb: downloading $PKG@$VERSION (~170 MB) into $dir" >&2
# A throw-away npm cache inside $tmp: npm would otherwise keep a second
# ~165 MB copy of the tarball in ~/.npm.
tgz=$(cd "$tmp" && npm pack --silent --cache "$tmp/npm-cache" "$PKG@$VERSION" | tail -n 1)
tar -xzf "$tmp/$tgz" -C "$tmp" package/libchdb.so
mv "$tmp/package/libchdb.so" "$tmp/libchdb.so.part"
sync "$tmp/libchdb.so.part" 2>/dev/null || true
mv "$tmp/libchdb.so.part" "$lib" # same directory: atomic
echo "$lib"
