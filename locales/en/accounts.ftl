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

## Pages

frame-your-account = Your account
frame-their-account = { $owner }’s account ({ $email })
frame-your-role = your role: { $role }
frame-switch-account = Switch account
frame-areas-of = Areas of { $account }
frame-overview = Overview
area-what-you-can-do = What you can do here
area-stands-in = This page stands in for the email platform’s own { $area } pages; who may open it is decided here, for real.
area-forbidden-title = You do not have access to { $area }
area-forbidden-ask = Access is given by the account owner, { $owner } ({ $email }). Ask them if you need it.
home-no-area = Your access opens no area of this account.
home-areas = These are the parts of the account you can use.
switcher-title = Your accounts
switcher-search = Search by account or owner
switcher-search-button = Search
switcher-clear-hidden = the search
switcher-none = No account is shared with you at the moment. When someone invites you, accept from the email and the account appears here.
switcher-choose = Choose the account to work in. You can switch at any time.
switcher-caption = Accounts you can work in
switcher-your-access = Your access
switcher-open = Open
switcher-open-of = { $account } of { $owner }
switcher-current = Current
switcher-you = You
switcher-pages = Pages of accounts
mailbox-lead = No SMTP relay is set, so mail this server sends is kept here instead, newest first. This page does not exist when mail goes to a real relay. The setting:
mailbox-empty = No messages yet.
mailbox-to = To { $to }, { $at }
mailbox-text = Text of the message

other-account-title = This form was for another account
other-account-body = You filled it in for { $form }, but you are now working in { $current }, perhaps after switching accounts in another tab or window.
other-account-nothing-changed = Nothing was sent or changed.
other-account-switch = Switch to { $account }
other-account-stay = Start again in { $account }
area-sub-accounts-link = Your sub-accounts: create, rename and share them
