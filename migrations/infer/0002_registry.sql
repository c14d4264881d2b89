-- Model registry: every model version the service may run, with its digest, card and status. Only `active`
-- models produce alert-eligible output; `shadow` models are scored and recorded but never alert; `stopped`
-- and `retired` produce nothing. Status changes are written to the audit log with who and why.
SET LOCAL ROLE infer;

CREATE TABLE infer.models (
    id          text        NOT NULL,
    version     text        NOT NULL,
    sha256      text        NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    kind        text        NOT NULL,
    card        text        NOT NULL DEFAULT '',
    status      text        NOT NULL CHECK (status IN ('shadow', 'active', 'retired', 'stopped')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    changed_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (id, version)
);
