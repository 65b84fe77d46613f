#!/usr/bin/env bash
# Installs what dancu's tests and tools need on a fresh machine, from the
# package registries only, and is quick when everything is there already:
#   - libchdb (the embedded ClickHouse engine), into a cache outside the
#     repository (scripts/fetch-libchdb.sh, with npm);
#   - LibreOffice Calc (headless), which converts legacy .xls workbooks for
#     `dancu import` (Debian package libreoffice-calc-nogui).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/fetch-libchdb.sh >/dev/null

if ! command -v soffice >/dev/null 2>&1 && ! command -v libreoffice >/dev/null 2>&1; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		echo "setup: installing LibreOffice Calc for .xls conversion (apt-get) …" >&2
		export DEBIAN_FRONTEND=noninteractive
		if ! { apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends libreoffice-calc-nogui >/dev/null; }; then
			echo "setup: could not install LibreOffice; the .xls test will skip (and fail when CI is set)" >&2
		fi
	else
		echo "setup: LibreOffice is missing; .xls import and its test need it: sudo apt-get install libreoffice-calc-nogui" >&2
	fi
fi

# Chromium, which the web application's browser tests drive with chromedp
# (Debian package chromium).
if ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		echo "setup: installing Chromium for the browser tests (apt-get) …" >&2
		export DEBIAN_FRONTEND=noninteractive
		if ! { apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends chromium >/dev/null; }; then
			echo "setup: could not install Chromium; the browser tests need it" >&2
		fi
	else
		echo "setup: Chromium is missing; the browser tests need it: sudo apt-get install chromium" >&2
	fi
fi
