# Pläne und ihre Grenzen.

plan-free = Free
plan-essential = Essential
plan-bronze-premium = Bronze Premium
plan-crystal-premium = Crystal Premium
plan-silver-premium = Silver Premium
plan-gold-premium = Gold Premium
plan-platinum-premium = Platinum Premium
plan-diamond-premium = Diamond Premium
plan-enterprise = Enterprise
choose-plan = Wählen Sie einen Plan
plan-summary = { $seats ->
        [0] Nur Sie: keine Freigabe in diesem Plan
        [one] Freigabe für 1 Person
       *[other] Freigabe für bis zu { $seats } Personen
    }, { $advanced ->
        [0] keine erweiterten Zugriffe
        [one] 1 erweiterter Zugriff
       *[other] { $advanced } erweiterte Zugriffe
    }, bis zu { $sub_accounts } Unterkonten
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

## Die Planseite

plan-title = Ihr Plan
plan-reduce-title = Reduzieren Sie zuerst Ihre Freigaben
plan-reduce-lead = Ihre Freigaben passen nicht in den gewählten Plan. Bevor Sie den Plan wechseln können:
plan-premium-people = Personen mit erweitertem Zugriff: { $emails }.
plan-make-changes = Nehmen Sie diese Änderungen auf der Freigabeseite vor:
plan-you-are-on = Ihr Plan ist { $plan }.
plan-you-share = Sie geben Ihr Konto für { $people } { $people ->
        [one] Person
       *[other] Personen
    } frei, davon { $advanced } mit erweitertem Zugriff.
plan-choose = Plan wählen
plan-yours = (Ihr Plan)
plan-billing-note = Die Abrechnung selbst übernimmt die E-Mail-Plattform; hier ändern Sie Ihre Freigabegrenzen.
downgrade-title = Erweiterte Einschränkungen und { $plan }
downgrade-heading = { $plan } hat keine erweiterten Einschränkungen
downgrade-body = { $people } { $people ->
        [one] Person hat
       *[other] Personen haben
    } erweiterte Einschränkungen für Vorlagen, Labels oder gesperrte Abschnitte. { $plan } kann sie nicht behalten.
downgrade-anyway = Trotzdem herabstufen
downgrade-anyway-what = : Die Einschränkungen werden entfernt, diese Personen erhalten also volle Rechte an Vorlagen (Entwürfe und Veröffentlichung, Labels, gesperrte Abschnitte). Alle behalten ihre Rolle.
downgrade-review = Berechtigungen prüfen
downgrade-review-what = : Ändern Sie zuerst auf der Freigabeseite deren Zugriff; kommen Sie dann zurück, um den Plan zu wechseln.
