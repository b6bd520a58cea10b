#!/usr/bin/env bash
# Debian's Chromium for the browser tests (tests/browser/), from the distribution's packages
# when /usr/bin/chromium is missing. Playwright drives it as it is: nothing downloads a browser
# build of its own (Playwright's download host is not reachable from the project's machines).
# Idempotent and silent when Chromium is there; one line while it installs.
set -euo pipefail

CHROMIUM=/usr/bin/chromium
# fonts-liberation: Chromium's metric-compatible Arial/Times/Courier, so a page's screenshot
# lays out alike on every machine (it is only a Recommends of the chromium package).
PACKAGES=(chromium fonts-liberation)

log() { printf 'browser: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

[[ -x $CHROMIUM ]] && exit 0

command -v apt-get >/dev/null 2>&1 || die "$CHROMIUM not found and no apt-get here; install Chromium there"
[[ $(id -u) == 0 ]] || die "$CHROMIUM not found; run: sudo apt-get install ${PACKAGES[*]}"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
install_packages() {
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        "${PACKAGES[@]}" >"$work/apt.log" 2>&1
}

log "installing Debian's ${PACKAGES[*]}"
started=$SECONDS
# The package lists on hand first; refreshed only when they are missing or stale.
if ! install_packages; then
    apt-get update -qq >"$work/apt.log" 2>&1 && install_packages || {
        cat "$work/apt.log" >&2; die "could not install ${PACKAGES[*]}"; }
fi
[[ -x $CHROMIUM ]] || die "installed ${PACKAGES[*]} but $CHROMIUM is still missing"
log "$("$CHROMIUM" --version 2>/dev/null || echo chromium) ready in $((SECONDS - started))s"
