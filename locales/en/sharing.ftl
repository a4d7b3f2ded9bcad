# Sharing: roles and areas, the sharing page, the access form (invite and edit), the check step.

role-manager = Manager
role-accountant = Accountant
role-developer = Developer
role-marketer = Marketer
role-designer = Designer
role-custom = Custom

role-hint-manager = Everything except account sharing
role-hint-accountant = Plan details, prepaid account and deposits, past invoices (master account only)
role-hint-developer = API credentials, transactional templates and real-time monitoring; can publish transactional templates and lock their sections
role-hint-marketer = Contacts, campaigns and automation workflows; can suggest changes to transactional templates but not publish them
role-hint-designer = Templates only: can suggest changes without publishing them, and lock sections
role-hint-custom = Choose the areas one by one

area-campaigns = Campaigns
area-transactional = Transactional
area-email-automation = Email Automation
area-contacts = Contacts
area-statistics = Statistics
area-billing = Billing
area-account-management = Account Management

area-summary-campaigns = Create, design and send marketing campaigns, and manage their templates.
area-summary-transactional = Templates and settings of the messages your applications send.
area-summary-email-automation = Automation workflows that send on a schedule or on events.
area-summary-contacts = Contact lists, their properties and segments.
area-summary-statistics = Delivery statistics, and real-time monitoring with alerts.
area-summary-billing = Current plan details, prepaid account and deposits, past invoices.
area-summary-account-management = Account settings, API keys and sub-accounts.

restriction-drafts-only = Can only edit draft templates, not publish them to the gallery
restriction-no-labels = Cannot create, edit or delete labels
restriction-no-section-locking = Cannot lock or unlock sections in templates
restriction-short-drafts-only = drafts only, no publishing
restriction-short-no-labels = no labels
restriction-short-no-section-locking = no section locking

master-account = Master account

# "Custom (Campaigns, Statistics)"
access-custom = { $role } ({ $areas })
# Joins names in a list: "Campaigns, Statistics".
list-separator = {", "}
list-two = { $first } and { $second }

scope-all-accounts = on all { $count } accounts
scope-master = on the master account
scope-master-and-names = on the master account and { $names }
scope-master-and-subs = on the master account and { $count } sub-accounts
scope-all-subs = on all { $count } sub-accounts
scope-names = on { $names }
scope-subs = on { $count } sub-accounts

select-account-to-add = Select an account to add
select-role-to-copy = Select a role to copy the permissions from
add-an-account = Add at least one account to share
inviting-yourself = This is your own address: you already own this account
no-sharing-on-plan = Your plan does not include account sharing: upgrade your plan to invite people
select-role-for-master = Select a role for the Master account
select-role-for = Select a role for { $account }
select-areas-for = Select at least one area for { $account }
role-empty-on = { $role } gives access to Billing, which only the master account has: choose another role for { $account }
already-has-access = { $email } already has access to your account: use Manage, then Edit, on the sharing page to change it
seats-full = Your plan lets you share with { $limit } people and every place is taken: delete an access or upgrade your plan
role-needs-advanced-plan = The { $role } role needs a plan with advanced accesses (Crystal Premium or above)
advanced-accesses-full = All { $limit } advanced accesses of your plan are in use: choose Manager or Accountant, free an advanced access, or upgrade your plan
copy-needs-custom = Copy to all below copies the Master account's Custom areas: choose Custom for the Master account, or untick Copy to all below
copy-leaves-nothing = Tick at least one area other than Billing to copy to all below (sub-accounts have no Billing), or untick Copy to all below
roles-updated = Roles updated. Tick the areas of each account set to Custom.

delivery-queued = Invitation email being sent
delivery-sent = Invitation email sent
delivery-failed = Invitation email could not be delivered: check the address, then re-send
never = Never

status-owner = Owner
status-pending = Pending
status-active = Active
status-expired = Expired

showing-only-you = Only you match.
showing-nobody = Nobody matches.
showing-people = Showing { $first } to { $last } of { $matching } { $matching ->
        [one] person
       *[other] people
    }.
