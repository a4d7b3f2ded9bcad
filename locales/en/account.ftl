# My account: sub-accounts.

sub-account-name-empty = Enter a name for the sub-account
sub-account-name-too-long = Sub-account name must be 100 characters or fewer
sub-account-name-invisible = Sub-account name must not contain line breaks or invisible characters
sub-account-name-taken = You already have a sub-account with this name: choose another name
flash-sub-account-renamed = The sub-account is renamed.
