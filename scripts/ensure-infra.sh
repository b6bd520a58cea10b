#!/usr/bin/env bash
# Make sure the local backing services (PostgreSQL, RabbitMQ, Redis) are running
# and prepared. Idempotent: a second run only performs the checks.
set -euo pipefail

PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-postgres}
STACKNEX_DATABASES=${STACKNEX_DATABASES:-"stacknex stacknex_test"}
STACKNEX_VHOSTS=${STACKNEX_VHOSTS:-"stacknex stacknex_test"}
REDIS_PORT=${REDIS_PORT:-6379}
INFRA_TIMEOUT=${INFRA_TIMEOUT:-60}

log() { printf 'infra: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
have() { command -v "$1" >/dev/null 2>&1; }

# Run a command silently, showing its output only if it fails.
quiet() {
    local out
    if ! out=$("$@" 2>&1); then
        printf '%s\n' "$out" >&2
        return 1
    fi
}

# wait_for <what> <command...>: poll until the command succeeds or INFRA_TIMEOUT passes.
wait_for() {
    local what=$1 deadline=$((SECONDS + INFRA_TIMEOUT))
    shift
    until "$@"; do
        ((SECONDS < deadline)) || die "$what not ready after ${INFRA_TIMEOUT}s"
        sleep 0.5
    done
}

pg_ready() { pg_isready -h "$PGHOST" -p "$PGPORT" -q; }
amqp_open() { timeout 2 bash -c 'exec 3<>/dev/tcp/127.0.0.1/5672' 2>/dev/null; }
redis_ping() { [[ $(redis-cli -p "$REDIS_PORT" ping 2>/dev/null) == PONG ]]; }

# --- PostgreSQL ---------------------------------------------------------------
have pg_isready || die "PostgreSQL client tools not found; run: apt-get install postgresql"
if pg_ready; then
    log "postgres: up on $PGHOST:$PGPORT"
else
    have pg_ctlcluster || die "PostgreSQL not running and pg_ctlcluster not found; run: apt-get install postgresql"
    log "postgres: not responding on $PGHOST:$PGPORT, starting clusters"
    while read -r version cluster _port status _rest; do
        if [[ $status == down ]]; then
            pg_ctlcluster --skip-systemctl-redirect "$version" "$cluster" start
        fi
    done < <(pg_lsclusters -h)
    wait_for "postgres on $PGHOST:$PGPORT" pg_ready
fi

created=()
for db in $STACKNEX_DATABASES; do
    exists=$(psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname='${db//\'/\'\'}'")
    if [[ $exists != 1 ]]; then
        createdb -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" "$db"
        created+=("$db")
    fi
done
log "postgres: databases ok ($STACKNEX_DATABASES${created[*]:+; created: ${created[*]}})"

# --- RabbitMQ -----------------------------------------------------------------
if amqp_open; then
    log "rabbitmq: up on 127.0.0.1:5672"
else
    have rabbitmq-server || die "RabbitMQ not reachable on 127.0.0.1:5672; run: apt-get install rabbitmq-server"
    log "rabbitmq: not reachable, starting rabbitmq-server"
    quiet rabbitmq-server -detached
    # await_startup fails outright if the node has not registered yet; fall back to polling.
    rabbitmqctl -q await_startup --timeout "$INFRA_TIMEOUT" >/dev/null 2>&1 \
        || wait_for "rabbitmq on 127.0.0.1:5672" amqp_open
fi

if have rabbitmqctl; then
    vhosts=$(rabbitmqctl -q list_vhosts --no-table-headers)
    created=()
    for vhost in $STACKNEX_VHOSTS; do
        if ! grep -qxF -- "$vhost" <<<"$vhosts"; then
            quiet rabbitmqctl -q add_vhost "$vhost"
            created+=("$vhost")
        fi
        quiet rabbitmqctl -q set_permissions -p "$vhost" guest ".*" ".*" ".*"
    done
    log "rabbitmq: vhosts ok ($STACKNEX_VHOSTS${created[*]:+; created: ${created[*]}})"
else
    log "rabbitmq: rabbitmqctl not found (remote broker?), skipping vhost setup"
fi

# --- Redis --------------------------------------------------------------------
have redis-cli || die "redis-cli not found; run: apt-get install redis-server"
if redis_ping; then
    log "redis: up on port $REDIS_PORT"
else
    have redis-server || die "Redis not responding on port $REDIS_PORT; run: apt-get install redis-server"
    log "redis: not responding on port $REDIS_PORT, starting redis-server"
    redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no >/dev/null
    wait_for "redis on port $REDIS_PORT" redis_ping
fi

log "ready (postgres, rabbitmq, redis)"
