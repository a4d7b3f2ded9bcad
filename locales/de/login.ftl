# Registrierung, Anmeldung, Passwörter und E-Mail-Adressen.

email-empty = Geben Sie eine E-Mail-Adresse ein
email-too-long = Die E-Mail-Adresse darf höchstens 254 Zeichen lang sein
email-invisible = Die E-Mail-Adresse darf keine Leerzeichen, Zeilenumbrüche oder unsichtbaren Zeichen enthalten
email-not-one-at = Geben Sie eine E-Mail-Adresse im richtigen Format ein, etwa name@beispiel.de
email-local-part = Der Teil vor dem @ darf nur Buchstaben von a bis z, Ziffern und die Zeichen . _ + - enthalten (höchstens 64 Zeichen)
email-ip-domain = Die E-Mail-Adresse muss auf einen Domainnamen wie beispiel.de enden, nicht auf eine IP-Adresse
email-domain = Der Teil nach dem @ muss ein Domainname sein, etwa beispiel.de
name-empty = Geben Sie Ihren Namen ein
name-too-long = Der Name darf höchstens 100 Zeichen lang sein
name-invisible = Der Name darf keine Zeilenumbrüche oder unsichtbaren Zeichen enthalten
password-too-short = Das Passwort muss mindestens 8 Zeichen lang sein
password-too-long = Das Passwort darf höchstens 256 Zeichen lang sein
password-common = Wählen Sie ein schwerer zu erratendes Passwort: Dieses steht auf Listen häufiger Passwörter
password-same-as-email = Wählen Sie ein Passwort, das nicht Ihre E-Mail-Adresse ist
check-this-answer = Prüfen Sie diese Angabe
sign-in-failed = E-Mail-Adresse oder Passwort ist nicht richtig: Prüfen Sie beides und versuchen Sie es noch einmal
enter-password = Geben Sie Ihr Passwort ein
flash-email-verified = Ihre E-Mail-Adresse ist bestätigt.
flash-verification-sent = Wir haben Ihnen einen neuen Bestätigungslink gesendet. Nur der neueste Link funktioniert.
forgot-title = Neues Passwort wählen
flash-password-reset = Ihr neues Passwort ist gesetzt. Sie sind überall sonst abgemeldet.
flash-password-changed = Ihr Passwort ist geändert. Sie sind überall sonst abgemeldet.
flash-email-changed = Ihr Login verwendet jetzt die neue Adresse. Die alte Adresse wurde benachrichtigt.
wrong-current-password = Ihr aktuelles Passwort ist nicht richtig: Prüfen Sie es und versuchen Sie es noch einmal
email-same-as-now = Das ist bereits Ihre Adresse: Geben Sie die neue ein
email-taken-meanwhile = Ein anderer Login hat diese Adresse inzwischen übernommen: Beantragen Sie die Änderung erneut mit einer anderen Adresse