showing-people-besides-you = Showing { $first } to { $last } of { $matching } { $matching ->
        [one] person
       *[other] people
    }, besides you.

flash-invited = Invitation sent to { $email }.
flash-updated = Access updated for { $email }.
flash-deleted = Access deleted for { $email }.
flash-resent = Invitation re-sent to { $email }. Only the link in the new email works.
flash-already-accepted = { $email } has already accepted the invitation: there is nothing to re-send.

invite-user = Invite user
send-invitation = Send invitation
update-access = Update access
check-before-sending = Check before sending
check-before-updating = Check before updating
edit-access-heading = Edit access for { $email }

role-option-advanced = { $role } (advanced access)
role-option-none-left = { $role } (no advanced access left)
role-option-not-on-plan = { $role } (not on your plan)

premium-what = Developer, Marketer, Designer and Custom each use 1 advanced access per person, whatever the number of accounts.
premium-available = { premium-what } { $used } of your plan's { $limit } in use.
premium-not-on-plan = { premium-what } Your plan has no advanced accesses: change your plan to use these roles.
premium-none-left = { premium-what } All { $limit } advanced accesses of your plan are in use: free one, or change your plan.

following-master = Follows the Master account (Copy to all below): { $areas }.
followers-line = { $count ->
    [one] Following the Master account (Copy to all below): { $accounts }.
   *[other] Following the Master account (Copy to all below), these { $count } sub-accounts: { $accounts }.
}
account-added = { $account } added: choose a role for it.
accounts-added = { $count } sub-accounts added: choose a role for each.
account-removed = { $account } removed from the list.
same-as-applied = The areas of { $role } are ticked for { $account }.
areas-unchecked = All areas are unticked for { $account }.

copied = Copied from the Master account to the { $count } { $count ->
        [one] sub-account
       *[other] sub-accounts
    } below: { $areas }.
copied-no-billing = Billing is not copied: sub-accounts do not have it.
copied-restrictions = Restrictions copied too: { $restrictions }.
advanced-access-check = This uses 1 advanced access. Afterwards, { $remaining } of your plan's { $limit } advanced accesses will be left.

## The sharing page

share-title = Share your account
share-lead = Give colleagues, agencies and clients their own access to your account and sub-accounts. You can change or delete it at any time.
share-unverified = Verify your email address to share your account: invitations go out in your name, so they wait until we know { $email } is yours. Open the link we sent you, or send it again.
share-send-link-again = Send the link again
share-plan-full = Every place of your plan is taken: it lets you share with { $seats } people. To invite someone else, delete someone's access or change your plan.
share-change-plan-link = Change your plan
share-no-sharing = Your plan does not include sharing. Change your plan to invite colleagues, agencies or clients.
share-filters-label = People
share-search = Search by email or name
share-status = Status
share-any-status = Any status
share-role = Role
share-any-role = Any role
share-show-people = Show people
share-clear = Clear
share-clear-hidden = the search and filters
share-caption = People with access to your account
share-person = Person
share-access = Access
share-last-sign-in = Last sign-in
share-manage = Manage
share-manage-hidden = access for { $email }
share-owner-of-all = Owner of all accounts
share-restricted = Restricted: { $restrictions }
share-all-accounts = Which { $count ->
    [one] account
   *[other] { $count } accounts
}
share-all-accounts-hidden = for { $email }
share-edit = Edit
share-edit-hidden = access for { $email }
share-delete = Delete access
share-delete-hidden = for { $email }
share-resend = Re-send invitation
share-resend-hidden = to { $email }
share-nobody-yet = Nobody else has access yet.
share-nobody-yet-invite = Choose “Invite user” to share your account.
share-pages = Pages of people
share-previous = Previous
share-next = Next
share-page-hidden = page
share-page-of = Page { $page } of { $pages }
quota-label = Your plan's sharing limits
quota-people = People:
quota-advanced = Advanced accesses:
quota-used = { $used } of { $limit } used
quota-kept-over = { $used } kept from an earlier plan, which had more than the { $limit } of yours. Those people keep what they had; giving an advanced access to anyone else needs a plan with a free one.
quota-change-plan = Change plan

