ALTER TABLE audit_events DROP CONSTRAINT audit_events_action_check;
ALTER TABLE audit_events ADD CONSTRAINT audit_events_action_check CHECK (action IN (
    'invitation_sent', 'invitation_resent', 'access_edited', 'access_deleted',
    'invitation_accepted', 'invitation_declined',
    'accept_refused_wrong_person', 'accept_refused_expired', 'accept_refused_used',
    'plan_changed', 'access_expired', 'ownership_transferred'));
ALTER TABLE accounts DROP COLUMN require_two_factor_since;
