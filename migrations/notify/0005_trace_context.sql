-- The W3C trace context of the risk record behind each alert event, published with it, so one alert can be
-- traced back through infer and de-identification to the message ingest received.
SET LOCAL ROLE notify;

ALTER TABLE notify.alert_events ADD COLUMN traceparent text;
