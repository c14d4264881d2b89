-- Patient state for the early-warning scores: every observation the scores read, by event id (a replay
-- inserts nothing), in event time, with corrections and retractions kept beside what they revise. And every
-- risk record once per (patient, score, model version, event time), with the inputs it was computed from.
SET LOCAL ROLE infer;

CREATE TABLE infer.observations (
    event_id        text             PRIMARY KEY,
    pseudonym       text             NOT NULL,
    code            text             NOT NULL,
    effective_time  timestamptz      NOT NULL,
    value           double precision,
    text_value      text,
    revises         text,
    retracted       boolean          NOT NULL DEFAULT false,
    received_at     timestamptz      NOT NULL DEFAULT now()
);
CREATE INDEX observations_patient_time ON infer.observations (pseudonym, effective_time);
CREATE INDEX observations_revises ON infer.observations (revises) WHERE revises IS NOT NULL;

CREATE TABLE infer.risk_records (
    pseudonym      text             NOT NULL,
    score          text             NOT NULL,
    model_version  text             NOT NULL,
    event_time     timestamptz      NOT NULL,
    record_id      text             NOT NULL,
    value          double precision NOT NULL,
    input_hash     text             NOT NULL,
    record         text             NOT NULL,
    created_at     timestamptz      NOT NULL DEFAULT now(),
    PRIMARY KEY (pseudonym, score, model_version, event_time)
);
