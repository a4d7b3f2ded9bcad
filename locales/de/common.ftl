# Der Rahmen jeder Seite, die Sprachwahl, Fehlerseiten, Datumsangaben.

language-name = Deutsch
site-name = Kontofreigabe
skip-to-content = Zum Hauptinhalt springen
nav-label = Ihr Login
nav-accounts = Konten
nav-share = Konto freigeben
nav-my-account = Mein Konto
nav-sign-out = Abmelden
nav-sign-in = Anmelden
nav-create-account = Konto erstellen
banner-success = Erledigt
footer-tagline = Kontofreigabe: Geben Sie Ihr E-Mail-Konto frei, ohne Ihr Passwort weiterzugeben.
footer-dev-mailbox = Entwicklungs-Postfach
footer-dev-mailbox-note = (E-Mails, die dieser Server sendet, solange kein SMTP-Relay eingerichtet ist)
language-switcher = Sprache:
language-switch = Auf { $language } anzeigen

date-time-utc = { $datetime } UTC

error-go-to-accounts = Zu Ihren Konten
error-go-to-start = Zur Startseite
error-not-found-title = Seite nicht gefunden
error-not-found = Wenn Sie die Adresse eingegeben haben, prüfen Sie, ob sie stimmt. Wenn Sie einem Link gefolgt sind, gehört er vielleicht zu einem Konto, auf das Sie keinen Zugriff haben.
error-forbidden-title = Sie haben keinen Zugriff auf diese Seite
error-forbidden = Ihr Zugriff umfasst diese Seite nicht. Bitten Sie den Kontoinhaber darum, wenn Sie sie benötigen.
error-not-verified-title = Bestätigen Sie zuerst Ihre E-Mail-Adresse
error-not-verified = Die Freigabe versendet E-Mails in Ihrem Namen und benötigt daher eine Adresse, von der wir wissen, dass sie Ihnen gehört. Öffnen Sie den Link, den wir Ihnen gesendet haben, oder fordern Sie unter Mein Konto einen neuen an; es wurde nichts gesendet.
error-csrf-title = Dieses Formular konnte nicht angenommen werden
error-csrf = Das Formular wurde von einer anderen Website gesendet, oder die Seite war zu lange geöffnet. Gehen Sie zurück, laden Sie die Seite neu und versuchen Sie es noch einmal.
error-wrong-method-title = Diese Seite kann das nicht
error-wrong-method = Die Adresse stimmt, wurde aber auf eine Weise aufgerufen, auf die sie nicht antwortet. Gehen Sie zurück und verwenden Sie die Links und Schaltflächen der Seite.
error-too-large-title = Ihre Eingabe ist zu groß
error-too-large = Das Formular enthielt mehr Text, als wir annehmen. Gehen Sie zurück, kürzen Sie Ihre Eingabe und versuchen Sie es noch einmal.
error-too-many-title = Zu viele Versuche
error-too-many = Dies wurde in kurzer Zeit zu oft versucht, daher haben wir es zu Ihrer Sicherheit vorübergehend gesperrt. Es wurde nichts gesendet oder geändert. Warten Sie einige Minuten und versuchen Sie es dann erneut.
error-bad-address-title = Diese Webadresse konnte nicht verstanden werden
error-bad-address = Der Teil der Adresse nach dem Fragezeichen entspricht nicht dem, was diese Seite erwartet. Wenn Sie einem Link gefolgt sind, kopieren Sie ihn noch einmal vollständig von dort, wo Sie ihn gefunden haben.
error-bad-request-title = Dieses Formular konnte nicht verstanden werden
error-bad-form = Das Formular enthielt unerwartete Felder oder ein Feld doppelt. Gehen Sie zurück, laden Sie die Seite neu und versuchen Sie es noch einmal.
error-form-not-text = Das Formular enthielt Zeichen, die kein gültiger Text sind. Gehen Sie zurück, prüfen Sie, was Sie eingegeben oder eingefügt haben, und versuchen Sie es noch einmal.
error-not-a-web-form = Das Formular wurde nicht so gesendet, wie eine Webseite es sendet. Gehen Sie zurück, laden Sie die Seite neu und versuchen Sie es noch einmal.
error-busy-title = Gerade zu viele Passwortprüfungen
error-busy = Gerade melden sich mehr Personen an, als wir gleichzeitig prüfen. Es wurde nichts gesendet oder geändert. Versuchen Sie es in einer Sekunde erneut.
error-unavailable-title = Der Dienst ist leider nicht verfügbar
error-unavailable = Wir erreichen unsere Datenbank gerade nicht. Nichts von dem, was Sie gesendet haben, wurde gespeichert. Versuchen Sie es in einigen Minuten noch einmal.
error-internal-title = Leider gibt es ein Problem mit dem Dienst
error-internal = Bei uns ist etwas schiefgegangen, und es wurde nichts geändert. Versuchen Sie es später noch einmal.
error-bad-request = Wir konnten diese Anfrage nicht bearbeiten. Gehen Sie zurück und versuchen Sie es noch einmal, oder beginnen Sie auf der Startseite.
error-search-too-long = Suchen Sie nach höchstens 254 Zeichen: Keine E-Mail-Adresse und kein Name ist länger. Gehen Sie zurück und kürzen Sie die Suche.
error-unknown-filter = Diesen Filter bietet die Seite nicht an. Gehen Sie zurück zu „Konto freigeben“ und wählen Sie aus den Listen.
error-no-such-page = Diese Seite der Liste gibt es nicht. Gehen Sie zurück zu „Konto freigeben“ und beginnen Sie auf der ersten Seite.
error-unknown-language = Diese Sprache bieten wir nicht an. Gehen Sie zurück und wählen Sie English, Français oder Deutsch.

