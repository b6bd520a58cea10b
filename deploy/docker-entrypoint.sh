#!/bin/sh
# Container entrypoint of the StackNex image: one image runs every process.
#
#   gateway|catalog|orders|inventory|webhooks|dashboard
#                                               serve that service (python -m services.<name>)
#   migrate [ARGS...]                           apply migrations and declare the broker topology
#   stacknex ARGS...                            any operator CLI command
#
# Each branch `exec`s, so the Python process is PID 1 and receives SIGTERM directly
# (graceful shutdown: stop listening, drain in-flight requests and messages).
set -eu

usage() {
    cat >&2 <<'USAGE'
usage: docker-entrypoint.sh gateway|catalog|orders|inventory|webhooks|dashboard
       docker-entrypoint.sh migrate [SERVICE ...] [--json]
       docker-entrypoint.sh stacknex COMMAND [ARGS ...]
USAGE
}

if [ "$#" -eq 0 ]; then
    echo "docker-entrypoint.sh: no command given" >&2
    usage
    exit 64
fi

command=$1
shift
case "$command" in
    gateway | catalog | orders | inventory | webhooks | dashboard)
        if [ "$#" -ne 0 ]; then
            echo "docker-entrypoint.sh: '$command' takes no arguments (configure it with STACKNEX_* variables)" >&2
            usage
            exit 64
        fi
        exec python -m "services.$command"
        ;;
    migrate)
        exec stacknex migrate "$@"
        ;;
    stacknex)
        exec stacknex "$@"
        ;;
    -h | --help | help)
        usage
        exit 0
        ;;
    *)
        echo "docker-entrypoint.sh: unknown command '$command'" >&2
        usage
        exit 64
        ;;
esac
