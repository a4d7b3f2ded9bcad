# Freigabe: Rollen und Bereiche, die Freigabeseite, das Zugriffsformular (Einladen und Bearbeiten).

role-manager = Manager
role-accountant = Buchhalter
role-developer = Entwickler
role-marketer = Vermarkter
role-designer = Designer
role-custom = Benutzerdefiniert

role-hint-manager = Alles außer der Kontofreigabe
role-hint-accountant = Plandetails, Prepaid-Konto und Einzahlungen, frühere Rechnungen (nur Masterkonto)
role-hint-developer = API-Zugangsdaten, Transaktionsvorlagen und Echtzeitüberwachung; kann Transaktionsvorlagen veröffentlichen und ihre Abschnitte sperren
role-hint-marketer = Kontakte, Kampagnen und Automatisierungs-Workflows; kann Änderungen an Transaktionsvorlagen vorschlagen, aber nicht veröffentlichen
role-hint-designer = Nur Vorlagen: kann Änderungen vorschlagen, ohne sie zu veröffentlichen, und Abschnitte sperren
role-hint-custom = Wählen Sie die Bereiche einzeln

area-campaigns = Kampagnen
area-transactional = Transaktional
area-email-automation = E-Mail-Automatisierung
area-contacts = Kontakte
area-statistics = Statistiken
area-billing = Abrechnung
area-account-management = Kontoverwaltung

area-summary-campaigns = Marketingkampagnen erstellen, gestalten und versenden und ihre Vorlagen verwalten.
area-summary-transactional = Vorlagen und Einstellungen der Nachrichten, die Ihre Anwendungen senden.
area-summary-email-automation = Automatisierungs-Workflows, die nach Zeitplan oder bei Ereignissen senden.
area-summary-contacts = Kontaktlisten, ihre Eigenschaften und Segmente.
area-summary-statistics = Zustellstatistiken und Echtzeitüberwachung mit Warnmeldungen.
area-summary-billing = Details zum aktuellen Plan, Prepaid-Konto und Einzahlungen, frühere Rechnungen.
area-summary-account-management = Kontoeinstellungen, API-Schlüssel und Unterkonten.

restriction-drafts-only = Kann nur Vorlagenentwürfe bearbeiten, sie aber nicht in der Galerie veröffentlichen
restriction-no-labels = Kann keine Labels erstellen, bearbeiten oder löschen
restriction-no-section-locking = Kann keine Abschnitte in Vorlagen sperren oder entsperren
restriction-short-drafts-only = nur Entwürfe, keine Veröffentlichung
restriction-short-no-labels = keine Labels
restriction-short-no-section-locking = keine Abschnittssperre

master-account = Masterkonto

access-custom = { $role } ({ $areas })
list-separator = {", "}
list-two = { $first } und { $second }

scope-all-accounts = für { $count ->
        [one] das Konto
       *[other] alle { $count } Konten
    }
scope-master = für das Masterkonto
scope-master-and-names = für das Masterkonto und { $names }
scope-master-and-subs = für das Masterkonto und { $count } Unterkonten
scope-all-subs = für { $count ->
        [one] das Unterkonto
       *[other] alle { $count } Unterkonten
    }
scope-names = für { $names }
scope-subs = für { $count } Unterkonten

select-account-to-add = Wählen Sie ein Konto zum Hinzufügen
select-role-to-copy = Wählen Sie die Rolle, deren Berechtigungen übernommen werden sollen
add-an-account = Fügen Sie mindestens ein Konto zum Freigeben hinzu
inviting-yourself = Das ist Ihre eigene Adresse: Dieses Konto gehört bereits Ihnen
no-sharing-on-plan = Ihr Plan umfasst keine Kontofreigabe: Wechseln Sie auf einen höheren Plan, um Personen einzuladen
select-role-for-master = Wählen Sie eine Rolle für das Masterkonto
select-role-for = Wählen Sie eine Rolle für { $account }
select-areas-for = Wählen Sie mindestens einen Bereich für { $account }
role-empty-on = { $role } gibt Zugriff auf die Abrechnung, die nur das Masterkonto hat: Wählen Sie eine andere Rolle für { $account }
already-has-access = { $email } hat bereits Zugriff auf Ihr Konto: Ändern Sie ihn auf der Freigabeseite unter Verwalten → Bearbeiten
seats-full = Ihr Plan erlaubt die Freigabe für { $limit } Personen, und alle Plätze sind belegt: Löschen Sie einen Zugriff oder wechseln Sie auf einen höheren Plan
role-needs-advanced-plan = Die Rolle { $role } benötigt einen Plan mit erweiterten Zugriffen (Crystal Premium oder höher)
advanced-accesses-full = Alle { $limit } erweiterten Zugriffe Ihres Plans sind belegt: Wählen Sie Manager oder Buchhalter, geben Sie einen erweiterten Zugriff frei, oder wechseln Sie auf einen höheren Plan
copy-needs-custom = „Alle nach unten kopieren“ kopiert die benutzerdefinierten Bereiche des Masterkontos: Wählen Sie Benutzerdefiniert für das Masterkonto, oder entfernen Sie das Häkchen bei „Alle nach unten kopieren“
copy-leaves-nothing = Markieren Sie mindestens einen Bereich außer der Abrechnung zum Kopieren (Unterkonten haben keine Abrechnung), oder entfernen Sie das Häkchen bei „Alle nach unten kopieren“
roles-updated = Rollen aktualisiert. Markieren Sie die Bereiche jedes Kontos mit der Rolle Benutzerdefiniert.

