#!/usr/bin/env bash
# A self-signed certificate for the local gateway (localhost, 127.0.0.1), made once.
# Usage: scripts/dev-cert.sh [DIR]   (default .run/tls; writes cert.pem and key.pem)
set -euo pipefail
dir=${1:-.run/tls}
[ -s "$dir/cert.pem" ] && [ -s "$dir/key.pem" ] && exit 0
command -v openssl >/dev/null || { echo "tls: openssl is missing; run: apt-get install openssl" >&2; exit 1; }
mkdir -p "$dir"
openssl req -x509 -newkey rsa:2048 -nodes -days 825 -subj "/CN=localhost" \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
    -keyout "$dir/key.pem" -out "$dir/cert.pem" 2>/dev/null
chmod 600 "$dir/key.pem"
echo "tls: generated a local certificate in $dir" >&2
