-- The audit log (SPEC S12, R34): every sharing and plan change, written in the transaction that
-- makes the change. Records are only ever added: the trigger below refuses UPDATE, DELETE and
-- TRUNCATE from anyone who is not allowed to drop the table itself.
CREATE TABLE audit_events (
    id                BIGSERIAL PRIMARY KEY,
    -- No cascade: a record outlives what it is about. Accounts are never deleted.
    master_account_id BIGINT NOT NULL REFERENCES accounts (id),
    occurred_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- Who acted, as they were then; NULL for someone not signed in, or the service itself.
    actor_person_id   BIGINT,
    actor_email       TEXT CHECK (length(actor_email) <= 254),
    action            TEXT NOT NULL CHECK (action IN (
        'invitation_sent', 'invitation_resent', 'access_edited', 'access_deleted',
        'invitation_accepted', 'invitation_declined',
        'accept_refused_wrong_person', 'accept_refused_expired', 'accept_refused_used',
        'plan_changed', 'access_expired', 'ownership_transferred')),
    -- Whom the change is about: the invited address, and their login once there is one.
    target_email      TEXT CHECK (length(target_email) <= 254),
    target_person_id  BIGINT,
    target_member_id  BIGINT,
    client_ip         INET,
    -- The state before and after, as data (domain::audit); never a token, password or key.
    before            JSONB,
    after             JSONB
);
CREATE INDEX audit_events_account ON audit_events (master_account_id, id DESC);
CREATE INDEX audit_events_target_email ON audit_events (target_email, id DESC);
-- Refused uses of one link are recorded once per 10 minutes: a script replaying it fills nothing.
CREATE INDEX audit_events_target_member ON audit_events (target_member_id, id DESC)
    WHERE target_member_id IS NOT NULL;
CREATE INDEX audit_events_target_person ON audit_events (target_person_id, id DESC)
    WHERE target_person_id IS NOT NULL;

CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_events_no_update_or_delete
    BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_events_no_truncate
    BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();

-- A used invitation link keeps its hash, so pressing it again is recorded as "used", not lost
-- among links that never existed. Single use still holds: accepting requires accepted_at NULL.
