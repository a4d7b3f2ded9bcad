# Mein Konto: Unterkonten.

sub-account-name-empty = Geben Sie einen Namen für das Unterkonto ein
sub-account-name-too-long = Der Name des Unterkontos darf höchstens 100 Zeichen lang sein
sub-account-name-invisible = Der Name des Unterkontos darf keine Zeilenumbrüche oder unsichtbaren Zeichen enthalten
sub-account-name-taken = Sie haben bereits ein Unterkonto mit diesem Namen: Wählen Sie einen anderen Namen
flash-sub-account-renamed = Das Unterkonto ist umbenannt.

## Mein Konto

acc-name = Name
acc-verified = Bestätigt
acc-not-verified = Nicht bestätigt
acc-verify-note = Wir haben einen Link an { $email } gesendet. Öffnen Sie ihn, um Ihre Adresse zu bestätigen: Zum Annehmen von Einladungen brauchen Sie eine bestätigte Adresse.
acc-send-verification = Neuen Bestätigungslink senden
acc-your-login = Ihr Login
acc-sign-out-everywhere = Überall abmelden
acc-sign-out-everywhere-hint = Auf allen Geräten, auch auf diesem.
acc-people-you-can-share-with = Personen für die Freigabe
acc-advanced-accesses = Erweiterte Zugriffe
acc-sub-accounts = Unterkonten
acc-no-sub-accounts = Sie haben noch keine Unterkonten. Unterkonten trennen Kontakte, Kampagnen und API-Schlüssel, und jedes lässt sich einzeln freigeben.
acc-your-sub-accounts = Ihre Unterkonten
acc-api-key = API-Schlüssel
acc-created = Erstellt
acc-actions = Aktionen
acc-ends-in = endet auf
acc-rename = Umbenennen
acc-create-sub-account = Unterkonto erstellen
acc-sub-account-name = Name des Unterkontos
acc-sub-account-name-hint = Zum Beispiel die Marke, der Kunde oder das Team, für das es sendet.
acc-create-sub-account-button = Unterkonto erstellen
acc-access-only = Ihr Login hat kein eigenes Konto: Er funktioniert nur in den Konten, die andere mit Ihnen teilen.
acc-shared-with-you = Mit Ihnen geteilte Konten
acc-shared-line = { $account }: { $role }
sub-created-title = Unterkonto erstellt
sub-created-heading = Unterkonto „{ $name }“ erstellt
sub-its-api-key = Sein API-Schlüssel
sub-copy-now = Kopieren Sie den Schlüssel jetzt: Er wird nur dieses eine Mal angezeigt.
sub-fingerprint = Wir speichern nur einen Fingerabdruck davon, daher kann ihn niemand, auch wir nicht, erneut anzeigen.
sub-api-key-for = API-Schlüssel für { $name }
sub-rename-title = Unterkonto { $name } umbenennen
sub-rename-heading = Unterkonto „{ $name }“ umbenennen
sub-new-name = Neuer Name
sub-rename-button = Unterkonto umbenennen
notify-title = Benachrichtigungen
notify-legend = Mir eine E-Mail senden, wenn
notify-accepted = jemand meine Einladung annimmt
notify-declined = jemand meine Einladung ablehnt
notify-changed = ein Eigentümer meinen Zugriff auf ein geteiltes Konto ändert
notify-removed = ein Eigentümer meinen Zugriff auf ein geteiltes Konto löscht
notify-save = Benachrichtigungen speichern
notify-saved = Ihre Benachrichtigungseinstellungen sind gespeichert.
acc-own-records = Was mit Ihrem Zugriff geschah
acc-own-records-lead = Einladungen an Ihre Adresse, Änderungen Ihres Zugriffs und wer sie vorgenommen hat, die neuesten zuerst.
