# Pläne und ihre Grenzen.

plan-free = Free
plan-essential = Essential
plan-bronze-premium = Bronze Premium
plan-crystal-premium = Kristall Premium
plan-silver-premium = Silber Premium
plan-gold-premium = Gold Premium
plan-platinum-premium = Platin Premium
plan-diamond-premium = Diamant Premium
plan-enterprise = Enterprise
choose-plan = Wählen Sie einen Plan
plan-summary = { $seats ->
        [0] Keine freigegebenen Benutzer
        [one] Freigabe für 1 Person
       *[other] Freigabe für bis zu { $seats } Personen
    }, { $advanced ->
        [0] keine erweiterten Zugriffe
        [one] 1 erweiterter Zugriff
       *[other] { $advanced } erweiterte Zugriffe
    }
flash-plan-changed = Ihr Plan ist jetzt { $plan }.
reduce-people = Löschen Sie den Zugriff für { $over } { $over ->
        [one] Person
       *[other] Personen
    }: { $plan } erlaubt die Freigabe für { $seats } { $seats ->
        [one] Person
       *[other] Personen
    }.
reduce-advanced = Stellen Sie { $over } { $over ->
        [one] Person
       *[other] Personen
    } von Entwickler, Vermarkter, Designer oder Benutzerdefiniert auf Manager oder Buchhalter um, oder entfernen Sie ihren Zugriff: { $plan } hat { $advanced ->
        [one] 1 erweiterten Zugriff
       *[other] { $advanced } erweiterte Zugriffe
    }.
