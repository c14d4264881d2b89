-- Re-identification vault: pseudonym → the identified patient, sealed with AES-GCM (key from the deid
-- keyring, never stored here), plus the date shift fixed when the patient was first seen, so a key rotation
-- never moves a patient's timeline. Reading a row reveals nothing without the key; every reveal is audited.
SET LOCAL ROLE deid;

CREATE TABLE deid.patients (
    pseudonym        text        PRIMARY KEY,
    date_shift_days  integer     NOT NULL CHECK (date_shift_days BETWEEN -3650 AND 3650),
    key_id           text        NOT NULL,
    identity         bytea       NOT NULL,
    identity_mac     bytea       NOT NULL CHECK (length(identity_mac) = 32),
    first_seen_at    timestamptz NOT NULL DEFAULT now(),
    last_seen_at     timestamptz NOT NULL DEFAULT now()
);

-- After a key rotation a known patient keeps their old pseudonym; the one under the new key points to it.
CREATE TABLE deid.pseudonym_aliases (
    alias      text PRIMARY KEY,
    pseudonym  text NOT NULL REFERENCES deid.patients (pseudonym),
    created_at timestamptz NOT NULL DEFAULT now()
);
