# My account: sub-accounts.

sub-account-name-empty = Enter a name for the sub-account
sub-account-name-too-long = Sub-account name must be 100 characters or fewer
sub-account-name-invisible = Sub-account name must not contain line breaks or invisible characters
sub-account-name-taken = You already have a sub-account with this name: choose another name
flash-sub-account-renamed = The sub-account is renamed.

## My account

acc-name = Name
acc-verified = Verified
acc-not-verified = Not verified
acc-verify-note = We sent a link to { $email }. Open it to verify your address: you need a verified address to accept invitations.
acc-send-verification = Send a new verification link
acc-your-login = Your login
acc-sign-out-everywhere = Sign out everywhere
acc-sign-out-everywhere-hint = On every device, this one included.
acc-people-you-can-share-with = People you can share with
acc-advanced-accesses = Advanced accesses
acc-sub-accounts = Sub-accounts
acc-no-sub-accounts = You have no sub-accounts yet. Sub-accounts keep separate contacts, campaigns and API keys, and you can share each one on its own.
acc-your-sub-accounts = Your sub-accounts
acc-api-key = API key
acc-created = Created
acc-actions = Actions
acc-ends-in = ends in
acc-rename = Rename
acc-create-sub-account = Create a sub-account
acc-sub-account-name = Sub-account name
acc-sub-account-name-hint = For example the brand, client or team it sends for.
acc-create-sub-account-button = Create sub-account
acc-access-only = Your login has no account of its own: it works only inside the accounts other people share with you.
acc-shared-with-you = Accounts shared with you
acc-shared-line = { $account }: { $role }
sub-created-title = Sub-account created
sub-created-heading = Sub-account “{ $name }” created
sub-its-api-key = Its API key
sub-copy-now = Copy the key now: this is the only time it is shown.
sub-fingerprint = We keep only a fingerprint of it, so nobody, us included, can show it again.
sub-api-key-for = API key for { $name }
sub-rename-title = Rename sub-account { $name }
sub-rename-heading = Rename sub-account “{ $name }”
sub-new-name = New name
sub-rename-button = Rename sub-account
notify-title = Notifications
notify-legend = Email me when
notify-accepted = someone accepts my invitation
notify-declined = someone declines my invitation
notify-changed = an owner changes my access to their account
notify-removed = an owner deletes my access to their account
notify-save = Save notifications
notify-saved = Your notification settings are saved.
acc-own-records = What happened to your access
acc-own-records-lead = Invitations to your address, changes to your access and who made them, newest first.
