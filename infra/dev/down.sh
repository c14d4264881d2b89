#!/usr/bin/env bash
# Stops what infra/dev/up.sh started. Broker data is in memory and goes with it; PostgreSQL data stays
# until `make clean-state`.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
STATE="$ROOT/.vigil"
PG_HOME=${VIGIL_PG_HOME:-/tmp/vigil-pg-$(printf '%s' "$ROOT" | md5sum | cut -c1-10)}
if [ -f "$STATE/broker.pid" ]; then
    kill "$(cat "$STATE/broker.pid")" 2>/dev/null && echo "[down] broker stopped"
    rm -f "$STATE/broker.pid"
fi
if [ -f "$PG_HOME/data/postmaster.pid" ]; then
    bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$bin/pg_ctl" -D "$PG_HOME/data" -m fast stop >/dev/null
    else "$bin/pg_ctl" -D "$PG_HOME/data" -m fast stop >/dev/null; fi
    echo "[down] PostgreSQL stopped"
fi
if [ "${1:-}" = "--purge" ]; then rm -rf "$PG_HOME"; echo "[down] PostgreSQL data removed"; fi
