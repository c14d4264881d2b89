#!/usr/bin/env bash
# `make run`: build, migrate, start the four services (each as its own PostgreSQL role), wait until they
# are ready, prove the pipeline's plumbing with a message round trip, print a summary.
# ONCE=1 stops the services and exits after the summary; otherwise they run until Ctrl-C.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
source .vigil/env
LOGS=.vigil/logs
mkdir -p "$LOGS"
SERVICES=(ingest:8081 deid:8082 infer:8083 notify:8084)

say() { printf '\n\033[1m%s\033[0m\n' "$*"; }

say "Building"
if ! swift build >.vigil/build.log 2>&1; then
    grep -E "error" .vigil/build.log | sort -u | head -20; echo "build failed; full log in .vigil/build.log"; exit 1
fi
tail -n 1 .vigil/build.log
BIN=$(swift build --show-bin-path)

say "Migrating PostgreSQL"
"$BIN/vigil" migrate

stop_services() {
    for entry in "${SERVICES[@]}"; do
        name=${entry%%:*}
        if [ -f "$LOGS/$name.pid" ]; then
            kill -TERM "$(cat "$LOGS/$name.pid")" 2>/dev/null || true
        fi
    done
    for entry in "${SERVICES[@]}"; do
        name=${entry%%:*}
        pid=$(cat "$LOGS/$name.pid" 2>/dev/null || echo)
        for _ in $(seq 1 100); do [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        rm -f "$LOGS/$name.pid"
    done
}
stop_services  # services left over from an earlier run

say "Starting services"
PG_BASE=${VIGIL_PG_URL%/*}  # postgresql://vigil@host:port
# Risk records name the software that computed them.
export VIGIL_CODE_VERSION=$(git describe --always --dirty 2>/dev/null || echo unknown)
# A dev sign-in for the oversight page and the notify API: one token with every role, made once per checkout
# (only its SHA-256 is in the principals file). Plain-HTTP dev: cookies without Secure, loopback webhooks.
if [ ! -s .vigil/notify-dev-token ]; then (umask 077 && head -c 24 /dev/urandom | base64 -w0 | tr '+/' '-_' >.vigil/notify-dev-token); fi
DEV_TOKEN=$(cat .vigil/notify-dev-token)
printf '[{"id":"dev","tokenSHA256":"%s","roles":["clinician","auditor","admin","integration"],"units":["*"]}]\n' \
    "$(printf '%s' "$DEV_TOKEN" | sha256sum | cut -d' ' -f1)" >.vigil/notify-principals.json
export VIGIL_NOTIFY_PRINCIPALS=$ROOT/.vigil/notify-principals.json VIGIL_NOTIFY_COOKIE_SECURE=false
export VIGIL_NOTIFY_WEBHOOK_ALLOW_HTTP_LOOPBACK=true
# Identity reveal on the page: notify holds a `grant` principal at deid's re-identification endpoint, and the
# browser may call deid's /reid/reveal from the page's origin (identity never passes through notify).
if [ ! -s .vigil/notify-reid-token ]; then (umask 077 && head -c 24 /dev/urandom | base64 -w0 | tr '+/' '-_' >.vigil/notify-reid-token); fi
printf '[{"id":"notify","tokenSHA256":"%s","roles":["grant"]}]\n' \
    "$(tr -d '\n' <.vigil/notify-reid-token | sha256sum | cut -d' ' -f1)" >.vigil/deid-reid-principals.json
export VIGIL_DEID_REID_PRINCIPALS=$ROOT/.vigil/deid-reid-principals.json
export VIGIL_DEID_REID_ALLOWED_ORIGINS=http://127.0.0.1:${VIGIL_NOTIFY_API_PORT:-8094}
export VIGIL_NOTIFY_REID_URL=http://127.0.0.1:${VIGIL_DEID_REID_PORT:-8092} VIGIL_NOTIFY_REID_TOKEN_FILE=$ROOT/.vigil/notify-reid-token
# Model cards and reference score distributions where notify reads them (<dir>/<id>/<version>.md and
# .reference.json): the alert page shows a card's limitations, monitoring measures drift against the reference.
MODEL_DIR=Services/Inference/Library/Resources/sepsis-lgbm
MODEL_VERSION=$(python3 -c "import json; print(json.load(open('$MODEL_DIR/metadata.json'))['version'])")
mkdir -p .vigil/model-cards/sepsis-lgbm
cp "$MODEL_DIR/card.md" ".vigil/model-cards/sepsis-lgbm/$MODEL_VERSION.md"
cp "$MODEL_DIR/reference-scores.json" ".vigil/model-cards/sepsis-lgbm/$MODEL_VERSION.reference.json"
export VIGIL_NOTIFY_MODEL_CARDS=$ROOT/.vigil/model-cards
# Monitoring windows every few seconds, so the demo's figures appear while it runs (default: every minute).
export VIGIL_NOTIFY_MONITOR_SECONDS=${VIGIL_NOTIFY_MONITOR_SECONDS:-5}
for entry in "${SERVICES[@]}"; do
    name=${entry%%:*}
    upper=$(echo "$name" | tr a-z A-Z)
    # Each service logs in as its own role: it can touch only its schema (plus append to the audit log).
    env "VIGIL_${upper}_PG_URL=postgresql://$name@${PG_BASE#*@}/vigil" "$BIN/vigil-$name" >"$LOGS/$name.log" 2>&1 &
    echo $! >"$LOGS/$name.pid"
    echo "  vigil-$name pid $! log $LOGS/$name.log"
done
trap 'say "Stopping services"; stop_services; exit 130' INT TERM

say "Waiting for readiness"
for entry in "${SERVICES[@]}"; do
    name=${entry%%:*}; port=${entry##*:}
    for _ in $(seq 1 300); do
        curl -sf "http://127.0.0.1:$port/ready" >/dev/null && break
        kill -0 "$(cat "$LOGS/$name.pid")" 2>/dev/null || { echo "vigil-$name exited; see $LOGS/$name.log"; tail -5 "$LOGS/$name.log"; exit 1; }
        sleep 0.2
    done
done

say "Checking the deployment (vigil doctor)"
doctor_status=0
"$BIN/vigil" doctor || doctor_status=$?

say "Replaying sample data into vigil-ingest (HL7 v2 over MLLP, FHIR R4 over HTTP)"
# The dev broker keeps events in memory only, while the dedupe ledger is in PostgreSQL: start the demo from
# an empty ledger so the replay's events are really published (never do this against a durable broker).
# The same goes for inference state: the replayed events keep their ids, so a kept state would (rightly)
# treat them as already scored.
# Alert events are append-only (a trigger refuses changes); this dev reset sets replication mode, which
# skips triggers, so the demo starts from empty alert history too. Never do this to a real deployment.
psql -q "$VIGIL_PG_URL" -c "SET session_replication_role = replica;
    TRUNCATE ingest.messages, ingest.conflicts, infer.observations, infer.risk_records, infer.patients,
    infer.narratives, notify.risk_decisions, notify.timers, notify.patients, notify.episodes, notify.outbox,
    notify.alert_events, notify.deliveries, notify.delivery_attempts, notify.webhook_events, notify.outcomes,
    notify.monitoring_windows, notify.governance_alerts" >/dev/null 2>&1 || true
replay_status=0
"$BIN/vigil" replay --mllp "127.0.0.1:${VIGIL_MLLP_PORT:-2575}" --fhir "http://127.0.0.1:${VIGIL_FHIR_PORT:-8080}/fhir" \
    Tests/Fixtures/hl7v2/ms/samples Tests/Fixtures/fhir_r4/synthea || replay_status=$?
echo "Replaying again: resends must publish nothing new"
"$BIN/vigil" replay --mllp "127.0.0.1:${VIGIL_MLLP_PORT:-2575}" --fhir "http://127.0.0.1:${VIGIL_FHIR_PORT:-8080}/fhir" \
    Tests/Fixtures/hl7v2/ms/samples Tests/Fixtures/fhir_r4/synthea || replay_status=$?
STAYS=${STAYS:-40}
echo "Replaying $STAYS ICU stays (PhysioNet/CinC 2019, held out from training) as ADT + hourly ORU messages"
# Each stay ends at the current hour, so its scores are fresh enough to alert on.
"$BIN/vigil" replay --mllp "127.0.0.1:${VIGIL_MLLP_PORT:-2575}" --psv samples/icu-stays --stays "$STAYS" --recent \
    || replay_status=$?
echo "vigil-ingest counters (/metrics):"
curl -s "http://127.0.0.1:8081/metrics" | grep -E '^vigil_ingest_(messages|ledger)_total' | sed 's/^/  /' || true
echo "vigil-deid counters after a few seconds (/metrics):"
# Wait until every event read has come out or been quarantined (and at least one was read).
for _ in $(seq 1 30); do
    settled=$(curl -s "http://127.0.0.1:8082/metrics" | awk '
        /^vigil_deid_events_in_total/ {i += $2} /^vigil_deid_events_out_total/ {o += $2}
        /^vigil_deid_events_quarantined_total/ {q += $2} END {print (i > 0 && i == o + q) ? "yes" : "no"}')
    [ "$settled" = yes ] && break
    sleep 0.5
done
curl -s "http://127.0.0.1:8082/metrics" | grep -E '^vigil_deid_(events_(in|out|quarantined)|phi_spans)_total' | sed 's/^/  /' || true
echo "vigil-infer risk records by score and band (/metrics), once it has caught up:"
# Caught up: the events it has read stop growing and match what de-identification sent.
last=-1
for _ in $(seq 1 240); do
    seen=$(curl -s "http://127.0.0.1:8083/metrics" | awk '/^vigil_infer_events_in_total/ {n += $2} END {print n + 0}')
    sent=$(curl -s "http://127.0.0.1:8082/metrics" | awk '/^vigil_deid_events_out_total/ {n += $2} END {print n + 0}')
    [ "$seen" = "$last" ] && [ "$seen" -ge "$sent" ] && break
    last=$seen
    sleep 1
done
curl -s "http://127.0.0.1:8083/metrics" | grep -E '^vigil_infer_(events_in|risk_records)_total' | sed 's/^/  /' || true

echo "vigil-notify decisions and alerts (PostgreSQL), once it has caught up:"
last=-1
for _ in $(seq 1 120); do
    n=$(psql -qtA "$VIGIL_PG_URL" -c "SELECT count(*) FROM notify.risk_decisions" 2>/dev/null || echo 0)
    [ "$n" = "$last" ] && break
    last=$n
    sleep 1
done
psql -q "$VIGIL_PG_URL" -c "SELECT decision, coalesce(suppress_reason, '') AS reason, mode, count(*) FROM notify.risk_decisions
    GROUP BY 1, 2, 3 ORDER BY 4 DESC" 2>/dev/null | sed 's/^/  /' || true
psql -q "$VIGIL_PG_URL" -c "SELECT action, severity, count(*) AS events, count(DISTINCT episode_id) AS alerts
    FROM notify.alert_events GROUP BY 1, 2 ORDER BY 1, 2" 2>/dev/null | sed 's/^/  /' || true

echo "Model-safety monitoring (notify.monitoring_windows, all patients, today):"
sleep $((VIGIL_NOTIFY_MONITOR_SECONDS + 1))
psql -q "$VIGIL_PG_URL" -c "SELECT model_id || '@' || model_version AS model, mode, figures->>'records' AS records,
    figures->>'alerts' AS alerts, round((figures->>'psi')::numeric, 3) AS psi, figures->>'ppv' AS ppv
    FROM notify.monitoring_windows WHERE cohort = 'all' AND window_start = date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
    ORDER BY 1" 2>/dev/null | sed 's/^/  /' || true
psql -qtA "$VIGIL_PG_URL" -c "SELECT count(*) || ' governance alert(s): ' || coalesce(string_agg(DISTINCT metric || ' on ' || model_id, ', '), 'none')
    FROM notify.governance_alerts" 2>/dev/null | sed 's/^/  /' || true
echo "Shadow replay: the sepsis model (shadow) as if it were active, against production (vigil shadow):"
"$BIN/vigil" shadow --window .. --model sepsis-lgbm --out .vigil/shadow | sed -n '/## Figures/,/^An alert counts/p' | grep '^|' \
    | sed 's/^/  /' || true
echo "  full report: .vigil/shadow/report.md (attach report.json to a policy proposal: POST /api/policies)"

say "Summary"
# Every counter below is this run's (the services started with it). An event is lost when a stage read fewer
# than the one before it sent, once all have settled.
metric() { curl -s "http://127.0.0.1:$1/metrics" | awk -v m="$2" '$1 ~ "^"m"({|$)" {n += $2} END {print n + 0}'; }
published=$(metric 8081 vigil_ingest_events_published_total)
deid_in=$(metric 8082 vigil_deid_events_in_total); deid_out=$(metric 8082 vigil_deid_events_out_total)
quarantined=$(metric 8082 vigil_deid_events_quarantined_total)
infer_in=$(metric 8083 vigil_infer_events_in_total)
# Records from the tables, not infer's counter: the demo's reset above empties both tables after the start-up
# round trip was scored (and counted).
scored=$(psql -qtA "$VIGIL_PG_URL" -c "SELECT count(*) FROM infer.risk_records" 2>/dev/null || echo 0)
decided=$(psql -qtA "$VIGIL_PG_URL" -c "SELECT count(*) FROM notify.risk_decisions" 2>/dev/null || echo 0)
undecided=$(psql -qtA "$VIGIL_PG_URL" -c "SELECT count(*) FROM infer.risk_records r
    WHERE NOT EXISTS (SELECT 1 FROM notify.risk_decisions d WHERE d.risk_id = r.record_id)" 2>/dev/null || echo 0)
alerts=$(psql -qtA "$VIGIL_PG_URL" -c "SELECT coalesce(string_agg(severity || ' ' || n, ', '), 'none') FROM
    (SELECT severity, count(*) AS n FROM notify.alert_events WHERE action = 'raised' GROUP BY 1 ORDER BY 1) s" 2>/dev/null)
echo "Events: $published published by ingest → $deid_in read by deid ($deid_out de-identified, $quarantined quarantined)"
echo "        → $infer_in read by infer → $scored risk records → $decided decided by notify → alerts raised: $alerts"
# Only shortfalls count: a stage may read more than this run sent (records left unread by a previous run).
gap() { echo $(( $1 > $2 ? $1 - $2 : 0 )); }
lost=$(( $(gap "$published" "$deid_in") + $(gap "$deid_in" $((deid_out + quarantined))) + $(gap "$deid_out" "$infer_in") \
    + undecided ))
if [ "$lost" -ne 0 ]; then echo "LOSS: $lost event(s) or record(s) missing between stages"; else echo "Lost: 0"; fi
dead=$(for port in 8081 8082 8083 8084; do
    curl -s "http://127.0.0.1:$port/metrics" | grep -E '^vigil_(deadletters|deid_events_quarantined)_total' || true
done)
echo "Dead letters by stage and reason: ${dead:-none}" | sed '2,$s/^/  /' 
psql -qtA "$VIGIL_PG_URL" -F ' ' -c "WITH a AS (
      SELECT split_part(traceparent, '-', 2) AS trace, min(created_at) AS at FROM notify.alert_events
      WHERE traceparent IS NOT NULL GROUP BY 1)
    SELECT 'Ingest → alert latency over ' || count(*) || ' alert(s): p50 ' ||
      round(percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM a.at - m.received_at) * 1000)::numeric) || ' ms, p95 ' ||
      round(percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM a.at - m.received_at) * 1000)::numeric) || ' ms, p99 ' ||
      round(percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM a.at - m.received_at) * 1000)::numeric) || ' ms'
    FROM a JOIN ingest.messages m ON m.trace_id = a.trace" 2>/dev/null || true
printf '%-14s %-6s %-8s %-8s %s\n' service port health ready metrics
for entry in "${SERVICES[@]}"; do
    name=${entry%%:*}; port=${entry##*:}
    health=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health" || echo down)
    ready=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/ready" || echo down)
    metrics=$(curl -s "http://127.0.0.1:$port/metrics" | grep -vc '^#' || true)
    printf '%-14s %-6s %-8s %-8s %s series\n' "vigil-$name" "$port" "$health" "$ready" "$metrics"
done
"$BIN/vigil" audit verify
# The EU AI Act evidence pack of this run's day, checked against its JSON Schema.
day=$(date -u +%Y-%m-%d); next=$(date -u -d tomorrow +%Y-%m-%d)
if "$BIN/vigil" evidence export --from "${day}T00:00:00Z" --to "${next}T00:00:00Z" --out .vigil/evidence >/dev/null &&
    "$VIGIL_VENV/bin/python" -c "import json, jsonschema, sys
jsonschema.validate(json.load(open(sys.argv[1])), json.load(open(sys.argv[2])))" \
        .vigil/evidence/evidence.json docs/schemas/evidence-pack.schema.json; then
    echo "Evidence pack: .vigil/evidence/evidence.md (evidence.json valid against docs/schemas/evidence-pack.schema.json)"
else
    echo "Evidence pack: FAILED (see vigil evidence export --help)"
fi
echo "Alerts are on clinical.alerts.v1. Oversight page: http://127.0.0.1:${VIGIL_NOTIFY_API_PORT:-8094}/oversight"
echo "  (sign in with the dev token in .vigil/notify-dev-token; API: Authorization: Bearer <token>)"

if [ "${ONCE:-0}" = "1" ]; then
    say "Stopping services (ONCE=1)"
    stop_services
    [ "$doctor_status" = 0 ] || exit "$doctor_status"
    [ "$lost" -eq 0 ] || exit 3
    exit "$replay_status"
fi
say "Services are running; Ctrl-C stops them. Logs: $LOGS/"
wait
