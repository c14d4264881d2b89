-- The hash-chained, append-only audit log (DESIGN.md "Governance features": Art 12 record-keeping).
--
-- Rows are written only through audit.append(), a SECURITY DEFINER function the services may EXECUTE;
-- nobody but the owner (the migrating role) can write the table, and UPDATE/DELETE/TRUNCATE are rejected by
-- triggers that fire even in replica mode. Each row stores its predecessor's hash, so `vigil audit verify`
-- (Shared/Audit/AuditVerifier.swift) can prove that no row was edited, removed or reordered.
-- No PHI by contract: actors, subjects and details carry ids, pseudonyms and codes, never names or MRNs.

CREATE SCHEMA IF NOT EXISTS audit;
REVOKE ALL ON SCHEMA audit FROM PUBLIC;

CREATE TABLE audit.log (
    seq bigint PRIMARY KEY CHECK (seq > 0),
    at timestamptz NOT NULL,
    actor text NOT NULL CHECK (actor <> ''),
    action text NOT NULL CHECK (action <> ''),
    subject text NOT NULL,
    reason text,
    -- JSON text, kept as text (not jsonb) so the hashed bytes are exactly the stored bytes.
    details text CHECK (details IS NULL OR (details::jsonb) IS NOT NULL),
    prev_hash bytea NOT NULL CHECK (octet_length(prev_hash) = 32),
    hash bytea NOT NULL CHECK (octet_length(hash) = 32)
);
REVOKE ALL ON audit.log FROM PUBLIC;

-- Canonical bytes, version 1. Mirrored in Shared/Audit/AuditCanonical.swift; change both or neither.
--   field(b)   = 4-byte big-endian length of b, then b; SQL NULL is length 0xFFFFFFFF with no bytes
--   canonical  = field("vigil.audit.v1")
--                || 8-byte big-endian seq
--                || 8-byte big-endian `at` as integer microseconds since 1970-01-01 00:00:00 UTC
--                || field(actor) || field(action) || field(subject) || field(reason) || field(details)
--                || field(prev_hash)                        (the predecessor's 32 raw hash bytes)
--   text is encoded as UTF-8; hash = sha256(canonical); the first row's prev_hash is 32 zero bytes.
CREATE FUNCTION audit.field(value bytea) RETURNS bytea
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT CASE WHEN value IS NULL THEN '\xffffffff'::bytea ELSE int4send(octet_length(value)) || value END
$$;

CREATE FUNCTION audit.canonical(
    seq bigint, at_us bigint, actor text, action text, subject text, reason text, details text, prev_hash bytea
) RETURNS bytea
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT audit.field(convert_to('vigil.audit.v1', 'UTF8'))
        || int8send(seq)
        || int8send(at_us)
        || audit.field(convert_to(actor, 'UTF8'))
        || audit.field(convert_to(action, 'UTF8'))
        || audit.field(convert_to(subject, 'UTF8'))
        || audit.field(convert_to(reason, 'UTF8'))
        || audit.field(convert_to(details, 'UTF8'))
        || audit.field(prev_hash)
$$;

CREATE FUNCTION audit.append(
    p_actor text, p_action text, p_subject text, p_reason text DEFAULT NULL, p_details text DEFAULT NULL
) RETURNS audit.log
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    head_seq bigint;
    head_hash bytea;
    entry audit.log;
BEGIN
    -- One appender at a time (until its transaction ends): the next row needs the committed head.
    -- Key: ASCII "vigilaud". Under REPEATABLE READ or SERIALIZABLE a stale head makes the insert fail on
    -- the primary key rather than fork the chain.
    PERFORM pg_advisory_xact_lock(8532464671517668708);
    SELECT l.seq, l.hash INTO head_seq, head_hash FROM audit.log AS l ORDER BY l.seq DESC LIMIT 1;
    IF NOT FOUND THEN
        head_seq := 0;
        head_hash := decode(repeat('00', 32), 'hex');
    END IF;
    entry.seq := head_seq + 1;
    entry.at := clock_timestamp();
    entry.actor := p_actor;
    entry.action := p_action;
    entry.subject := p_subject;
    entry.reason := p_reason;
    entry.details := p_details;
    entry.prev_hash := head_hash;
    entry.hash := sha256(audit.canonical(
        entry.seq, (extract(epoch FROM entry.at) * 1000000)::bigint, entry.actor, entry.action, entry.subject,
        entry.reason, entry.details, entry.prev_hash));
    INSERT INTO audit.log (seq, at, actor, action, subject, reason, details, prev_hash, hash)
    VALUES (entry.seq, entry.at, entry.actor, entry.action, entry.subject, entry.reason, entry.details,
            entry.prev_hash, entry.hash);
    RETURN entry;
END
$$;

CREATE FUNCTION audit.reject_change() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    RAISE EXCEPTION 'audit.log is append-only: % is not allowed', TG_OP
        USING HINT = 'Record a correcting entry with audit.append() instead.';
END
$$;

-- Statement-level, so even an UPDATE or DELETE that matches no row is refused.
CREATE TRIGGER log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit.log
    FOR EACH STATEMENT EXECUTE FUNCTION audit.reject_change();
-- ALWAYS: also under session_replication_role = replica, which would otherwise skip the trigger.
ALTER TABLE audit.log ENABLE ALWAYS TRIGGER log_append_only;

REVOKE ALL ON FUNCTION audit.append(text, text, text, text, text) FROM PUBLIC;
GRANT USAGE ON SCHEMA audit TO ingest, deid, infer, notify, audit;
GRANT EXECUTE ON FUNCTION audit.append(text, text, text, text, text) TO ingest, deid, infer, notify;
GRANT SELECT ON audit.log TO audit;