## The access form (invite and edit)

form-back-to-form = Back to the form
form-email-hint = The person you want to share your account with.
form-accounts-and-roles = Accounts and roles
form-what-roles-open = What each role opens
form-uses-advanced = uses 1 advanced access
form-add-each-account = Add each account this person can use, then choose a role for each.
form-table-caption = Accounts this person can use, with a role for each
form-add-each-account-many = Add each account these people can use, then choose a role for each: every address gets the same access.
form-table-caption-many = Accounts these people can use, with a role for each
form-no-sub-accounts = You have no sub-accounts yet. Sub-accounts let you share one brand, country or use apart from the rest.
form-create-sub-account = Create a sub-account
form-account = Account
form-remove = Remove
form-role-for = Role for { $account }
form-choose-role = Choose a role
form-remove-account = Remove { $account }
form-no-account-yet = No account yet: add one below.
form-every-account-listed = Every one of your accounts is in the list.
form-add-an-account = Add an account
form-choose-account = Choose an account
form-all-sub-accounts = All sub-accounts ({ $count })
form-add = Add
form-add-hidden = account
form-update-roles = Update roles
form-update-roles-hint = After choosing Custom for an account, or ticking Copy to all below, this shows the boxes to tick.
custom-legend = Custom permissions for
custom-areas-for = Areas for
custom-select-all = Select all that apply.
custom-same-as = Activate the same permissions as
custom-for = for
custom-to = to
custom-apply = Apply
custom-uncheck-all = Uncheck all
custom-copy-to-all = Copy to all below
custom-copy-hint = While ticked, every sub-account below gets the same areas and restrictions, except Billing, which sub-accounts do not have.
restrictions-summary = Advanced restrictions
restrictions-optional = (optional)
restrictions-hint = Limits what this person can do with templates. Select all that apply.

## Delete access, and inviting when it cannot be done

delete-title = Delete access for { $email }
delete-heading = Are you sure you want to delete access for { $email }?
delete-pending = { $email } has not accepted the invitation yet. The link in the invitation email will stop working at once.
delete-active = { $email } will no longer reach any of your accounts, from their very next click. Their login stays: it is theirs.
delete-invite-again = You can invite them again later.
cannot-no-sharing-title = Your plan does not include sharing
cannot-full-title = Every place of your plan is taken
cannot-unverified = Invitations go out in your name, so they wait until we know { $email } is yours. Open the link we sent you, or send it again.
cannot-back = Back to Share your account
cannot-no-sharing = To share your account with colleagues, agencies or clients, choose a plan that includes people to share with.
cannot-full = Your plan lets you share with { $seats } people, and all of them have access or a pending invitation. Delete someone's access, or change your plan, to invite someone else.
js-copy-on = Every sub-account below now follows the Master account's areas.
js-copy-off = Each sub-account can be set on its own again.
share-last-activity = Last activity
share-sort-by-activity = (sort by most recent)
share-sorted-by-activity = (most recent first; show in the order invited)
share-export = Download as a spreadsheet (CSV)
csv-email = Email address
csv-name = Name
csv-status = Status
csv-account = Account
csv-role = Role
csv-areas = Areas
csv-restrictions = Restrictions
csv-invited-at = Invited at (UTC)
csv-accepted-at = Accepted at (UTC)
csv-last-sign-in = Last sign-in (UTC)
csv-last-activity = Last activity (UTC)
csv-access-ends = Access ends
csv-two-factor = Two-factor authentication
csv-yes = Yes
csv-no = No

