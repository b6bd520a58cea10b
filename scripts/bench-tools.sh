#!/usr/bin/env bash
# wrk (the load generator) and nginx (the baseline proxy) from Debian's packages, for
# `make bench`. nginx is installed without starting its system service: the benchmark runs
# its own instance on a loopback port.
set -euo pipefail
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v nginx >/dev/null || missing+=(nginx)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
    echo "bench: install ${missing[*]} (apt-get install ${missing[*]}), then run again" >&2
    exit 1
fi
echo "bench: installing ${missing[*]}" >&2
# Keep the package scripts from starting a system nginx on port 80.
policy=/usr/sbin/policy-rc.d
created=0
if [ ! -e $policy ]; then printf '#!/bin/sh\nexit 101\n' >$policy; chmod +x $policy; created=1; fi
trap '[ $created = 1 ] && rm -f $policy' EXIT
apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
