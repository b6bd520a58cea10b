#!/usr/bin/env bash
# Puts `prometheus` and `promtool` from Debian's `prometheus` package into DIR (extracted from
# the .deb, not installed: no daemon, no service). Idempotent; exit 1 when it cannot.
#   scripts/prometheus-tools.sh DIR
set -euo pipefail
dir=$1
[[ -x $dir/prometheus && -x $dir/promtool ]] && exit 0
command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null || {
    echo "prometheus-tools: needs apt-get and dpkg-deb (Debian)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fetch() { (cd "$work" && apt-get download prometheus >"$work/apt.log" 2>&1); }
if ! fetch; then
    [[ $(id -u) == 0 ]] && apt-get update -qq >"$work/apt.log" 2>&1 && fetch || {
        cat "$work/apt.log" >&2; exit 1; }
fi
dpkg-deb -x "$work"/prometheus_*.deb "$work/x"
mkdir -p "$dir"
install -m 0755 "$work/x/usr/bin/prometheus" "$dir/prometheus"
install -m 0755 "$work/x/usr/bin/promtool" "$dir/promtool"