## Activity: the audit log
share-activity = Activity: who changed what, and when
activity-title = Activity
activity-back = Back to Share your account
activity-lead = Every change to who can use your accounts, every plan change, and every refused use of an invitation link, newest first. Records are only ever added: nobody can change or delete them.
activity-filters-label = Activity
activity-person = Search by email or name
activity-action = What happened
activity-any-action = Anything
activity-any-refusal = Any refused link
activity-from = From
activity-to = To
activity-date-placeholder = YYYY-MM-DD
activity-show = Show activity
activity-clear-hidden = the filters
activity-caption = Activity in your account, newest first
activity-when = When (UTC)
activity-what = What happened
activity-about = Person
activity-who = Done by
activity-details = Before and after
activity-from-ip = from { $ip }
activity-via-token = through the API token { $token }
activity-before = Before
activity-after = After
activity-plan = Plan: { $plan }
activity-owner = Owner: { $email }
activity-two-factor-required = Two-factor authentication required
activity-two-factor-optional = Two-factor authentication not required
activity-no-access = No access
activity-by-link = Someone with the invitation link
activity-by-service = The service, on the date set
activity-nothing-yet = Nothing has happened yet. Invitations, changes of access and plan changes will be listed here.
activity-none-match = No activity matches these filters.
activity-pages = Pages of activity
activity-newer = Newer
activity-older = Older
activity-page = Page { $page }
action-invitation-sent = Invitation sent
action-invitation-resent = Invitation re-sent
action-access-edited = Access edited
action-access-deleted = Access deleted
action-invitation-accepted = Invitation accepted
action-invitation-declined = Invitation declined
action-accept-refused-wrong-person = Refused: signed in as someone else
action-accept-refused-expired = Refused: the link had expired
action-accept-refused-used = Refused: the link was already used
action-plan-changed = Plan changed
action-access-expired = Access ended on its date
action-ownership-transferred = Ownership transferred
action-two-factor-requirement-changed = Two-factor requirement changed

## Access that ends on a date
form-access-ends-heading = End this access on a date (optional)
form-access-ends-on = Access ends on
form-access-ends-on-hint = Leave it empty for access that does not end. They can work through that day (UTC), are emailed a week before, and lose access after it.
share-until = until { $date }
activity-until = Until { $date }

## Invite several people at once
batch-link = Invite several people at once
batch-title = Invite several people
batch-send = Send invitations
batch-addresses = Email addresses
batch-addresses-hint = Up to { $max }, one per line or separated by commas or semicolons. Everyone gets the same access.
batch-no-address = Enter the email addresses of the people to invite.
batch-too-many = You can invite up to { $max } people at once; this list has { $count }. Send the rest in another batch.
batch-result-title = Invitations
batch-summary = { $invited ->
    [one] 1 of { $count } addresses invited.
   *[other] { $invited } of { $count } addresses invited.
}
batch-result-caption = What happened to each address, in the order given
batch-address = Email address
batch-result = Result
batch-invited = Invited
batch-listed-twice = Listed twice: invited once at most
batch-own-address = Your own address: you already own every account
batch-already-has-access = Already has access, or an invitation: use Manage on the sharing page
batch-over-limit = Not invited: { $reason }
batch-not-invited-title = Not invited
batch-not-invited-lead = These addresses can be copied into another batch once what stood in the way is fixed.
batch-back = Back to Share your account
batch-again = Invite more people

