-- "Require two-factor authentication for everyone with access to my accounts" (issue 22): set
-- by the owner, since when; NULL when not required. Read in the same statements as the standing
-- it guards (the account pages, forward auth, the check API).
ALTER TABLE accounts ADD COLUMN require_two_factor_since TIMESTAMPTZ;

-- Turning the requirement on or off is recorded in the audit log.
ALTER TABLE audit_events DROP CONSTRAINT audit_events_action_check;
ALTER TABLE audit_events ADD CONSTRAINT audit_events_action_check CHECK (action IN (
    'invitation_sent', 'invitation_resent', 'access_edited', 'access_deleted',
    'invitation_accepted', 'invitation_declined',
    'accept_refused_wrong_person', 'accept_refused_expired', 'accept_refused_used',
    'plan_changed', 'access_expired', 'ownership_transferred',
    'two_factor_requirement_changed'));
