-- When each message was received and the W3C trace id it started: with notify's alert events (which keep the
-- traceparent) this gives the ingest → alert latency of every alert, measured in PostgreSQL.
SET LOCAL ROLE ingest;

ALTER TABLE ingest.messages ADD COLUMN trace_id text;
ALTER TABLE ingest.messages ADD COLUMN received_at timestamptz;
CREATE INDEX messages_trace ON ingest.messages (trace_id) WHERE trace_id IS NOT NULL;
