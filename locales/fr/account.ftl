# Mon compte : les sous-comptes.

sub-account-name-empty = Saisissez un nom pour le sous-compte
sub-account-name-too-long = Le nom du sous-compte doit compter 100 caractères au plus
sub-account-name-invisible = Le nom du sous-compte ne doit contenir ni saut de ligne ni caractère invisible
sub-account-name-taken = Vous avez déjà un sous-compte de ce nom : choisissez-en un autre
flash-sub-account-renamed = Le sous-compte est renommé.

## Mon compte

acc-name = Nom
acc-verified = Vérifiée
acc-not-verified = Non vérifiée
acc-verify-note = Nous avons envoyé un lien à { $email }. Ouvrez-le pour vérifier votre adresse : il faut une adresse vérifiée pour accepter des invitations.
acc-send-verification = Envoyer un nouveau lien de vérification
acc-your-login = Votre identifiant
acc-sign-out-everywhere = Se déconnecter partout
acc-sign-out-everywhere-hint = Sur tous les appareils, y compris celui-ci.
acc-people-you-can-share-with = Personnes avec qui partager
acc-advanced-accesses = Accès avancés
acc-sub-accounts = Sous-comptes
acc-no-sub-accounts = Vous n'avez pas encore de sous-compte. Les sous-comptes séparent contacts, campagnes et clés d'API, et chacun peut être partagé séparément.
acc-your-sub-accounts = Vos sous-comptes
acc-api-key = Clé d'API
acc-created = Créé le
acc-actions = Actions
acc-ends-in = se termine par
acc-rename = Renommer
acc-create-sub-account = Créer un sous-compte
acc-sub-account-name = Nom du sous-compte
acc-sub-account-name-hint = Par exemple la marque, le client ou l'équipe pour qui il envoie.
acc-create-sub-account-button = Créer le sous-compte
acc-access-only = Votre identifiant « Accès uniquement » n'a pas de compte à lui : il ne fonctionne que dans les comptes que d'autres partagent avec vous.
acc-shared-with-you = Comptes partagés avec vous
acc-shared-line = { $account } : { $role }
sub-created-title = Sous-compte créé
sub-created-heading = Sous-compte « { $name } » créé
sub-its-api-key = Sa clé d'API
sub-copy-now = Copiez la clé maintenant : c'est la seule fois qu'elle est affichée.
sub-fingerprint = Nous n'en gardons qu'une empreinte : personne, nous compris, ne peut l'afficher de nouveau.
sub-api-key-for = Clé d'API de { $name }
sub-rename-title = Renommer le sous-compte { $name }
sub-rename-heading = Renommer le sous-compte « { $name } »
sub-new-name = Nouveau nom
sub-rename-button = Renommer le sous-compte
notify-title = Notifications
notify-legend = M'envoyer un email quand
notify-accepted = quelqu'un accepte mon invitation
notify-declined = quelqu'un refuse mon invitation
notify-changed = un propriétaire modifie mon accès à son compte
notify-removed = un propriétaire supprime mon accès à son compte
notify-save = Enregistrer les notifications
notify-saved = Vos réglages de notification sont enregistrés.
acc-own-records = Ce qui est arrivé à vos accès
acc-own-records-lead = Les invitations à votre adresse, les modifications de vos accès et qui les a faites, les plus récentes en premier.
