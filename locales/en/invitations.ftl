# Invitations as the invited person sees them.

flash-invitation-accepted = You have accepted the invitation.
flash-invitation-declined = You have declined the invitation. Its owner has been told, and the link no longer works.

inv-title = Invitation from { $owner }
inv-heading = { $owner } invited you to their email account
inv-offers = { $owner } ({ $owner_email }) offers this access to
inv-offers-end = :
inv-which-accounts = Which accounts
inv-open-until = The invitation is open until { $date }.
inv-accept = Accept invitation
inv-other-address-title = This invitation is for another address
inv-other-address = The invitation was sent to { $email }, but you are signed in as { $signed_in }. Only the person with the invited address can accept it.
inv-sign-out-and-continue = Sign out and continue
inv-has-login = { $email } already has a login with us. Sign in with it to accept; you will come back to this page.
inv-sign-in-to-accept = Sign in to accept
inv-create-login-title = Create your login to accept
inv-create-login = Your login will work only inside the accounts shared with you. Your email address is { $email }: following the invitation link has confirmed it.
inv-your-name = Your name
inv-your-name-hint = Shown to the account owner.
inv-password = Password
password-hint = At least 8 characters. A few words together make a strong password.
inv-create-login-and-accept = Create login and accept
inv-not-wanted = Not for you, or not wanted?
inv-decline-link = Decline the invitation
inv-decline-title = Decline the invitation from { $owner }
inv-decline-heading = Are you sure you want to decline the invitation from { $owner }?
inv-decline-body = The invitation to { $email } will be deleted and its link will stop working. { $owner } will be told by email, and can invite you again later.
inv-decline-button = Decline invitation
inv-back-to-invitation = Back to the invitation
inv-declined-title = Invitation declined
inv-declined-body = There is nothing more to do. If you change your mind, ask the person who invited you to send a new invitation.
inv-dead-title = This invitation link does not work
inv-dead-body = Invitation links work once, for a limited time, and only the newest one sent to you works. This one has been used, has run out, was replaced by a newer invitation, or the invitation was withdrawn.
inv-dead-ask = Ask the person who invited you to send the invitation again. If you have already accepted, the shared accounts are waiting for you.
inv-dead-your-accounts = Go to your accounts
inv-dead-sign-in = Sign in to reach the shared accounts
