# The accounts a person reaches: the switcher, account homes and area pages.

showing-no-account = No account matches.
showing-one-account = Showing 1 account.
showing-accounts = Showing { $first } to { $last } of { $matching } accounts.
guidance-owner = As the owner you can do everything here, and share the account.
guidance-manager = You can do everything here; only account sharing stays with the owner.
guidance-developer-transactional = You can edit and publish transactional templates, and lock their sections.
guidance-developer-statistics = You can use real-time monitoring and set up alerts.
guidance-developer-account-management = You can manage API credentials; the other settings stay with the owner.
guidance-marketer-transactional = You can suggest changes to transactional templates, but not publish them.
guidance-marketer = You can manage contacts, send campaigns and run automation workflows.
guidance-designer = You can edit templates and suggest changes, but not publish them. You can lock template sections.
guidance-accountant = You can see the plan, the prepaid account and deposits, and past invoices.
guidance-custom = You can use this area.
guidance-restricted = Restricted: { $restriction }.
missing-access = Your access to { $account } does not include { $area }.
no-longer-reachable = You no longer have access to that account: its owner changed or removed your access.