## Formulare

form-error-prefix = Fehler:
form-there-is-a-problem = Es gibt ein Problem
form-email = E-Mail-Adresse
form-cancel = Abbrechen
error-date-format = Geben Sie das Datum als Jahr-Monat-Tag ein, zum Beispiel 2027-03-31.
error-dates-reversed = Das Enddatum liegt vor dem Anfangsdatum: Wählen Sie ein Enddatum am oder nach dem Anfangsdatum.
error-end-date-past = Wählen Sie heute oder ein späteres Datum: Der Zugriff würde enden, bevor er beginnt.
error-end-date-too-far = Wählen Sie ein Datum innerhalb der nächsten zehn Jahre, oder lassen Sie das Feld leer für einen Zugriff ohne Ende.
mailbox-filter = Nachrichten nach Empfänger
mailbox-to-filter = Gesendet an (Teil der Adresse)
mailbox-show = Nachrichten anzeigen
mailbox-showing = Die { $shown } neuesten von { $count } { $count ->
    [one] Nachricht
   *[other] Nachrichten
}, die neueste zuerst
mailbox-showing-all = { $count ->
    [one] 1 Nachricht
   *[other] { $count } Nachrichten
}, die neueste zuerst

## Die Mitglieder-API (INTEGRATION.md S17): Details der Problemberichte, in der Sprache des Token-Inhabers

api-no-such-account = Dieses Token gilt für ein anderes Konto: Ein Konto mit dieser Nummer kennt es nicht.
api-not-the-owner = Nur der Inhaber des Kontos verwaltet seine Freigaben; die Person dieses Tokens hat Zugriff auf das Konto, ist aber nicht sein Inhaber.
api-scope-missing = Dieses Token darf das nicht: Es braucht die Berechtigung { $scope }. Erstellen Sie ein Token damit unter Mein Konto → API-Token.
api-no-such-person = Mit dieser ID hat niemand Zugriff auf dieses Konto.
api-verify-first = Bestätigen Sie zuerst Ihre E-Mail-Adresse: Einladungen gehen in Ihrem Namen hinaus.
api-too-many = Zu viele Anfragen in kurzer Zeit. Warten Sie und versuchen Sie es dann erneut: Der Header Retry-After sagt, wie lange.
api-bad-request = Die Anfrage konnte nicht verstanden werden.
api-invalid = Einige Felder können so nicht angenommen werden: Jedes ist mit dem Fehler aufgeführt.
api-bad-json = Der Inhalt ist nicht das JSON, das dieser Aufruf erwartet: { $error }
api-not-an-object = Der Inhalt ist ein JSON-Objekt: {"{"} … {"}"}.
api-bad-query = Die Abfragezeichenfolge hat einen unbekannten oder doppelten Parameter.
api-limit = Das Limit ist eine ganze Zahl von 1 bis { $max }.
api-cursor = Dieser Cursor stammt nicht von dieser API: Verwenden Sie das „next“ der vorigen Seite.
api-not-your-account = „{ $account }“ ist kein Konto dieses Inhabers: Verwenden Sie "42" für das Hauptkonto oder "42/7" für eines seiner Unterkonten.
api-account-twice = Dieses Konto ist doppelt aufgeführt.
api-unknown-role = „{ $role }“ ist keine Rolle: Verwenden Sie manager, accountant, developer, marketer, designer oder custom.
api-unknown-area = „{ $area }“ ist kein Bereich dieses Kontos (docs/permissions.md führt sie auf).
api-areas-for-custom = Nur die Rolle custom nimmt Bereiche.
api-restrictions-for-advanced = Einschränkungen gibt es nur für die erweiterten Rollen.
api-unknown-restriction = „{ $restriction }“ ist keine Einschränkung: Verwenden Sie drafts_only, no_labels oder no_section_locking.
api-idempotency-key = Der Header Idempotency-Key hat 1 bis 255 druckbare Zeichen und wird einmal gesendet.
api-idempotency-reused = Dieser Idempotency-Key wurde schon für eine andere Anfrage verwendet: Nehmen Sie für eine neue Anfrage einen neuen Schlüssel.
api-idempotency-under-way = Eine Anfrage mit diesem Idempotency-Key wird noch beantwortet: Versuchen Sie es gleich noch einmal.
api-status = Der Status ist pending, active oder expired.
api-search-too-long = Die Suche darf höchstens 200 Zeichen haben.
api-resend-body = Erneutes Senden nimmt keinen Inhalt, oder {"{"}{"}"}.
api-unknown-action = „{ $action }“ ist keine Aktion des Aktivitätsprotokolls.
api-date = Ein Datum wird JJJJ-MM-TT geschrieben.
