-- Post-market monitoring (EU AI Act Art. 72): each model's safety figures per window and cohort, the
-- governance alerts their thresholds raise, and the de-identified demographics cohorts are cut by.
SET LOCAL ROLE notify;

ALTER TABLE notify.patients ADD COLUMN age_band text;
ALTER TABLE notify.patients ADD COLUMN sex text;

CREATE TABLE notify.monitoring_windows (
    model_id      text        NOT NULL,
    model_version text        NOT NULL,
    window_start  timestamptz NOT NULL,
    window_end    timestamptz NOT NULL,
    -- `all`, `age:65-79`, `sex:female`, `unit:unknown`, ...
    cohort        text        NOT NULL,
    mode          text        NOT NULL,
    figures       jsonb       NOT NULL,
    computed_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (model_id, model_version, window_start, cohort)
);

CREATE TABLE notify.governance_alerts (
    id            text        PRIMARY KEY,
    model_id      text        NOT NULL,
    model_version text        NOT NULL,
    window_start  timestamptz NOT NULL,
    cohort        text        NOT NULL,
    metric        text        NOT NULL,
    value         double precision NOT NULL,
    threshold     double precision NOT NULL,
    severity      text        NOT NULL,
    payload       text        NOT NULL,
    raised_at     timestamptz NOT NULL DEFAULT now(),
    published_at  timestamptz
);
CREATE INDEX governance_alerts_unpublished ON notify.governance_alerts (raised_at) WHERE published_at IS NULL;