## Ownership transfer
share-transfer = Transfer ownership of this account
transfer-title = Transfer ownership
transfer-lead = Give this account, with its plan, its sub-accounts and everyone's access, to someone who already works in it. You stay on as Manager of every account.
transfer-pending = Waiting for { $email } to accept, until { $until }. Nothing changes until they do.
transfer-cancel = Cancel the transfer
transfer-heading = Choose the new owner
transfer-other-heading = Offer it to someone else instead
transfer-rule-active = They must have accepted their invitation (status Active).
transfer-rule-own-account = They must have an account of their own. Someone with an access-only login can set one up from My account, then you can try again.
transfer-rule-after = They have 72 hours to accept. Until then you can cancel, and nothing changes.
transfer-email = Email address of the new owner
transfer-email-hint = As it appears on Share your account.
transfer-password-hint = Your own password, to confirm it is you.
transfer-send = Offer ownership
transfer-not-a-member = { $email } has no access to this account. Invite them first; once they accept, they can take it over.
transfer-not-active = { $email } has not accepted their invitation yet. Once they do, they can take the account over.
transfer-access-only = { $email } uses an access-only login: it can only work inside accounts shared with it, so it cannot own one. Ask them to choose “Set up an account of your own” in My account, then offer the ownership again.
flash-transfer-offered = Ownership offered to { $email }. They have 72 hours to accept.
flash-transfer-cancelled = The transfer is cancelled. You still own the account.
share-sub-accounts = Your { $count ->
    [one] sub-account
   *[other] { $count } sub-accounts
}: create, rename and share
share-create-sub-accounts = Create sub-accounts, to share a brand, country or use apart
check-recipients = { $count ->
    [one] For { $who }:
   *[other] For these { $count } people, each the same: { $who }
}
check-update = Check again with my changes
quota-leaves-out = Not counting { $email }, whose access you are editing: whatever you choose here is counted once you update it.

## What each role opens, from the permission vocabulary
opens = Opens: { $areas }.
opens-area-with = { $area } ({ $actions })
opens-ticked = Opens the areas you tick, each with everything in it.
action-send = send campaigns
action-templates-publish = publish templates
action-templates-lock = lock sections
action-labels = labels
action-alerts = monitoring alerts
action-plan = plan details
action-prepaid = prepaid account and deposits
action-invoices = past invoices
action-api-keys = API keys
action-settings = settings

## Share your account → Webhooks (INTEGRATION.md S17)

webhooks-title = Webhooks
webhooks-lead = A webhook tells your systems of each change to who has access, as it happens: we send a signed POST to each address you add here.
webhooks-none = You have no webhooks.
webhooks-yours = Your webhook addresses
webhooks-url = Address (URL)
webhooks-url-hint = An https:// address of yours that accepts POST requests.
webhooks-failed-count = Failed deliveries
webhooks-log = Delivery log
webhooks-delete = Delete
webhooks-add = Add a webhook
webhooks-add-button = Add webhook
webhooks-events = Events sent
webhooks-how-signed = Each request carries the headers webhook-id, webhook-timestamp and webhook-signature (Standard Webhooks 1.0): check the signature with the secret shown when you add the address.
webhooks-url-empty = Enter the address to send events to
webhooks-url-malformed = Enter a full address such as https://hooks.example.com/sharing, without a user name or a #fragment
webhooks-url-https = The address must start with https://
webhooks-url-private = This address is, or leads to, a private or internal network: use a public address
webhooks-url-unresolved = This address's host name cannot be found: check its spelling
webhooks-too-many = You have { $limit } webhooks, the most an account can have. Delete one first.
webhooks-added-title = Webhook added
webhooks-copy-now = Copy the signing secret now: this is the only time it is shown.
webhooks-secret-why = Your receiver uses it to check that each request comes from us.
webhooks-secret = Signing secret
webhooks-copy = Copy the secret
webhooks-back = Back to Webhooks
webhooks-log-title = Delivery log
webhooks-log-caption = The newest deliveries to this address, newest first
webhooks-no-deliveries = Nothing has been sent to this address yet.
webhooks-event = Event
webhooks-status = Status
webhooks-attempts = Attempts
webhooks-last = Last answer
webhooks-answered = answered { $status }
webhooks-delivered = Delivered
webhooks-failed = Failed
webhooks-pending = Being sent
webhooks-resend = Re-send
webhooks-flash-resent = The delivery is being sent again, with the same webhook-id.
webhooks-delete-title = Delete this webhook?
webhooks-delete-consequence = We stop sending events to this address at once, and its delivery log is deleted.
webhooks-delete-button = Delete webhook
webhooks-flash-deleted = The webhook is deleted.
webhooks-error-refused = not sent: the address leads to a private or internal network
webhooks-error-timeout = no answer within 10 seconds
webhooks-error-connect = could not connect
webhooks-error-other = could not be sent