delivery-queued = Einladungs-E-Mail wird gesendet
delivery-sent = Einladungs-E-Mail gesendet
delivery-failed = Die Einladungs-E-Mail konnte nicht zugestellt werden: Prüfen Sie die Adresse und senden Sie sie erneut
never = Nie

status-owner = Inhaber
status-pending = Ausstehend
status-active = Aktiv
status-expired = Abgelaufen

showing-only-you = Nur Sie entsprechen der Suche.
showing-nobody = Niemand entspricht der Suche.
showing-people = { $first } bis { $last } von { $matching } { $matching ->
        [one] Person
       *[other] Personen
    }.
showing-people-besides-you = { $first } bis { $last } von { $matching } { $matching ->
        [one] Person
       *[other] Personen
    }, außer Ihnen.

flash-invited = Einladung an { $email } gesendet.
flash-updated = Zugriff für { $email } aktualisiert.
flash-deleted = Zugriff für { $email } gelöscht.
flash-resent = Einladung erneut an { $email } versendet. Nur der Link in der neuen E-Mail funktioniert.
flash-already-accepted = { $email } hat die Einladung bereits angenommen: Es gibt nichts erneut zu senden.

invite-user = Benutzer einladen
send-invitation = Einladung senden
update-access = Zugriff aktualisieren
check-before-sending = Vor dem Senden prüfen
check-before-updating = Vor dem Aktualisieren prüfen
edit-access-heading = Zugriff für { $email } bearbeiten

role-option-advanced = { $role } (erweiterter Zugriff)
role-option-none-left = { $role } (kein erweiterter Zugriff mehr frei)
role-option-not-on-plan = { $role } (nicht in Ihrem Plan)

premium-what = Entwickler, Vermarkter, Designer und Benutzerdefiniert belegen je Person 1 erweiterten Zugriff, unabhängig von der Zahl der Konten.
premium-available = { premium-what } { $used } von { $limit } Ihres Plans belegt.
premium-not-on-plan = { premium-what } Ihr Plan hat keine erweiterten Zugriffe: Wechseln Sie den Plan, um diese Rollen zu nutzen.
premium-none-left = { premium-what } Alle { $limit } erweiterten Zugriffe Ihres Plans sind belegt: Geben Sie einen frei, oder wechseln Sie den Plan.

following-master = Folgt dem Masterkonto (Alle nach unten kopieren): { $areas }.
followers-line = { $count ->
    [one] Folgt dem Masterkonto (Alle nach unten kopieren): { $accounts }.
   *[other] Folgen dem Masterkonto (Alle nach unten kopieren), diese { $count } Unterkonten: { $accounts }.
}
account-added = { $account } hinzugefügt: Wählen Sie eine Rolle dafür.
accounts-added = { $count } Unterkonten hinzugefügt: Wählen Sie für jedes eine Rolle.
account-removed = { $account } aus der Liste entfernt.
same-as-applied = Die Bereiche von { $role } sind für { $account } markiert.
areas-unchecked = Alle Bereiche sind für { $account } abgewählt.

copied = Vom Masterkonto { $count ->
        [one] auf das Unterkonto
       *[other] auf die { $count } Unterkonten
    } unten kopiert: { $areas }.
