-- Webhook delivery (docs/design/notification.md §4 "0002_delivery.sql", applied first here because the alert
-- tables come later). Events are kept in webhook_events so the dispatcher can send without the alert tables;
-- response bodies are never stored, because they could hold anything.
SET LOCAL ROLE notify;

CREATE TABLE notify.subscriptions (
    id                      uuid        PRIMARY KEY,
    name                    text        NOT NULL,
    url                     text        NOT NULL,
    -- AES-GCM under VIGIL_NOTIFY_WEBHOOK_KEY_FILE; a signing secret cannot be stored hashed.
    secret_sealed           bytea       NOT NULL,
    previous_secret_sealed  bytea,
    previous_valid_until    timestamptz,
    -- {"severities": [...], "rules": [...], "actions": [...]}; a missing or empty list matches all.
    filter                  jsonb       NOT NULL DEFAULT '{}',
    owner                   text        NOT NULL,
    status                  text        NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    consecutive_failures    integer     NOT NULL DEFAULT 0,
    breaker_open_until      timestamptz,
    -- Openings since the last success: the open period doubles with each.
    breaker_opens           integer     NOT NULL DEFAULT 0,
    created_by              text        NOT NULL,
    created_at              timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE notify.webhook_events (
    event_id    text        PRIMARY KEY,
    body        text        NOT NULL,
    severity    text        NOT NULL,
    rule        text        NOT NULL,
    action      text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE notify.deliveries (
    id                bigserial   PRIMARY KEY,
    subscription_id   uuid        NOT NULL REFERENCES notify.subscriptions (id),
    event_id          text        NOT NULL REFERENCES notify.webhook_events (event_id),
    status            text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead')),
    attempts          integer     NOT NULL DEFAULT 0,
    due_at            timestamptz NOT NULL DEFAULT now(),
    lease_until       timestamptz,
    last_http_status  integer,
    last_error_class  text,
    delivered_at      timestamptz,
    created_at        timestamptz NOT NULL DEFAULT now(),
    UNIQUE (subscription_id, event_id)
);
CREATE INDEX deliveries_status_due ON notify.deliveries (status, due_at);
-- The dispatcher claims per subscription.
CREATE INDEX deliveries_pending ON notify.deliveries (subscription_id, due_at) WHERE status = 'pending';

CREATE TABLE notify.delivery_attempts (
    delivery_id  bigint      NOT NULL REFERENCES notify.deliveries (id),
    attempt      integer     NOT NULL CHECK (attempt > 0),
    started_at   timestamptz NOT NULL,
    duration_ms  integer     NOT NULL,
    http_status  integer,
    error_class  text,
    PRIMARY KEY (delivery_id, attempt)
);
