-- What an account uses of its plan, kept on its row (issue 20): the sharing page and the forms
-- read two integers instead of counting members and grants on every view. Every change that
-- moves them recounts them in its own transaction, under the account's row lock
-- (db::members::refresh_usage); a test compares them with a recount after every test.
ALTER TABLE accounts
    ADD COLUMN seats_used    INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN advanced_used INTEGER NOT NULL DEFAULT 0;

-- The premium roles (domain::role, `premium: true`) take an advanced access.
UPDATE accounts a SET
    seats_used = (SELECT count(*) FROM members m WHERE m.master_account_id = a.id),
    advanced_used = (SELECT count(DISTINCT g.member_id) FROM grants g
                     WHERE g.master_account_id = a.id
                       AND g.role IN ('developer', 'marketer', 'designer', 'custom'));