copied-no-billing = Die Abrechnung wird nicht kopiert: Unterkonten haben keine.
copied-restrictions = Auch die Einschränkungen werden kopiert: { $restrictions }.
advanced-access-check = Dies belegt 1 erweiterten Zugriff. Danach sind noch { $remaining } von { $limit } erweiterten Zugriffen Ihres Plans frei.

## Die Freigabeseite

share-title = Konto freigeben
share-lead = Geben Sie Kollegen, Agenturen und Kunden einen eigenen Zugriff auf Ihr Konto und Ihre Unterkonten. Sie können ihn jederzeit ändern oder löschen.
share-unverified = Bestätigen Sie Ihre E-Mail-Adresse, um Ihr Konto freizugeben: Einladungen gehen in Ihrem Namen hinaus und warten daher, bis wir wissen, dass { $email } Ihnen gehört. Öffnen Sie den Link, den wir Ihnen gesendet haben, oder senden Sie ihn erneut.
share-send-link-again = Link erneut senden
share-plan-full = Alle Plätze Ihres Plans sind belegt: Er erlaubt die Freigabe für { $seats } Personen. Um jemand anderen einzuladen, löschen Sie einen Zugriff oder wechseln Sie den Plan.
share-change-plan-link = Plan wechseln
share-no-sharing = Ihr Plan umfasst keine Freigabe. Wechseln Sie den Plan, um Kollegen, Agenturen oder Kunden einzuladen.
share-filters-label = Benutzer
share-search = Nach E-Mail oder Name suchen
share-status = Status
share-any-status = Alle Status
share-role = Rolle
share-any-role = Alle Rollen
share-show-people = Anzeigen
share-clear = Zurücksetzen
share-clear-hidden = Suche und Filter
share-caption = Benutzer mit Zugriff auf Ihr Konto
share-person = Benutzer
share-access = Zugriff
share-last-sign-in = Letzte Anmeldung
share-manage = Verwalten
share-manage-hidden = Zugriff von { $email }
share-owner-of-all = Inhaber aller Konten
share-restricted = Eingeschränkt: { $restrictions }
share-all-accounts = { $count ->
    [one] Welches Konto
   *[other] Welche { $count } Konten
}
share-all-accounts-hidden = für { $email }
share-edit = Bearbeiten
share-edit-hidden = Zugriff von { $email }
share-delete = Zugriff löschen
share-delete-hidden = von { $email }
share-resend = Einladung erneut versenden
share-resend-hidden = an { $email }
share-nobody-yet = Noch hat niemand sonst Zugriff.
share-nobody-yet-invite = Wählen Sie „Benutzer einladen“, um Ihr Konto freizugeben.
share-pages = Seiten der Benutzerliste
share-previous = Zurück
share-next = Weiter
share-page-hidden = Seite
share-page-of = Seite { $page } von { $pages }
quota-label = Die Freigabegrenzen Ihres Plans
quota-people = Benutzer:
quota-advanced = Erweiterte Zugriffe:
quota-used = { $used } von { $limit } belegt
quota-kept-over = { $used } aus einem früheren Plan behalten, der mehr als die { $limit } Ihres Plans hatte. Diese Personen behalten, was sie hatten; einen erweiterten Zugriff für jemand anderen gibt es erst mit einem Plan, in dem einer frei ist.
quota-change-plan = Plan wechseln

## Das Zugriffsformular (Einladen und Bearbeiten)

