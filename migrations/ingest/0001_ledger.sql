-- Dedupe ledger: one row per (source system, message control id) that reached the broker. A resend with
-- the same content is a duplicate (not published again); the same control id with different content is a
-- conflict: kept, published under a content-derived id, and recorded here for the interface team.
-- No PHI: control ids and system names identify messages, not patients.
SET LOCAL ROLE ingest;

CREATE TABLE ingest.messages (
    source_system  text        NOT NULL,
    control_id     text        NOT NULL,
    content_sha256 bytea       NOT NULL CHECK (length(content_sha256) = 32),
    event_count    integer     NOT NULL,
    first_seen_at  timestamptz NOT NULL DEFAULT now(),
    last_seen_at   timestamptz NOT NULL DEFAULT now(),
    times_seen     integer     NOT NULL DEFAULT 1,
    PRIMARY KEY (source_system, control_id)
);
CREATE INDEX messages_last_seen ON ingest.messages (last_seen_at);

CREATE TABLE ingest.conflicts (
    id               bigserial   PRIMARY KEY,
    source_system    text        NOT NULL,
    control_id       text        NOT NULL,
    first_sha256     bytea       NOT NULL,
    conflict_sha256  bytea       NOT NULL,
    received_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (source_system, control_id, conflict_sha256)
);
