-- Alert state of vigil-notify: one decision per risk record, episodes (one live per patient and condition),
-- every published alert event (append-only), the outbox that publishes them, and durable timers, so
-- escalations survive restarts.
SET LOCAL ROLE notify;

CREATE TABLE notify.policies (
    hash        text        PRIMARY KEY,
    name        text        NOT NULL,
    version     text        NOT NULL,
    loaded_at   timestamptz NOT NULL DEFAULT now()
);

-- The stop switch as notify sees it: a stopped model's records never alert, whatever they say.
CREATE TABLE notify.model_gates (
    model_id    text        PRIMARY KEY,
    status      text        NOT NULL CHECK (status IN ('active', 'stopped')),
    reason      text        NOT NULL,
    changed_by  text        NOT NULL,
    changed_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE notify.patients (
    patient        text        PRIMARY KEY,
    unit           text,
    admitted_at    timestamptz,
    discharged_at  timestamptz,
    -- The newest (de-identified, shifted) event time seen: the reference for stale records.
    latest_event_time  timestamptz,
    updated_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE notify.episodes (
    id           text        PRIMARY KEY,
    patient      text        NOT NULL,
    condition    text        NOT NULL,
    status       text        NOT NULL CHECK (status IN ('open', 'acknowledged', 'snoozed', 'overridden', 'resolved', 'retracted')),
    severity     text        NOT NULL,
    model_id     text        NOT NULL,
    opened_at    timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    state        jsonb       NOT NULL
);
CREATE UNIQUE INDEX episodes_one_live ON notify.episodes (patient, condition)
    WHERE status IN ('open', 'acknowledged', 'snoozed');
CREATE INDEX episodes_patient ON notify.episodes (patient, condition, opened_at DESC);
CREATE INDEX episodes_live ON notify.episodes (status, severity) WHERE status IN ('open', 'acknowledged', 'snoozed');

CREATE TABLE notify.risk_decisions (
    risk_id          text        PRIMARY KEY,
    patient          text        NOT NULL,
    model_id         text        NOT NULL,
    model_version    text        NOT NULL,
    score_name       text        NOT NULL,
    value            double precision NOT NULL,
    mode             text        NOT NULL CHECK (mode IN ('live', 'shadow')),
    decision         text        NOT NULL CHECK (decision IN ('raise', 'refire', 'rise', 'fall', 'clear', 'suppress', 'ignore')),
    suppress_reason  text,
    condition        text,
    rule             text,
    severity         text,
    episode_id       text,
    policy_hash      text        NOT NULL,
    decided_at       timestamptz NOT NULL
);
CREATE INDEX risk_decisions_decided ON notify.risk_decisions (decided_at);
CREATE INDEX risk_decisions_episode ON notify.risk_decisions (episode_id);

CREATE TABLE notify.alert_events (
    id           text        PRIMARY KEY,
    episode_id   text        NOT NULL,
    revision     int         NOT NULL,
    action       text        NOT NULL,
    severity     text        NOT NULL,
    page         boolean     NOT NULL,
    actor        text,
    reason_code  text,
    payload      text        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (episode_id, revision)
);
-- What was published is evidence: it is never changed.
CREATE FUNCTION notify.reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'notify.alert_events is append-only';
END $$;
CREATE TRIGGER alert_events_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON notify.alert_events
    FOR EACH STATEMENT EXECUTE FUNCTION notify.reject_change();

CREATE TABLE notify.outbox (
    seq           bigserial   PRIMARY KEY,
    event_id      text        NOT NULL UNIQUE REFERENCES notify.alert_events (id),
    published_at  timestamptz
);
CREATE INDEX outbox_pending ON notify.outbox (seq) WHERE published_at IS NULL;

CREATE TABLE notify.timers (
    alert_id  text        NOT NULL,
    kind      text        NOT NULL,
    due_at    timestamptz NOT NULL,
    step      int         NOT NULL DEFAULT 0,
    PRIMARY KEY (alert_id, kind)
);
CREATE INDEX timers_due ON notify.timers (due_at);
