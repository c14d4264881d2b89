-- Narratives from the optional foundation-model adapter (or its deterministic fallback): at most one per risk
-- record, kept with the records for the same time (AI Act Art 19), marked as AI-generated or not.
SET LOCAL ROLE infer;

CREATE TABLE infer.narratives (
    risk_record_id  text         PRIMARY KEY,
    pseudonym       text         NOT NULL,
    narrative_id    text         NOT NULL UNIQUE,
    ai_generated    boolean      NOT NULL,
    source          text         NOT NULL,
    record          text         NOT NULL,
    created_at      timestamptz  NOT NULL DEFAULT now()
);