form-back-to-form = Zurück zum Formular
form-email-hint = Die Person, für die Sie Ihr Konto freigeben möchten.
form-accounts-and-roles = Konten und Rollen
form-what-roles-open = Was jede Rolle öffnet
form-uses-advanced = belegt 1 erweiterten Zugriff
form-add-each-account = Fügen Sie jedes Konto hinzu, das diese Person nutzen darf, und wählen Sie dann für jedes eine Rolle.
form-table-caption = Die Konten, die diese Person nutzen darf, mit einer Rolle für jedes
form-add-each-account-many = Fügen Sie jedes Konto hinzu, das diese Personen nutzen dürfen, und wählen Sie dann für jedes eine Rolle: Jede Adresse erhält denselben Zugriff.
form-table-caption-many = Die Konten, die diese Personen nutzen dürfen, mit einer Rolle für jedes
form-no-sub-accounts = Sie haben noch keine Unterkonten. Mit Unterkonten geben Sie eine Marke, ein Land oder einen Zweck getrennt vom Rest frei.
form-create-sub-account = Unterkonto anlegen
form-account = Konto
form-remove = Entfernen
form-role-for = Rolle für { $account }
form-choose-role = Rolle wählen
form-remove-account = { $account } entfernen
form-no-account-yet = Noch kein Konto: Fügen Sie unten eines hinzu.
form-every-account-listed = Alle Ihre Konten stehen in der Liste.
form-add-an-account = Konto hinzufügen
form-choose-account = Konto wählen
form-all-sub-accounts = Alle Unterkonten ({ $count })
form-add = Hinzufügen
form-add-hidden = Konto
form-update-roles = Rollen aktualisieren
form-update-roles-hint = Nachdem Sie für ein Konto Benutzerdefiniert gewählt oder „Alle nach unten kopieren“ markiert haben, zeigt diese Schaltfläche die Kästchen zum Markieren.
custom-legend = Benutzerdefinierte Berechtigungen für
custom-areas-for = Bereiche für
custom-select-all = Markieren Sie alles Zutreffende.
custom-same-as = Dieselben Berechtigungen aktivieren wie
custom-for = für
custom-to = auf
custom-apply = Übernehmen
custom-uncheck-all = Alle abwählen
custom-copy-to-all = Alle nach unten kopieren
custom-copy-hint = Solange markiert, erhält jedes Unterkonto unten dieselben Bereiche und Einschränkungen, außer der Abrechnung, die Unterkonten nicht haben.
restrictions-summary = Erweiterte Einschränkungen
restrictions-optional = (optional)
restrictions-hint = Begrenzt, was diese Person mit Vorlagen tun kann. Markieren Sie alles Zutreffende.

## Zugriff löschen, und Einladen, wenn es nicht geht

delete-title = Zugriff für { $email } löschen
delete-heading = Möchten Sie den Zugriff für { $email } wirklich löschen?
delete-pending = { $email } hat die Einladung noch nicht angenommen. Der Link in der Einladungs-E-Mail funktioniert sofort nicht mehr.
delete-active = { $email } erreicht ab dem nächsten Klick keines Ihrer Konten mehr. Der Login bleibt bestehen: Er gehört der Person selbst.
delete-invite-again = Sie können die Person später erneut einladen.
cannot-no-sharing-title = Ihr Plan umfasst keine Freigabe
cannot-full-title = Alle Plätze Ihres Plans sind belegt
cannot-unverified = Einladungen gehen in Ihrem Namen hinaus und warten daher, bis wir wissen, dass { $email } Ihnen gehört. Öffnen Sie den Link, den wir Ihnen gesendet haben, oder senden Sie ihn erneut.
cannot-back = Zurück zu „Konto freigeben“
cannot-no-sharing = Um Ihr Konto für Kollegen, Agenturen oder Kunden freizugeben, wählen Sie einen Plan mit freigegebenen Benutzern.
cannot-full = Ihr Plan erlaubt die Freigabe für { $seats } Personen, und alle haben Zugriff oder eine ausstehende Einladung. Löschen Sie einen Zugriff oder wechseln Sie den Plan, um jemand anderen einzuladen.
js-copy-on = Jedes Unterkonto unten folgt jetzt den Bereichen des Masterkontos.
js-copy-off = Jedes Unterkonto lässt sich wieder einzeln einstellen.
share-last-activity = Letzte Aktivität
share-sort-by-activity = (nach der neuesten sortieren)
share-sorted-by-activity = (neueste zuerst; in der Reihenfolge der Einladung anzeigen)
share-export = Als Tabelle herunterladen (CSV)
csv-email = E-Mail-Adresse
csv-name = Name
csv-status = Status
csv-account = Konto
csv-role = Rolle
csv-areas = Bereiche
csv-restrictions = Einschränkungen
csv-invited-at = Eingeladen am (UTC)
csv-accepted-at = Angenommen am (UTC)
csv-last-sign-in = Letzte Anmeldung (UTC)
csv-last-activity = Letzte Aktivität (UTC)
csv-access-ends = Zugriff endet
csv-two-factor = Zwei-Faktor-Authentifizierung
csv-yes = Ja
csv-no = Nein

