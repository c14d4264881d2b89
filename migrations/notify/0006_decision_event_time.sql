-- The clinical time each decision describes: trends and shadow replays run on clinical time, which
-- de-identification shifts per patient, not on the wall clock of the decision.
SET LOCAL ROLE notify;

ALTER TABLE notify.risk_decisions ADD COLUMN event_time timestamptz;
CREATE INDEX risk_decisions_patient_time ON notify.risk_decisions (patient, condition, event_time);
