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
        [0] No shared users
        [one] Share with 1 person
       *[other] Share with up to { $seats } people
    }, { $advanced ->
        [0] no advanced accesses
        [one] 1 advanced access
       *[other] { $advanced } advanced accesses
    }
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