## Aktivität: das Prüfprotokoll
share-activity = Aktivität: wer was wann geändert hat
activity-title = Aktivität
activity-back = Zurück zu „Konto freigeben“
activity-lead = Jede Änderung daran, wer Ihre Konten nutzen kann, jeder Planwechsel und jede abgewiesene Verwendung eines Einladungslinks, die neuesten zuerst. Einträge kommen nur hinzu: Niemand kann sie ändern oder löschen.
activity-filters-label = Aktivität
activity-person = Nach E-Mail oder Name suchen
activity-action = Was geschah
activity-any-action = Alles
activity-any-refusal = Jeder abgewiesene Link
activity-from = Von
activity-to = Bis
activity-date-placeholder = JJJJ-MM-TT
activity-show = Aktivität anzeigen
activity-clear-hidden = die Filter
activity-caption = Aktivität in Ihrem Konto, die neueste zuerst
activity-when = Wann (UTC)
activity-what = Was geschah
activity-about = Person
activity-who = Ausgeführt von
activity-details = Vorher und nachher
activity-from-ip = von { $ip }
activity-via-token = über das API-Token { $token }
activity-before = Vorher
activity-after = Nachher
activity-plan = Plan: { $plan }
activity-owner = Inhaber: { $email }
activity-two-factor-required = Zwei-Faktor-Authentifizierung verlangt
activity-two-factor-optional = Zwei-Faktor-Authentifizierung nicht verlangt
activity-no-access = Kein Zugriff
activity-by-link = Jemand mit dem Einladungslink
activity-by-service = Der Dienst, zum festgelegten Datum
activity-nothing-yet = Bisher ist nichts geschehen. Einladungen, Zugriffsänderungen und Planwechsel erscheinen hier.
activity-none-match = Keine Aktivität passt zu diesen Filtern.
activity-pages = Seiten der Aktivität
activity-newer = Neuere
activity-older = Ältere
activity-page = Seite { $page }
action-invitation-sent = Einladung versendet
action-invitation-resent = Einladung erneut versendet
action-access-edited = Zugriff bearbeitet
action-access-deleted = Zugriff gelöscht
action-invitation-accepted = Einladung angenommen
action-invitation-declined = Einladung abgelehnt
action-accept-refused-wrong-person = Abgewiesen: mit einer anderen Adresse angemeldet
action-accept-refused-expired = Abgewiesen: der Link war abgelaufen
action-accept-refused-used = Abgewiesen: der Link war schon benutzt
action-plan-changed = Plan geändert
action-access-expired = Zugriff zum festgelegten Datum beendet
action-ownership-transferred = Inhaberschaft übertragen
action-two-factor-requirement-changed = Zwei-Faktor-Pflicht geändert

## Zugriff, der an einem Datum endet
form-access-ends-heading = Diesen Zugriff an einem Datum beenden (optional)
form-access-ends-on = Zugriff endet am
form-access-ends-on-hint = Lassen Sie das Feld leer für einen Zugriff ohne Ende. Die Person kann bis zum Ende dieses Tages (UTC) arbeiten, erhält eine Woche vorher eine E-Mail und verliert den Zugriff danach.
share-until = bis { $date }
activity-until = Bis { $date }

## Mehrere Personen auf einmal einladen
batch-link = Mehrere Personen auf einmal einladen
batch-title = Mehrere Personen einladen
batch-send = Einladungen versenden
batch-addresses = E-Mail-Adressen
batch-addresses-hint = Bis zu { $max }, eine pro Zeile oder durch Kommas oder Semikolons getrennt. Alle erhalten denselben Zugriff.
batch-no-address = Geben Sie die E-Mail-Adressen der Personen ein, die Sie einladen möchten.
batch-too-many = Sie können bis zu { $max } Personen auf einmal einladen; diese Liste hat { $count }. Senden Sie die übrigen in einem weiteren Durchgang.
batch-result-title = Einladungen
batch-summary = { $invited ->
    [one] { $invited } von { $count } Adressen eingeladen.
   *[other] { $invited } von { $count } Adressen eingeladen.
}
batch-result-caption = Was mit jeder Adresse geschah, in der angegebenen Reihenfolge
batch-address = E-Mail-Adresse
batch-result = Ergebnis
batch-invited = Eingeladen
batch-listed-twice = Zweimal angegeben: höchstens einmal eingeladen
batch-own-address = Ihre eigene Adresse: Ihnen gehören bereits alle Konten
batch-already-has-access = Hat bereits Zugriff oder eine Einladung: nutzen Sie „Verwalten“ auf der Freigabeseite
batch-over-limit = Nicht eingeladen: { $reason }
batch-not-invited-title = Nicht eingeladen
batch-not-invited-lead = Diese Adressen können Sie in einen weiteren Durchgang kopieren, sobald das Hindernis behoben ist.
batch-back = Zurück zu „Konto freigeben“
batch-again = Weitere Personen einladen

