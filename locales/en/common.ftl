# The frame around every page, the language switcher, error pages, dates.

language-name = English
site-name = Account sharing
skip-to-content = Skip to main content
nav-label = Your login
nav-accounts = Accounts
nav-share = Share your account
nav-my-account = My account
nav-sign-out = Sign out
nav-sign-in = Sign in
nav-create-account = Create an account
banner-success = Success
footer-tagline = Account sharing: share your email account without sharing your password.
footer-dev-mailbox = Development mailbox
footer-dev-mailbox-note = (mail sent by this server while no SMTP relay is set)
language-switcher = Language:
language-switch = Show in { $language }

# A moment with its time zone: "26 November 2026, 14:05 UTC".
date-time-utc = { $datetime } UTC

error-go-to-accounts = Go to your accounts
error-go-to-start = Go to the start page
error-not-found-title = Page not found
error-not-found = If you typed the web address, check it is correct. If you followed a link, it may belong to an account you cannot see.
error-forbidden-title = You do not have access to this page
error-forbidden = Your access does not include this page. Ask the account owner if you need it.
error-not-verified-title = Verify your email address first
error-not-verified = Sharing sends mail in your name, so it needs an address we know is yours. Open the link we sent you, or send a new one from My account; nothing was sent.
error-csrf-title = This form could not be accepted
error-csrf = The form was sent from another site, or the page was open too long. Go back, reload the page and try again.
error-wrong-method-title = This page cannot do that
error-wrong-method = The address is right, but it was asked for in a way it does not answer. Go back and use the page's links and buttons.
error-too-large-title = What you sent is too large
error-too-large = The form held more text than we accept. Go back, shorten what you typed and try again.
error-too-many-title = Too many attempts
error-too-many = This has been tried too often in a short time, so we have stopped it for a while, for your safety. Nothing was sent or changed. Wait a few minutes, then try again.
error-bad-address-title = This web address could not be understood
error-bad-address = The part of the address after the question mark is not what this page expects. If you followed a link, copy it again in full from where you found it.
error-bad-request-title = This form could not be understood
error-bad-form = The form had fields we did not expect, or a field twice. Go back, reload the page and try again.
error-form-not-text = The form held characters that are not valid text. Go back, check what you typed or pasted, and try again.
error-not-a-web-form = The form was not sent the way a web page sends it. Go back, reload the page and try again.
error-busy-title = Too busy to check passwords right now
error-busy = More people are signing in at this moment than we check at once. Nothing was sent or changed. Try again in a second.
error-unavailable-title = Sorry, the service is unavailable
error-unavailable = We cannot reach our database right now. Nothing you sent was saved. Try again in a few minutes.
error-internal-title = Sorry, there is a problem with the service
error-internal = Something went wrong on our side and nothing was changed. Try again later.
error-bad-request = We could not handle that request. Go back and try again, or start from the home page.
error-search-too-long = Search for at most 254 characters: no email address or name is longer. Go back and shorten it.
error-unknown-filter = That filter is not one the page offers. Go back to Share your account and choose from its lists.
error-no-such-page = That page of the list does not exist. Go back to Share your account and start from its first page.
error-unknown-language = That language is not one we offer. Go back and choose English, Français or Deutsch.

## Forms

form-error-prefix = Error:
form-there-is-a-problem = There is a problem
form-email = Email address
form-cancel = Cancel
error-date-format = Enter the date as year-month-day, for example 2027-03-31.
error-dates-reversed = The end date is before the start date: choose an end date on or after it.
error-end-date-past = Choose today or a later date: the access would end before it starts.
error-end-date-too-far = Choose a date within the next ten years, or leave the field empty for access that does not end.
mailbox-filter = Messages by recipient
mailbox-to-filter = Sent to (part of the address)
mailbox-show = Show messages
mailbox-showing = The { $shown } newest of { $count } { $count ->
    [one] message
   *[other] messages
}, newest first
mailbox-showing-all = { $count ->
    [one] 1 message
   *[other] { $count } messages
}, newest first

## The members API (INTEGRATION.md S17): problem documents' details, in the token owner's language

api-no-such-account = This token works on another account: no account with this number is known to it.
api-not-the-owner = Only the account's owner manages its sharing; this token's person has an access to it, not the ownership.
api-scope-missing = This token may not do this: it needs the scope { $scope }. Make a token with it in My account → API tokens.
api-no-such-person = No one with this id has access to this account.
api-verify-first = Verify your email address first: invitations go out in your name.
api-too-many = Too many requests in a short time. Wait, then try again: the Retry-After header says how long.
api-bad-request = The request could not be understood.
api-invalid = Some fields cannot be accepted as sent: each is listed with what is wrong.
api-bad-json = The body is not the JSON this call takes: { $error }
api-not-an-object = The body is a JSON object: {"{"} … {"}"}.
api-bad-query = The query string has an unknown or repeated parameter.
api-limit = The limit is a whole number from 1 to { $max }.
api-cursor = This cursor was not given by this API: use the "next" of the previous page.
api-not-your-account = “{ $account }” is not one of this owner's accounts: use "42" for the master account or "42/7" for one of its sub-accounts.
api-account-twice = This account is listed twice.
api-unknown-role = “{ $role }” is not a role: use manager, accountant, developer, marketer, designer or custom.
api-unknown-area = “{ $area }” is not an area of this account (docs/permissions.md lists them).
api-areas-for-custom = Only the custom role takes areas.
api-restrictions-for-advanced = Restrictions are for the advanced roles only.
api-unknown-restriction = “{ $restriction }” is not a restriction: use drafts_only, no_labels or no_section_locking.
api-idempotency-key = The Idempotency-Key header is 1 to 255 printable characters, sent once.
api-idempotency-reused = This Idempotency-Key was already used with another request: use a new key for a new request.
api-idempotency-under-way = A request with this Idempotency-Key is still being answered: try again in a moment.
api-status = The status is pending, active or expired.
api-search-too-long = The search may hold at most 200 characters.
api-resend-body = Re-send takes no body, or {"{"}{"}"}.
api-unknown-action = “{ $action }” is not an action of the activity log.
api-date = A date is written YYYY-MM-DD.
