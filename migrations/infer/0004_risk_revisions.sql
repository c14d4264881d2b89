-- A late or corrected input for an already-scored time gives a new revision of that record instead of being
-- dropped: records are unique per inputs (a replay still adds nothing), numbered per patient, score, model
-- version and event time, each naming the record it supersedes.
SET LOCAL ROLE infer;

ALTER TABLE infer.risk_records DROP CONSTRAINT risk_records_pkey;
ALTER TABLE infer.risk_records ADD COLUMN revision int NOT NULL DEFAULT 1;
ALTER TABLE infer.risk_records ADD COLUMN supersedes text;
ALTER TABLE infer.risk_records ADD PRIMARY KEY (pseudonym, score, model_version, event_time, input_hash);
CREATE UNIQUE INDEX risk_records_revision ON infer.risk_records (pseudonym, score, model_version, event_time, revision);
CREATE UNIQUE INDEX risk_records_id ON infer.risk_records (record_id);
