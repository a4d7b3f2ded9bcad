# Plans and their limits.

plan-free = Free
plan-essential = Essential
plan-bronze-premium = Bronze Premium
plan-crystal-premium = Crystal Premium
plan-silver-premium = Silver Premium
plan-gold-premium = Gold Premium
plan-platinum-premium = Platinum Premium
plan-diamond-premium = Diamond Premium
plan-enterprise = Enterprise
choose-plan = Select a plan
plan-summary = { $seats ->
        [0] Only you: no sharing on this plan
        [one] Share with 1 person
       *[other] Share with up to { $seats } people
    }, { $advanced ->
        [0] no advanced accesses
        [one] 1 advanced access
       *[other] { $advanced } advanced accesses
    }, up to { $sub_accounts } sub-accounts
flash-plan-changed = Your plan is now { $plan }.
reduce-people = Delete access for { $over } { $over ->
        [one] person
       *[other] people
    }: { $plan } lets you share with { $seats } { $seats ->
        [one] person
       *[other] people
    }.
reduce-advanced = Move { $over } { $over ->
        [one] person
       *[other] people
    } from Developer, Marketer, Designer or Custom to Manager or Accountant, or remove their access: { $plan } has { $advanced } advanced { $advanced ->
        [one] access
       *[other] accesses
    }.

## The plan page

plan-title = Your plan
plan-reduce-title = Reduce your sharing first
plan-reduce-lead = Your sharing does not fit the plan you chose. Before you can change plan:
plan-premium-people = People with an advanced access: { $emails }.
plan-make-changes = Make these changes on the sharing page:
plan-you-are-on = You are on { $plan }.
plan-you-share = You share with { $people } { $people ->
        [one] person
       *[other] people
    }, { $advanced } of them with an advanced access.
plan-choose = Choose a plan
plan-yours = (your plan)
plan-billing-note = Billing itself is handled by the email platform; this changes your sharing limits.
downgrade-title = Advanced restrictions and { $plan }
downgrade-heading = { $plan } has no advanced restrictions
downgrade-body = { $people } { $people ->
        [one] person has
       *[other] people have
    } advanced restrictions on templates, labels or locked sections. { $plan } cannot keep them.
downgrade-anyway = Downgrade anyway
downgrade-anyway-what = : the restrictions are removed, so these people get full template rights (drafts and publishing, labels, locked sections). Everyone keeps their role.
downgrade-review = Review permissions
downgrade-review-what = : go to the sharing page to change their access first; then come back to change plan.