## Inhaberschaft übertragen
share-transfer = Inhaberschaft dieses Kontos übertragen
transfer-title = Inhaberschaft übertragen
transfer-lead = Übergeben Sie dieses Konto mit seinem Plan, seinen Unterkonten und den Zugriffen aller an eine Person, die bereits darin arbeitet. Sie bleiben Manager aller Konten.
transfer-pending = Warten auf die Annahme durch { $email }, bis { $until }. Bis dahin ändert sich nichts.
transfer-cancel = Übertragung abbrechen
transfer-heading = Neuen Inhaber wählen
transfer-other-heading = Stattdessen einer anderen Person anbieten
transfer-rule-active = Die Person muss ihre Einladung angenommen haben (Status Aktiv).
transfer-rule-own-account = Die Person muss ein eigenes Konto haben. Wer einen Login „Nur Zugriff“ hat, kann unter „Mein Konto“ eines einrichten; danach können Sie es erneut versuchen.
transfer-rule-after = Die Person hat 72 Stunden Zeit zum Annehmen. Bis dahin können Sie abbrechen, und nichts ändert sich.
transfer-email = E-Mail-Adresse des neuen Inhabers
transfer-email-hint = Wie sie unter „Konto freigeben“ steht.
transfer-password-hint = Ihr eigenes Passwort, zur Bestätigung, dass Sie es sind.
transfer-send = Inhaberschaft anbieten
transfer-not-a-member = { $email } hat keinen Zugriff auf dieses Konto. Laden Sie die Person zuerst ein; sobald sie annimmt, kann sie es übernehmen.
transfer-not-active = { $email } hat die Einladung noch nicht angenommen. Sobald das geschehen ist, kann die Person das Konto übernehmen.
transfer-access-only = { $email } verwendet einen Login „Nur Zugriff“: Er arbeitet nur in Konten, die mit ihm geteilt sind, und kann daher keines besitzen. Bitten Sie die Person, unter „Mein Konto“ „Ein eigenes Konto einrichten“ zu wählen, und bieten Sie die Inhaberschaft dann erneut an.
flash-transfer-offered = Inhaberschaft { $email } angeboten. Die Person hat 72 Stunden Zeit zum Annehmen.
flash-transfer-cancelled = Die Übertragung ist abgebrochen. Sie bleiben Inhaber des Kontos.
share-sub-accounts = { $count ->
    [one] Ihr Unterkonto
   *[other] Ihre { $count } Unterkonten
}: anlegen, umbenennen und freigeben
share-create-sub-accounts = Unterkonten anlegen, um eine Marke, ein Land oder einen Zweck getrennt freizugeben
check-recipients = { $count ->
    [one] Für { $who }:
   *[other] Für diese { $count } Personen, jeweils gleich: { $who }
}
check-update = Mit meinen Änderungen erneut prüfen
quota-leaves-out = Ohne { $email }, deren Zugriff Sie bearbeiten: Was Sie hier wählen, zählt, sobald Sie den Zugriff aktualisieren.

## What each role opens, from the permission vocabulary
opens = Öffnet: { $areas }.
opens-area-with = { $area } ({ $actions })
opens-ticked = Öffnet die markierten Bereiche, jeden mit allem, was darin ist.
action-send = Kampagnen senden
action-templates-publish = Vorlagen veröffentlichen
action-templates-lock = Abschnitte sperren
action-labels = Labels
action-alerts = Überwachungsalarme
action-plan = Plandetails
action-prepaid = Prepaid-Konto und Einzahlungen
action-invoices = frühere Rechnungen
action-api-keys = API-Schlüssel
action-settings = Einstellungen

## Konto freigeben → Webhooks (INTEGRATION.md S17)

