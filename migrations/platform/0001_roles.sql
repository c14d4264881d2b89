-- Login roles and per-service schemas (DESIGN.md "PostgreSQL": one schema and one login role per service).
--
-- Roles are cluster-wide while this file runs once per database, possibly at the same moment in several
-- databases of one cluster: create each role only if missing, and treat "already exists" (which a concurrent
-- CREATE ROLE elsewhere surfaces as unique_violation once it commits) as success.
-- Passwords are not set here: operators set them (ALTER ROLE ... PASSWORD) or use another auth method.
DO $$
DECLARE
    role_name text;
BEGIN
    FOREACH role_name IN ARRAY ARRAY['ingest', 'deid', 'infer', 'notify', 'audit'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = role_name) THEN
            BEGIN
                EXECUTE format('CREATE ROLE %I LOGIN', role_name);
            EXCEPTION WHEN duplicate_object OR unique_violation THEN
                NULL;  -- created concurrently by a migration in another database
            END;
        END IF;
    END LOOP;
END
$$;

-- Nobody creates objects in public; services work in their own schema only.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;

-- One schema per service, owned by its role. Objects the migrating role creates there are granted to the
-- service too, so a service migration works whether or not it uses SET LOCAL ROLE <service>.
DO $$
DECLARE
    service text;
BEGIN
    FOREACH service IN ARRAY ARRAY['ingest', 'deid', 'infer', 'notify'] LOOP
        EXECUTE format('CREATE SCHEMA IF NOT EXISTS %I AUTHORIZATION %I', service, service);
        EXECUTE format('REVOKE ALL ON SCHEMA %I FROM PUBLIC', service);
        EXECUTE format(
            'ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO %I',
            service, service);
        EXECUTE format(
            'ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO %I',
            service, service);
        EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT EXECUTE ON FUNCTIONS TO %I', service, service);
    END LOOP;
END
$$;
