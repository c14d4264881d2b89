-- Oversight page sessions: only the SHA-256 of the cookie is stored, so a copy of this table logs nobody in.
-- Idle expiry is checked against last_seen_at, absolute expiry against expires_at.
SET LOCAL ROLE notify;

CREATE TABLE notify.sessions (
    id_sha256     bytea       PRIMARY KEY,
    principal     text        NOT NULL,
    csrf_token    bytea       NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_seen_at  timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL
);
CREATE INDEX sessions_expires ON notify.sessions (expires_at);