webhooks-title = Webhooks
webhooks-lead = Ein Webhook meldet Ihren Systemen jede Änderung am Zugriff, sobald sie geschieht: Wir senden eine signierte POST-Anfrage an jede Adresse, die Sie hier hinzufügen.
webhooks-none = Sie haben keine Webhooks.
webhooks-yours = Ihre Webhook-Adressen
webhooks-url = Adresse (URL)
webhooks-url-hint = Eine https://-Adresse von Ihnen, die POST-Anfragen annimmt.
webhooks-failed-count = Fehlgeschlagene Zustellungen
webhooks-log = Zustellprotokoll
webhooks-delete = Löschen
webhooks-add = Webhook hinzufügen
webhooks-add-button = Webhook hinzufügen
webhooks-events = Gesendete Ereignisse
webhooks-how-signed = Jede Anfrage trägt die Header webhook-id, webhook-timestamp und webhook-signature (Standard Webhooks 1.0): Prüfen Sie die Signatur mit dem Geheimnis, das beim Hinzufügen der Adresse angezeigt wird.
webhooks-url-empty = Geben Sie die Adresse ein, an die Ereignisse gesendet werden
webhooks-url-malformed = Geben Sie eine vollständige Adresse wie https://hooks.example.com/sharing ein, ohne Benutzernamen und ohne #Fragment
webhooks-url-https = Die Adresse muss mit https:// beginnen
webhooks-url-private = Diese Adresse ist oder führt in ein privates oder internes Netz: Verwenden Sie eine öffentliche Adresse
webhooks-url-unresolved = Der Hostname dieser Adresse wird nicht gefunden: Prüfen Sie die Schreibweise
webhooks-too-many = Sie haben { $limit } Webhooks, das Höchste für ein Konto. Löschen Sie zuerst einen.
webhooks-added-title = Webhook hinzugefügt
webhooks-copy-now = Kopieren Sie das Signaturgeheimnis jetzt: Es wird nur dieses eine Mal angezeigt.
webhooks-secret-why = Ihr Empfänger prüft damit, dass jede Anfrage von uns kommt.
webhooks-secret = Signaturgeheimnis
webhooks-copy = Geheimnis kopieren
webhooks-back = Zurück zu den Webhooks
webhooks-log-title = Zustellprotokoll
webhooks-log-caption = Die neuesten Zustellungen an diese Adresse, die neueste zuerst
webhooks-no-deliveries = An diese Adresse wurde noch nichts gesendet.
webhooks-event = Ereignis
webhooks-status = Status
webhooks-attempts = Versuche
webhooks-last = Letzte Antwort
webhooks-answered = Antwort { $status }
webhooks-delivered = Zugestellt
webhooks-failed = Fehlgeschlagen
webhooks-pending = Wird gesendet
webhooks-resend = Erneut senden
webhooks-flash-resent = Die Zustellung wird erneut gesendet, mit derselben webhook-id.
webhooks-delete-title = Diesen Webhook löschen?
webhooks-delete-consequence = Wir senden sofort keine Ereignisse mehr an diese Adresse, und ihr Zustellprotokoll wird gelöscht.
webhooks-delete-button = Webhook löschen
webhooks-flash-deleted = Der Webhook ist gelöscht.
webhooks-error-refused = nicht gesendet: Die Adresse führt in ein privates oder internes Netz
webhooks-error-timeout = keine Antwort innerhalb von 10 Sekunden
webhooks-error-connect = keine Verbindung möglich
webhooks-error-other = konnte nicht gesendet werden

## Zwei-Faktor-Authentifizierung verlangen (/sharing/security)

share-security = Zwei-Faktor-Authentifizierung
tfa-require-title = Zwei-Faktor-Authentifizierung für Ihre Konten
tfa-require-lead = Verlangen Sie von allen, mit denen Sie Ihre Konten teilen, die Anmeldung mit einem zweiten Faktor: Ein Passwort allein öffnet dann nichts mehr, auch wenn es erraten oder bekannt wird.
tfa-require-now = Derzeit
tfa-required = Verlangt
tfa-not-required = Nicht verlangt
tfa-required-since = seit { $date }
tfa-require-people = Personen mit Zugang
tfa-require-without = { $without } von { $members } haben keinen zweiten Faktor
tfa-require-legend = Ihre Einstellung
tfa-require-box = Zwei-Faktor-Authentifizierung von allen mit Zugang zu meinen Konten verlangen
tfa-require-hint = Wer sie nicht hat, wird beim nächsten Besuch Ihrer Konten gebeten, sie einzurichten, und kann dort bis dahin nichts tun. Ihre API-Token und die E-Mail-Plattform weisen sie so lange ab.
tfa-require-save = Einstellung speichern
tfa-require-own-first = Richten Sie zuerst die Zwei-Faktor-Authentifizierung für Ihr eigenes Login ein und verlangen Sie sie dann von anderen
tfa-require-own-first-body = Sie haben die Zwei-Faktor-Authentifizierung für Ihr eigenes Login noch nicht eingerichtet. Richten Sie sie ein, bevor Sie sie von anderen verlangen.
flash-tfa-required = Die Zwei-Faktor-Authentifizierung ist jetzt für alle mit Zugang zu Ihren Konten Pflicht.
flash-tfa-not-required = Die Zwei-Faktor-Authentifizierung ist für Ihre Konten nicht mehr Pflicht.
tfa-column = Zwei-Faktor
tfa-has = Zwei-Faktor ein
tfa-has-not = Ohne Zwei-Faktor

