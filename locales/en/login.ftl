# Signing up, signing in, passwords and email addresses.

email-empty = Enter an email address
email-too-long = Email address must be 254 characters or fewer
email-invisible = Email address must not contain spaces, line breaks or invisible characters
email-not-one-at = Enter an email address in the correct format, like name@example.com
email-local-part = The part before the @ can only use letters a to z, numbers and the symbols . _ + - (64 characters at most)
email-ip-domain = Email address must end in a domain name, like example.com, not an IP address
email-domain = The part after the @ must be a domain name, like example.com
name-empty = Enter your name
name-too-long = Name must be 100 characters or fewer
name-invisible = Name must not contain line breaks or invisible characters
password-too-short = Password must be 8 characters or more
password-too-long = Password must be 256 characters or fewer
password-common = Choose a password that is harder to guess: this one is on lists of common passwords
password-same-as-email = Choose a password that is not your email address
check-this-answer = Check this answer
sign-in-failed = Email address or password is not right: check them and try again
enter-password = Enter your password
flash-email-verified = Your email address is verified.
flash-verification-sent = We have sent a new verification link. Only the newest link works.
forgot-title = Choose a new password
flash-password-reset = Your new password is set. You are signed out everywhere else.
flash-password-changed = Your password is changed. You are signed out everywhere else.
flash-email-changed = Your login now uses its new address. The old one has been told.
wrong-current-password = Your current password is not right: check it and try again
email-same-as-now = This is already your address: enter the new one
email-taken-meanwhile = Another login took this address in the meantime: ask for the change again with another address
