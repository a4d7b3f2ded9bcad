# Einladungen aus Sicht der eingeladenen Person.

flash-invitation-accepted = Sie haben die Einladung angenommen.
flash-invitation-declined = Sie haben die Einladung abgelehnt. Der Eigentümer wurde benachrichtigt, und der Link funktioniert nicht mehr.

inv-title = Einladung von { $owner }
inv-heading = { $owner } hat Sie zur Mitarbeit in einem E-Mail-Konto eingeladen
inv-offers = { $owner } ({ $owner_email }) bietet diesen Zugriff für
inv-offers-end = :
inv-which-accounts = Welche Konten
inv-open-until = Die Einladung gilt bis { $date }.
inv-accept = Einladung annehmen
inv-other-address-title = Diese Einladung gilt einer anderen Adresse
inv-other-address = Die Einladung wurde an { $email } gesendet, aber Sie sind als { $signed_in } angemeldet. Nur die Person mit der eingeladenen Adresse kann sie annehmen.
inv-sign-out-and-continue = Abmelden und fortfahren
inv-has-login = { $email } hat bei uns bereits einen Login. Melden Sie sich damit an, um anzunehmen; Sie kommen auf diese Seite zurück.
inv-sign-in-to-accept = Anmelden und annehmen
inv-create-login-title = Erstellen Sie Ihren Login, um anzunehmen
inv-create-login = Ihr Login gilt nur in den Konten, die mit Ihnen geteilt werden. Ihre E-Mail-Adresse ist { $email }: Das Öffnen des Einladungslinks hat sie bestätigt.
inv-your-name = Ihr Name
inv-your-name-hint = Für den Kontoinhaber sichtbar.
inv-password = Passwort
password-hint = Mindestens 8 Zeichen. Einige Wörter hintereinander ergeben ein starkes Passwort.
inv-create-login-and-accept = Login erstellen und annehmen
inv-not-wanted = Nicht für Sie, oder nicht gewünscht?
inv-decline-link = Einladung ablehnen
inv-decline-title = Einladung von { $owner } ablehnen
inv-decline-heading = Möchten Sie die Einladung von { $owner } wirklich ablehnen?
inv-decline-body = Die Einladung an { $email } wird gelöscht, und ihr Link funktioniert nicht mehr. { $owner } wird per E-Mail benachrichtigt und kann Sie später erneut einladen.
inv-decline-button = Einladung ablehnen
inv-back-to-invitation = Zurück zur Einladung
inv-declined-title = Einladung abgelehnt
inv-declined-body = Sie müssen nichts weiter tun. Wenn Sie es sich anders überlegen, bitten Sie die Person, die Sie eingeladen hat, um eine neue Einladung.
inv-dead-title = Dieser Einladungslink funktioniert nicht
inv-dead-body = Einladungslinks funktionieren einmal, für begrenzte Zeit, und nur der neueste, den Sie erhalten haben. Dieser wurde bereits verwendet, ist abgelaufen, wurde durch eine neuere Einladung ersetzt, oder die Einladung wurde zurückgezogen.
inv-dead-ask = Bitten Sie die Person, die Sie eingeladen hat, die Einladung erneut zu senden. Wenn Sie bereits angenommen haben, warten die freigegebenen Konten auf Sie.
inv-dead-your-accounts = Zu Ihren Konten
inv-dead-sign-in = Anmelden, um die freigegebenen Konten zu erreichen