# SCIM provisioning (issue 22)
share-provisioning = Bereitstellung (SCIM)
scim-title = Bereitstellung mit SCIM
scim-lead = Lassen Sie Ihren Identitätsanbieter (Okta, Microsoft Entra ID, JumpCloud, Keycloak und andere) die Personen mit Zugriff auf Ihre Konten hinzufügen und entfernen. Wen er hinzufügt, wird mit dem Zugriff unten eingeladen; wen er deaktiviert oder entfernt, verliert den Zugriff sofort.
scim-endpoint = SCIM-Basis-URL
scim-users = Bereitgestellte Personen
scim-users-count = { $count ->
    [one] 1 Person, bereitgestellt oder deaktiviert
   *[other] { $count } Personen, bereitgestellt oder deaktiviert
}
scim-default-access = Zugriff für bereitgestellte Personen
scim-default-access-lead = Alle, die Ihr Identitätsanbieter hinzufügt, erhalten diese Rolle. Sie zählen wie jede Einladung zu den Plätzen Ihres Tarifs; eine Rolle, die Ihr Tarif nicht enthält, wird beim Hinzufügen abgelehnt.
scim-role = Rolle
scim-choose = Rolle wählen
scim-all-sub-accounts = Auch auf jedem Unterkonto
scim-all-sub-accounts-hint = Dieselbe Rolle auf jedem Unterkonto, auf dem sie etwas öffnet, so wie die Unterkonten sind, wenn die Person hinzugefügt wird.
scim-save = Zugriff speichern
scim-choose-role = Wählen Sie die Rolle für bereitgestellte Personen
scim-flash-saved = Der Zugriff für bereitgestellte Personen ist gespeichert.
scim-tokens = SCIM-Tokens
scim-no-tokens = Noch kein Token. Erstellen Sie eines und geben Sie es Ihrem Identitätsanbieter zusammen mit der Basis-URL oben.
scim-tokens-caption = Tokens, die Ihr Identitätsanbieter verwenden kann
scim-created = Erstellt
scim-never-used = Nie
scim-token-name-hint = Für welchen Anbieter es ist, zum Beispiel „Okta“.
scim-create-token = SCIM-Token erstellen
scim-choose-access-first = Speichern Sie zuerst den Zugriff für bereitgestellte Personen; danach können Sie ein Token erstellen.
scim-too-many = Sie können höchstens { $limit } SCIM-Tokens haben: widerrufen Sie zuerst eines
scim-back = Zurück zu Konto teilen
scim-how-to-use = Geben Sie in den SCIM-Einstellungen Ihres Identitätsanbieters ein:
scim-auth = Authentifizierung
scim-auth-bearer = HTTP-Header, Bearer-Token: das Token oben
scim-back-to-provisioning = Zurück zur Bereitstellung
scim-revoke-consequence = Die nächste Anfrage Ihres Identitätsanbieters mit diesem Token wird abgelehnt: Niemand wird mehr hinzugefügt oder entfernt, bis Sie ihm ein neues Token geben. Niemand verliert dadurch seinen Zugriff.
scim-flash-revoked = Das SCIM-Token „{ $name }“ ist widerrufen.
scim-groups = Gruppen
scim-groups-lead = Die Gruppen, die Ihr Identitätsanbieter sendet. Geben Sie einer Gruppe einen Zugriff: Ihre Mitglieder erhalten ihn statt des Zugriffs oben und verlieren ihn, wenn sie die Gruppe verlassen. Wer in mehreren Gruppen ist, erhält den Zugriff der ersten nach Namen.
scim-no-groups = Noch keine Gruppe: Sie erscheinen hier, wenn Ihr Identitätsanbieter sie sendet.
scim-groups-caption = Gruppen Ihres Identitätsanbieters
scim-group = Gruppe
scim-group-members = Mitglieder
scim-group-access = Zugriff
scim-group-default = Der Zugriff oben
scim-group-save = Speichern
scim-flash-group-mapped = Der Zugriff der Gruppe „{ $name }“ ist gespeichert, und der ihrer Mitglieder ist aktualisiert.