## Requiring two-factor authentication (/sharing/security)

share-security = Two-factor authentication
tfa-require-title = Two-factor authentication for your accounts
tfa-require-lead = Require everyone you share your accounts with to sign in with a second factor: a password alone, once guessed or leaked, then opens nothing.
tfa-require-now = Now
tfa-required = Required
tfa-not-required = Not required
tfa-required-since = since { $date }
tfa-require-people = People with access
tfa-require-without = { $without } of { $members } have no second factor
tfa-require-legend = Your setting
tfa-require-box = Require two-factor authentication for everyone with access to my accounts
tfa-require-hint = People without it are asked to set it up on their next visit to your accounts, and can do nothing there until they have. Their API tokens and the email platform refuse them meanwhile.
tfa-require-save = Save setting
tfa-require-own-first = Set up two-factor authentication for your own login first, then require it of others
tfa-require-own-first-body = You have not set up two-factor authentication for your own login yet. Set it up before you require it of others.
flash-tfa-required = Two-factor authentication is now required for everyone with access to your accounts.
flash-tfa-not-required = Two-factor authentication is no longer required for your accounts.
tfa-column = Two-factor
tfa-has = Two-factor on
tfa-has-not = No two-factor

# SCIM provisioning (issue 22)
share-provisioning = Provisioning (SCIM)
scim-title = Provisioning with SCIM
scim-lead = Let your identity provider (Okta, Microsoft Entra ID, JumpCloud, Keycloak and others) add and remove the people with access to your accounts. A person it adds is invited with the access below; a person it deactivates or removes loses their access at once.
scim-endpoint = SCIM base URL
scim-users = People provisioned
scim-users-count = { $count ->
    [one] 1 person, provisioned or deactivated
   *[other] { $count } people, provisioned or deactivated
}
scim-default-access = Access given to provisioned people
scim-default-access-lead = Everyone your identity provider adds gets this role. It counts against your plan's seats like any invitation; a role your plan does not include is refused when the person is added.
scim-role = Role
scim-choose = Choose a role
scim-all-sub-accounts = Also on every sub-account
scim-all-sub-accounts-hint = The same role on each sub-account where it opens something, as they are when each person is added.
scim-save = Save access
scim-choose-role = Choose the role provisioned people get
scim-flash-saved = The access given to provisioned people is saved.
scim-tokens = SCIM tokens
scim-no-tokens = No token yet. Make one and give it to your identity provider with the base URL above.
scim-tokens-caption = Tokens your identity provider can use
scim-created = Created
scim-never-used = Never
scim-token-name-hint = Which provider it is for, for example “Okta”.
scim-create-token = Make a SCIM token
scim-choose-access-first = Save the access given to provisioned people first; then you can make a token.
scim-too-many = You can have at most { $limit } SCIM tokens: revoke one first
scim-back = Back to Share your account
scim-how-to-use = In your identity provider's SCIM settings, enter:
scim-auth = Authentication
scim-auth-bearer = HTTP header, Bearer token: the token above
scim-back-to-provisioning = Back to Provisioning
scim-revoke-consequence = Your identity provider's next request with it is refused: people are no longer added or removed until you give it a new token. Nobody loses access because of this.
scim-flash-revoked = The SCIM token “{ $name }” is revoked.
scim-groups = Groups
scim-groups-lead = The groups your identity provider sends. Give a group an access: its members get it instead of the one above, and lose it when they leave the group. A person in several groups gets the access of the first by name.
scim-no-groups = No group yet: they appear here when your identity provider sends them.
scim-groups-caption = Your identity provider's groups
scim-group = Group
scim-group-members = Members
scim-group-access = Access
scim-group-default = The access above
scim-group-save = Save
scim-flash-group-mapped = The access of the group “{ $name }” is saved, and its members' accesses are updated.
