# Mon compte : les sous-comptes.

sub-account-name-empty = Saisissez un nom pour le sous-compte
sub-account-name-too-long = Le nom du sous-compte doit compter 100 caractères au plus
sub-account-name-invisible = Le nom du sous-compte ne doit contenir ni saut de ligne ni caractère invisible
sub-account-name-taken = Vous avez déjà un sous-compte de ce nom : choisissez-en un autre
flash-sub-account-renamed = Le sous-compte est renommé.
