-- Confirmed outcomes (a coded diagnosis with its onset), arriving after the fact on clinical.events.v1.
-- Governance compares alerts with them: PPV, sensitivity and lead time in shadow replays and monitoring.
-- Times are clinical (de-identified, shifted per patient like every event time of that patient).
SET LOCAL ROLE notify;

CREATE TABLE notify.outcomes (
    event_id    text        PRIMARY KEY,
    patient     text        NOT NULL,
    condition   text        NOT NULL,
    onset       timestamptz NOT NULL,
    retracted   boolean     NOT NULL DEFAULT false,
    received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX outcomes_patient ON notify.outcomes (patient, condition);
