# Mein Konto: Unterkonten.

sub-account-name-empty = Geben Sie einen Namen für das Unterkonto ein
sub-account-name-too-long = Der Name des Unterkontos darf höchstens 100 Zeichen lang sein
sub-account-name-invisible = Der Name des Unterkontos darf keine Zeilenumbrüche oder unsichtbaren Zeichen enthalten
sub-account-name-taken = Sie haben bereits ein Unterkonto mit diesem Namen: Wählen Sie einen anderen Namen
flash-sub-account-renamed = Das Unterkonto ist umbenannt.
