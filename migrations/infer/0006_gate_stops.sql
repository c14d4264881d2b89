-- What each model version was before the oversight stop switch stopped it, so a restart restores exactly that
-- (shadow stays shadow), and a status a person set here is never overwritten by a restart.
SET LOCAL ROLE infer;

CREATE TABLE infer.model_gate_stops (
    model_id         text        NOT NULL,
    version          text        NOT NULL,
    previous_status  text        NOT NULL,
    stopped_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (model_id, version)
);

-- The newest change applied per model: a redelivered older change (a replayed partition) is ignored.
CREATE TABLE infer.model_gates_applied (
    model_id    text        PRIMARY KEY,
    changed_at  timestamptz NOT NULL
);
