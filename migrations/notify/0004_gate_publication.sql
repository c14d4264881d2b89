-- The stop switch reaches infer's registry through governance.model-status.v1: a gate row is published once
-- per change. Any change of status or time marks it unpublished again, whoever writes it.
SET LOCAL ROLE notify;

ALTER TABLE notify.model_gates ADD COLUMN published_at timestamptz;

CREATE FUNCTION notify.gate_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' OR NEW.status IS DISTINCT FROM OLD.status OR NEW.changed_at IS DISTINCT FROM OLD.changed_at THEN
        NEW.published_at := NULL;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER model_gates_unpublished BEFORE INSERT OR UPDATE ON notify.model_gates
    FOR EACH ROW EXECUTE FUNCTION notify.gate_changed();
