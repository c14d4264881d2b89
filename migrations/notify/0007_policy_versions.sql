-- Versioned alert policies (issue 8): a change is proposed with its shadow-replay report, approved by a second
-- admin with an effective-from time, or rejected, and an approved one can be rolled back. The current version is
-- the approved one with the latest effective_at not after now; with none, notify runs its file or built-in policy.
-- Rows are evidence: what was proposed never changes, and the status only moves forward.
SET LOCAL ROLE notify;

CREATE TABLE notify.policy_versions (
    version               integer     PRIMARY KEY CHECK (version > 0),
    -- metadata.name and metadata.version of the YAML; hash is AlertPolicy.hash (sha256 of the canonical JSON).
    name                  text        NOT NULL,
    label                 text        NOT NULL,
    yaml                  text        NOT NULL CHECK (yaml <> ''),
    hash                  text        NOT NULL CHECK (hash ~ '^sha256:[0-9a-f]{64}$'),
    status                text        NOT NULL DEFAULT 'proposed'
                                      CHECK (status IN ('proposed', 'approved', 'rejected', 'rolled-back')),
    proposed_by           text        NOT NULL,
    proposed_at           timestamptz NOT NULL DEFAULT now(),
    reason                text        NOT NULL CHECK (length(reason) >= 5),
    -- The `vigil shadow` report exactly as hashed: a non-empty JSON object and the sha256 (hex) of its UTF-8 text.
    shadow_report         text        NOT NULL,
    shadow_report_sha256  text        NOT NULL,
    approved_by           text,
    approved_at           timestamptz,
    effective_at          timestamptz,
    rejected_by           text,
    rejected_at           timestamptz,
    rejection_reason      text,
    rolled_back_by        text,
    rolled_back_at        timestamptz,
    rollback_reason       text,
    CONSTRAINT policy_versions_report_object CHECK (
        jsonb_typeof(shadow_report::jsonb) = 'object' AND shadow_report::jsonb <> '{}'::jsonb),
    CONSTRAINT policy_versions_report_sha256 CHECK (
        shadow_report_sha256 = encode(sha256(convert_to(shadow_report, 'UTF8')), 'hex')),
    -- Two people: whoever proposed a change cannot approve it.
    CONSTRAINT policy_versions_two_person CHECK (approved_by <> proposed_by),
    CONSTRAINT policy_versions_approval CHECK (
        (status IN ('approved', 'rolled-back'))
            = (approved_by IS NOT NULL AND approved_at IS NOT NULL AND effective_at IS NOT NULL)),
    CONSTRAINT policy_versions_not_before_approval CHECK (effective_at >= approved_at),
    CONSTRAINT policy_versions_rejection CHECK (
        (status = 'rejected')
            = (rejected_by IS NOT NULL AND rejected_at IS NOT NULL AND rejection_reason IS NOT NULL)),
    CONSTRAINT policy_versions_rollback CHECK (
        (status = 'rolled-back')
            = (rolled_back_by IS NOT NULL AND rolled_back_at IS NOT NULL AND rollback_reason IS NOT NULL))
);
-- The watcher's query: approved versions by effective time.
CREATE INDEX policy_versions_effective ON notify.policy_versions (effective_at DESC, version DESC)
    WHERE status = 'approved';

-- The proposal is fixed once written; the status moves proposed → approved | rejected and approved → rolled-back,
-- and a decision, once made, is not rewritten. Rows are never deleted.
CREATE FUNCTION notify.policy_version_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'TRUNCATE') THEN
        RAISE EXCEPTION 'notify.policy_versions rows are never deleted';
    END IF;
    IF (NEW.version, NEW.name, NEW.label, NEW.yaml, NEW.hash, NEW.proposed_by, NEW.proposed_at, NEW.reason,
        NEW.shadow_report, NEW.shadow_report_sha256)
       IS DISTINCT FROM
       (OLD.version, OLD.name, OLD.label, OLD.yaml, OLD.hash, OLD.proposed_by, OLD.proposed_at, OLD.reason,
        OLD.shadow_report, OLD.shadow_report_sha256) THEN
        RAISE EXCEPTION 'a proposed policy version cannot be edited; propose a new version';
    END IF;
    IF NOT ((OLD.status = 'proposed' AND NEW.status IN ('approved', 'rejected'))
            OR (OLD.status = 'approved' AND NEW.status = 'rolled-back')) THEN
        RAISE EXCEPTION 'policy version status cannot change from % to %', OLD.status, NEW.status;
    END IF;
    IF OLD.status = 'approved'
       AND (NEW.approved_by, NEW.approved_at, NEW.effective_at)
           IS DISTINCT FROM (OLD.approved_by, OLD.approved_at, OLD.effective_at) THEN
        RAISE EXCEPTION 'an approval cannot be rewritten';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER policy_versions_guard BEFORE UPDATE OR DELETE ON notify.policy_versions
    FOR EACH ROW EXECUTE FUNCTION notify.policy_version_change();
CREATE TRIGGER policy_versions_no_truncate BEFORE TRUNCATE ON notify.policy_versions
    FOR EACH STATEMENT EXECUTE FUNCTION notify.policy_version_change();
