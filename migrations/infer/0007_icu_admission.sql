-- The sepsis model counts hours from ICU admission (the challenge's ICULOS). The first observation is often
-- hours later (189 of the 200 sample stays have none in ICU hour 1), which shifted every hour and ICULOS by
-- one or more. The admission to the ICU arrives as an ADT transfer (A02); units do not reach de-identified
-- events yet, so the first transfer stands for it.
SET LOCAL ROLE infer;

ALTER TABLE infer.patients ADD COLUMN icu_admitted_at timestamptz;
