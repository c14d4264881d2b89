-- The learned sepsis model reads more than the bedside scores: units (FiO2 arrives as % or a fraction), and
-- per patient the demographics and hospital admission time that de-identified events carry.
SET LOCAL ROLE infer;

ALTER TABLE infer.observations ADD COLUMN unit text;

CREATE TABLE infer.patients (
    pseudonym     text             PRIMARY KEY,
    age_years     double precision,
    sex           text,
    admitted_at   timestamptz,
    updated_at    timestamptz      NOT NULL DEFAULT now()
);
