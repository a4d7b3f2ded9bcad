# Partage : rôles et sections, la page de partage, le formulaire d'accès (inviter et modifier).

role-manager = Administrateur
role-accountant = Comptable
role-developer = Développeur
role-marketer = Marketeur
role-designer = Designer
role-custom = Personnalisé

role-hint-manager = Tout, sauf le partage du compte
role-hint-accountant = Détails de l'abonnement, compte prépayé et dépôts, factures passées (compte principal uniquement)
role-hint-developer = Identifiants d'API, modèles transactionnels et suivi en temps réel ; peut publier les modèles transactionnels et verrouiller leurs sections
role-hint-marketer = Contacts, campagnes et workflows automatisés ; peut suggérer des modifications sur les modèles transactionnels, sans les publier
role-hint-designer = Modèles uniquement : peut suggérer des modifications sans les publier, et verrouiller des sections
role-hint-custom = Choisissez les sections une à une

area-campaigns = Campagnes
area-transactional = Transactionnel
area-email-automation = Automatisation
area-contacts = Contacts
area-statistics = Statistiques
area-billing = Facturation
area-account-management = Gestion du compte

area-summary-campaigns = Créer, concevoir et envoyer des campagnes marketing, et gérer leurs modèles.
area-summary-transactional = Les modèles et réglages des messages qu'envoient vos applications.
area-summary-email-automation = Les workflows automatisés qui envoient selon un calendrier ou des événements.
area-summary-contacts = Les listes de contacts, leurs propriétés et leurs segments.
area-summary-statistics = Les statistiques d'envoi, et le suivi en temps réel avec alertes.
area-summary-billing = Les détails de l'abonnement, le compte prépayé et les dépôts, les factures passées.
area-summary-account-management = Les paramètres du compte, les clés d'API et les sous-comptes.

restriction-drafts-only = Peut seulement modifier des brouillons de modèles, sans les publier dans la galerie
restriction-no-labels = Ne peut pas créer, modifier ni supprimer de libellés
restriction-no-section-locking = Ne peut pas verrouiller ni déverrouiller de sections dans les modèles
restriction-short-drafts-only = brouillons uniquement, sans publication
restriction-short-no-labels = pas de libellés
restriction-short-no-section-locking = pas de verrouillage de sections

master-account = Compte principal

access-custom = { $role } ({ $areas })
list-separator = {", "}
list-two = { $first } et { $second }

scope-all-accounts = sur { $count ->
        [one] le compte
       *[other] les { $count } comptes
    }
scope-master = sur le compte principal
scope-master-and-names = sur le compte principal et { $names }
scope-master-and-subs = sur le compte principal et { $count } sous-comptes
scope-all-subs = sur { $count ->
        [one] le sous-compte
       *[other] les { $count } sous-comptes
    }
scope-names = sur { $names }
scope-subs = sur { $count } sous-comptes

select-account-to-add = Sélectionnez un compte à ajouter
select-role-to-copy = Sélectionnez le rôle dont copier les autorisations
add-an-account = Ajoutez au moins un compte à partager
inviting-yourself = C'est votre propre adresse : ce compte est déjà le vôtre
no-sharing-on-plan = Votre abonnement ne comprend pas le partage de compte : passez à un abonnement supérieur pour inviter des personnes
select-role-for-master = Sélectionnez un rôle pour le compte principal
select-role-for = Sélectionnez un rôle pour { $account }
select-areas-for = Sélectionnez au moins une section pour { $account }
role-empty-on = { $role } donne accès à la Facturation, que seul le compte principal possède : choisissez un autre rôle pour { $account }
already-has-access = { $email } a déjà accès à votre compte : pour le modifier, utilisez Gérer → Modifier sur la page de partage
seats-full = Votre abonnement permet de partager avec { $limit } personnes et toutes les places sont prises : supprimez un accès ou passez à un abonnement supérieur
role-needs-advanced-plan = Le rôle { $role } nécessite un abonnement avec accès avancés (Crystal Premium ou supérieur)
advanced-accesses-full = Les { $limit } accès avancés de votre abonnement sont tous utilisés : choisissez Administrateur ou Comptable, libérez un accès avancé, ou passez à un abonnement supérieur
copy-needs-custom = « Appliquer à tous » copie les sections personnalisées du compte principal : choisissez Personnalisé pour le compte principal, ou décochez « Appliquer à tous »
copy-leaves-nothing = Cochez au moins une section autre que la Facturation pour l'appliquer à tous (les sous-comptes n'ont pas de Facturation), ou décochez « Appliquer à tous »
roles-updated = Rôles mis à jour. Cochez les sections de chaque compte réglé sur Personnalisé.

delivery-queued = Email d'invitation en cours d'envoi
delivery-sent = Email d'invitation envoyé
delivery-failed = L'email d'invitation n'a pas pu être remis : vérifiez l'adresse, puis renvoyez-le
never = Jamais

status-owner = Propriétaire
status-pending = En attente
status-active = Actif
status-expired = Expirée

showing-only-you = Vous seul correspondez.
showing-nobody = Personne ne correspond.
showing-people = { $first } à { $last } sur { $matching } { $matching ->
        [one] personne
       *[other] personnes
    }.
showing-people-besides-you = { $first } à { $last } sur { $matching } { $matching ->
        [one] personne
       *[other] personnes
    }, en plus de vous.

flash-invited = Invitation envoyée à { $email }.
flash-updated = Accès modifié pour { $email }.
flash-deleted = Accès supprimé pour { $email }.
flash-resent = Invitation renvoyée à { $email }. Seul le lien du nouvel email fonctionne.
flash-already-accepted = { $email } a déjà accepté l'invitation : il n'y a rien à renvoyer.

invite-user = Inviter un utilisateur
send-invitation = Envoyer l'invitation
update-access = Modifier l'accès
check-before-sending = Vérifiez avant d'envoyer
check-before-updating = Vérifiez avant de modifier
edit-access-heading = Modifier l'accès de { $email }

role-option-advanced = { $role } (accès avancé)
role-option-none-left = { $role } (plus d'accès avancé disponible)
role-option-not-on-plan = { $role } (absent de votre abonnement)

premium-what = Développeur, Marketeur, Designer et Personnalisé utilisent chacun 1 accès avancé par personne, quel que soit le nombre de comptes.
premium-available = { premium-what } { $used } sur les { $limit } de votre abonnement { $used ->
    [one] est utilisé
   *[other] sont utilisés
}.
premium-not-on-plan = { premium-what } Votre abonnement n'a pas d'accès avancés : changez d'abonnement pour utiliser ces rôles.
premium-none-left = { premium-what } Les { $limit } accès avancés de votre abonnement sont tous utilisés : libérez-en un, ou changez d'abonnement.

following-master = Suit le compte principal (Appliquer à tous) : { $areas }.
followers-line = { $count ->
    [one] Suit le compte principal (Appliquer à tous) : { $accounts }.
   *[other] Suivent le compte principal (Appliquer à tous), ces { $count } sous-comptes : { $accounts }.
}
account-added = { $account } ajouté : choisissez-lui un rôle.
accounts-added = { $count } sous-comptes ajoutés : choisissez un rôle pour chacun.
account-removed = { $account } retiré de la liste.
same-as-applied = Les sections de { $role } sont cochées pour { $account }.
areas-unchecked = Toutes les sections sont décochées pour { $account }.

copied = Copié du compte principal { $count ->
        [one] vers le sous-compte
       *[other] vers les { $count } sous-comptes
    } ci-dessous : { $areas }.
copied-no-billing = La Facturation n'est pas copiée : les sous-comptes n'en ont pas.
copied-restrictions = Restrictions copiées aussi : { $restrictions }.
advanced-access-check = Ceci utilise 1 accès avancé. Il en restera ensuite { $remaining } sur les { $limit } de votre abonnement.

## La page de partage

share-title = Partager votre compte
share-lead = Donnez à vos collègues, agences et clients leur propre accès à votre compte et à vos sous-comptes. Vous pouvez le modifier ou le supprimer à tout moment.
share-unverified = Vérifiez votre adresse email pour partager votre compte : les invitations partent en votre nom, elles attendent donc que nous sachions que { $email } est bien à vous. Ouvrez le lien que nous vous avons envoyé, ou renvoyez-le.
share-send-link-again = Renvoyer le lien
share-plan-full = Toutes les places de votre abonnement sont prises : il permet de partager avec { $seats } personnes. Pour inviter quelqu'un d'autre, supprimez un accès ou changez d'abonnement.
share-change-plan-link = Changer d'abonnement
share-no-sharing = Votre abonnement ne comprend pas le partage. Changez d'abonnement pour inviter des collègues, des agences ou des clients.
share-filters-label = Utilisateurs
share-search = Rechercher par email ou par nom
share-status = Statut
share-any-status = Tous les statuts
share-role = Rôle
share-any-role = Tous les rôles
share-show-people = Afficher
share-clear = Effacer
share-clear-hidden = la recherche et les filtres
share-caption = Utilisateurs ayant accès à votre compte
share-person = Utilisateur
share-access = Accès
share-last-sign-in = Dernière connexion
share-manage = Gérer
share-manage-hidden = l'accès de { $email }
share-owner-of-all = Propriétaire de tous les comptes
share-restricted = Restreint : { $restrictions }
share-all-accounts = { $count ->
    [one] Quel compte
   *[other] Quels { $count } comptes
}
share-all-accounts-hidden = pour { $email }
share-edit = Modifier
share-edit-hidden = l'accès de { $email }
share-delete = Supprimer l'accès
share-delete-hidden = de { $email }
share-resend = Renvoyer l'invitation
share-resend-hidden = à { $email }
share-nobody-yet = Personne d'autre n'a encore accès.
share-nobody-yet-invite = Choisissez « Inviter un utilisateur » pour partager votre compte.
share-pages = Pages d'utilisateurs
share-previous = Précédente
share-next = Suivante
share-page-hidden = page
share-page-of = Page { $page } sur { $pages }
quota-label = Les limites de partage de votre abonnement
quota-people = Utilisateurs :
quota-advanced = Accès avancés :
quota-used = { $used ->
    [one] { $used } utilisé
   *[other] { $used } utilisés
} sur { $limit }
quota-kept-over = { $used } conservés d'un abonnement précédent, qui en comptait plus que les { $limit } du vôtre. Ces personnes gardent ce qu'elles avaient ; donner un accès avancé à quelqu'un d'autre nécessite un abonnement qui en a un de libre.
quota-change-plan = Changer d'abonnement

## Le formulaire d'accès (inviter et modifier)

form-back-to-form = Revenir au formulaire
form-email-hint = La personne avec qui vous souhaitez partager votre compte.
form-accounts-and-roles = Comptes et rôles
form-what-roles-open = Ce que chaque rôle permet
form-uses-advanced = utilise 1 accès avancé
form-add-each-account = Ajoutez chaque compte que cette personne peut utiliser, puis choisissez un rôle pour chacun.
form-table-caption = Les comptes que cette personne peut utiliser, avec un rôle pour chacun
form-add-each-account-many = Ajoutez chaque compte que ces personnes peuvent utiliser, puis choisissez un rôle pour chacun : chaque adresse reçoit le même accès.
form-table-caption-many = Les comptes que ces personnes peuvent utiliser, avec un rôle pour chacun
form-no-sub-accounts = Vous n'avez pas encore de sous-compte. Les sous-comptes permettent de partager une marque, un pays ou un usage à part du reste.
form-create-sub-account = Créer un sous-compte
form-account = Compte
form-remove = Retirer
form-role-for = Rôle pour { $account }
form-choose-role = Choisissez un rôle
form-remove-account = Retirer { $account }
form-no-account-yet = Aucun compte pour l'instant : ajoutez-en un ci-dessous.
form-every-account-listed = Tous vos comptes sont dans la liste.
form-add-an-account = Ajouter un compte
form-choose-account = Choisissez un compte
form-all-sub-accounts = Tous les sous-comptes ({ $count })
form-add = Ajouter
form-add-hidden = le compte
form-update-roles = Mettre à jour les rôles
form-update-roles-hint = Après avoir choisi Personnalisé pour un compte, ou coché « Appliquer à tous », ce bouton affiche les cases à cocher.
custom-legend = Autorisations personnalisées pour
custom-areas-for = Sections pour
custom-select-all = Cochez tout ce qui s'applique.
custom-same-as = Activer les mêmes autorisations que
custom-for = pour
custom-to = à
custom-apply = Appliquer
custom-uncheck-all = Tout décocher
custom-copy-to-all = Appliquer à tous
custom-copy-hint = Tant que cette case est cochée, chaque sous-compte ci-dessous reçoit les mêmes sections et restrictions, sauf la Facturation, que les sous-comptes n'ont pas.
restrictions-summary = Restrictions avancées
restrictions-optional = (facultatif)
restrictions-hint = Limite ce que cette personne peut faire avec les modèles. Cochez tout ce qui s'applique.

## Supprimer l'accès, et inviter quand ce n'est pas possible

delete-title = Supprimer l'accès de { $email }
delete-heading = Voulez-vous vraiment supprimer l'accès de { $email } ?
delete-pending = { $email } n'a pas encore accepté l'invitation. Le lien de l'email d'invitation cessera aussitôt de fonctionner.
delete-active = { $email } n'aura plus accès à aucun de vos comptes, dès son prochain clic. Son identifiant reste : il lui appartient.
delete-invite-again = Vous pourrez l'inviter de nouveau plus tard.
cannot-no-sharing-title = Votre abonnement ne comprend pas le partage
cannot-full-title = Toutes les places de votre abonnement sont prises
cannot-unverified = Les invitations partent en votre nom : elles attendent donc que nous sachions que { $email } est bien à vous. Ouvrez le lien que nous vous avons envoyé, ou renvoyez-le.
cannot-back = Revenir à Partager votre compte
cannot-no-sharing = Pour partager votre compte avec des collègues, des agences ou des clients, choisissez un abonnement qui comprend des utilisateurs partagés.
cannot-full = Votre abonnement permet de partager avec { $seats } personnes, et toutes ont un accès ou une invitation en attente. Supprimez un accès, ou changez d'abonnement, pour inviter quelqu'un d'autre.
js-copy-on = Chaque sous-compte ci-dessous suit désormais les sections du compte principal.
js-copy-off = Chaque sous-compte peut de nouveau être réglé séparément.
share-last-activity = Dernière activité
share-sort-by-activity = (trier par la plus récente)
share-sorted-by-activity = (la plus récente d'abord ; afficher dans l'ordre d'invitation)
share-export = Télécharger en tableur (CSV)
csv-email = Adresse email
csv-name = Nom
csv-status = Statut
csv-account = Compte
csv-role = Rôle
csv-areas = Sections
csv-restrictions = Restrictions
csv-invited-at = Invité le (UTC)
csv-accepted-at = Accepté le (UTC)
csv-last-sign-in = Dernière connexion (UTC)
csv-last-activity = Dernière activité (UTC)
csv-access-ends = Fin de l'accès
csv-two-factor = Authentification à deux facteurs
csv-yes = Oui
csv-no = Non

## Activité : le journal d'audit
share-activity = Activité : qui a modifié quoi, et quand
activity-title = Activité
activity-back = Retour à Partager votre compte
activity-lead = Chaque modification de qui peut utiliser vos comptes, chaque changement d'abonnement et chaque utilisation refusée d'un lien d'invitation, les plus récents en premier. Les entrées ne font que s'ajouter : personne ne peut les modifier ni les supprimer.
activity-filters-label = Activité
activity-person = Rechercher par email ou par nom
activity-action = Ce qui s'est passé
activity-any-action = Tout
activity-any-refusal = Tout lien refusé
activity-from = Du
activity-to = Au
activity-date-placeholder = AAAA-MM-JJ
activity-show = Afficher l'activité
activity-clear-hidden = les filtres
activity-caption = Activité de votre compte, la plus récente en premier
activity-when = Quand (UTC)
activity-what = Ce qui s'est passé
activity-about = Personne
activity-who = Fait par
activity-details = Avant et après
activity-from-ip = depuis { $ip }
activity-via-token = par le jeton d’API { $token }
activity-before = Avant
activity-after = Après
activity-plan = Abonnement : { $plan }
activity-owner = Propriétaire : { $email }
activity-two-factor-required = Authentification à deux facteurs exigée
activity-two-factor-optional = Authentification à deux facteurs non exigée
activity-no-access = Aucun accès
activity-by-link = Une personne disposant du lien d'invitation
activity-by-service = Le service, à la date prévue
activity-nothing-yet = Rien ne s'est encore passé. Les invitations, les modifications d'accès et les changements d'abonnement apparaîtront ici.
activity-none-match = Aucune activité ne correspond à ces filtres.
activity-pages = Pages de l'activité
activity-newer = Plus récentes
activity-older = Plus anciennes
activity-page = Page { $page }
action-invitation-sent = Invitation envoyée
action-invitation-resent = Invitation renvoyée
action-access-edited = Accès modifié
action-access-deleted = Accès supprimé
action-invitation-accepted = Invitation acceptée
action-invitation-declined = Invitation refusée
action-accept-refused-wrong-person = Refusé : connecté sous une autre adresse
action-accept-refused-expired = Refusé : le lien avait expiré
action-accept-refused-used = Refusé : le lien avait déjà servi
action-plan-changed = Abonnement modifié
action-access-expired = Accès terminé à la date prévue
action-ownership-transferred = Propriété transférée
action-two-factor-requirement-changed = Exigence de deux facteurs modifiée

## Accès qui prend fin à une date
form-access-ends-heading = Mettre fin à cet accès à une date (facultatif)
form-access-ends-on = Fin de l'accès le
form-access-ends-on-hint = Laissez vide pour un accès sans fin. La personne peut travailler jusqu'à la fin de ce jour (UTC), reçoit un email une semaine avant et perd l'accès ensuite.
share-until = jusqu'au { $date }
activity-until = Jusqu'au { $date }

## Inviter plusieurs personnes à la fois
batch-link = Inviter plusieurs personnes à la fois
batch-title = Inviter plusieurs personnes
batch-send = Envoyer les invitations
batch-addresses = Adresses email
batch-addresses-hint = Jusqu'à { $max }, une par ligne ou séparées par des virgules ou des points-virgules. Toutes reçoivent le même accès.
batch-no-address = Saisissez les adresses email des personnes à inviter.
batch-too-many = Vous pouvez inviter jusqu'à { $max } personnes à la fois ; cette liste en compte { $count }. Envoyez les autres dans un second envoi.
batch-result-title = Invitations
batch-summary = { $invited ->
    [one] { $invited } adresse sur { $count } invitée.
   *[other] { $invited } adresses sur { $count } invitées.
}
batch-result-caption = Ce qu'il est advenu de chaque adresse, dans l'ordre donné
batch-address = Adresse email
batch-result = Résultat
batch-invited = Invitée
batch-listed-twice = Indiquée deux fois : invitée une seule fois au plus
batch-own-address = Votre propre adresse : vous possédez déjà tous les comptes
batch-already-has-access = A déjà un accès ou une invitation : utilisez Gérer sur la page de partage
batch-over-limit = Non invitée : { $reason }
batch-not-invited-title = Non invitées
batch-not-invited-lead = Ces adresses peuvent être copiées dans un nouvel envoi une fois l'obstacle levé.
batch-back = Retour à Partager votre compte
batch-again = Inviter d'autres personnes

## Transfert de propriété
share-transfer = Transférer la propriété de ce compte
transfer-title = Transférer la propriété
transfer-lead = Confiez ce compte, avec son abonnement, ses sous-comptes et les accès de chacun, à une personne qui y travaille déjà. Vous restez Administrateur de tous les comptes.
transfer-pending = En attente de l'acceptation de { $email }, jusqu'au { $until }. Rien ne change d'ici là.
transfer-cancel = Annuler le transfert
transfer-heading = Choisir le nouveau propriétaire
transfer-other-heading = Le proposer plutôt à une autre personne
transfer-rule-active = La personne doit avoir accepté son invitation (statut Actif).
transfer-rule-own-account = La personne doit avoir un compte à elle. Une personne avec un identifiant « Accès uniquement » peut en créer un depuis Mon compte ; vous pourrez alors réessayer.
transfer-rule-after = Elle dispose de 72 heures pour accepter. D'ici là, vous pouvez annuler et rien ne change.
transfer-email = Adresse email du nouveau propriétaire
transfer-email-hint = Telle qu'elle figure sur Partager votre compte.
transfer-password-hint = Votre propre mot de passe, pour confirmer que c'est bien vous.
transfer-send = Proposer la propriété
transfer-not-a-member = { $email } n'a pas accès à ce compte. Invitez cette personne d'abord ; une fois l'invitation acceptée, elle pourra le reprendre.
transfer-not-active = { $email } n'a pas encore accepté son invitation. Une fois qu'elle l'aura fait, elle pourra reprendre le compte.
transfer-access-only = { $email } utilise un identifiant « Accès uniquement » : il ne fonctionne que dans les comptes partagés avec lui et ne peut donc pas en posséder un. Demandez à cette personne de choisir « Créer un compte à vous » dans Mon compte, puis proposez de nouveau la propriété.
flash-transfer-offered = Propriété proposée à { $email }. La personne dispose de 72 heures pour accepter.
flash-transfer-cancelled = Le transfert est annulé. Vous restez propriétaire du compte.
share-sub-accounts = Vos { $count ->
    [one] sous-compte
   *[other] { $count } sous-comptes
} : créer, renommer et partager
share-create-sub-accounts = Créer des sous-comptes, pour partager une marque, un pays ou un usage à part
check-recipients = { $count ->
    [one] Pour { $who } :
   *[other] Pour ces { $count } personnes, chacune le même : { $who }
}
check-update = Vérifier de nouveau avec mes modifications
quota-leaves-out = Sans compter { $email }, dont vous modifiez l’accès : ce que vous choisissez ici est compté une fois l’accès mis à jour.

## What each role opens, from the permission vocabulary
opens = Ouvre : { $areas }.
opens-area-with = { $area } ({ $actions })
opens-ticked = Ouvre les sections cochées, chacune avec tout ce qu’elle contient.
action-send = envoyer les campagnes
action-templates-publish = publier les modèles
action-templates-lock = verrouiller les sections
action-labels = libellés
action-alerts = alertes de suivi
action-plan = détails de l’abonnement
action-prepaid = compte prépayé et dépôts
action-invoices = factures passées
action-api-keys = clés API
action-settings = paramètres

## Partager votre compte → Webhooks (INTEGRATION.md S17)

webhooks-title = Webhooks
webhooks-lead = Un webhook informe vos systèmes de chaque changement des accès, au moment où il se produit : nous envoyons une requête POST signée à chaque adresse ajoutée ici.
webhooks-none = Vous n’avez aucun webhook.
webhooks-yours = Vos adresses de webhook
webhooks-url = Adresse (URL)
webhooks-url-hint = Une adresse https:// à vous qui accepte les requêtes POST.
webhooks-failed-count = Envois en échec
webhooks-log = Journal des envois
webhooks-delete = Supprimer
webhooks-add = Ajouter un webhook
webhooks-add-button = Ajouter le webhook
webhooks-events = Événements envoyés
webhooks-how-signed = Chaque requête porte les en-têtes webhook-id, webhook-timestamp et webhook-signature (Standard Webhooks 1.0) : vérifiez la signature avec le secret affiché à l’ajout de l’adresse.
webhooks-url-empty = Saisissez l’adresse à laquelle envoyer les événements
webhooks-url-malformed = Saisissez une adresse complète comme https://hooks.example.com/sharing, sans nom d’utilisateur ni #fragment
webhooks-url-https = L’adresse doit commencer par https://
webhooks-url-private = Cette adresse est, ou mène à, un réseau privé ou interne : utilisez une adresse publique
webhooks-url-unresolved = Le nom d’hôte de cette adresse est introuvable : vérifiez son orthographe
webhooks-too-many = Vous avez { $limit } webhooks, le maximum pour un compte. Supprimez-en un d’abord.
webhooks-added-title = Webhook ajouté
webhooks-copy-now = Copiez le secret de signature maintenant : c’est la seule fois qu’il est affiché.
webhooks-secret-why = Votre récepteur s’en sert pour vérifier que chaque requête vient de nous.
webhooks-secret = Secret de signature
webhooks-copy = Copier le secret
webhooks-back = Retour aux webhooks
webhooks-log-title = Journal des envois
webhooks-log-caption = Les envois les plus récents à cette adresse, du plus récent au plus ancien
webhooks-no-deliveries = Rien n’a encore été envoyé à cette adresse.
webhooks-event = Événement
webhooks-status = Statut
webhooks-attempts = Tentatives
webhooks-last = Dernière réponse
webhooks-answered = réponse { $status }
webhooks-delivered = Livré
webhooks-failed = En échec
webhooks-pending = En cours d’envoi
webhooks-resend = Renvoyer
webhooks-flash-resent = L’envoi repart, avec le même webhook-id.
webhooks-delete-title = Supprimer ce webhook ?
webhooks-delete-consequence = Nous cessons aussitôt d’envoyer des événements à cette adresse, et son journal des envois est supprimé.
webhooks-delete-button = Supprimer le webhook
webhooks-flash-deleted = Le webhook est supprimé.
webhooks-error-refused = non envoyé : l’adresse mène à un réseau privé ou interne
webhooks-error-timeout = aucune réponse en 10 secondes
webhooks-error-connect = connexion impossible
webhooks-error-other = envoi impossible

## Exiger l'authentification à deux facteurs (/sharing/security)

share-security = Authentification à deux facteurs
tfa-require-title = Authentification à deux facteurs pour vos comptes
tfa-require-lead = Exigez de toutes les personnes avec qui vous partagez vos comptes qu'elles se connectent avec un second facteur : un mot de passe seul, une fois deviné ou divulgué, n'ouvre alors plus rien.
tfa-require-now = Actuellement
tfa-required = Exigée
tfa-not-required = Non exigée
tfa-required-since = depuis le { $date }
tfa-require-people = Personnes ayant un accès
tfa-require-without = { $without } sur { $members } n'ont pas de second facteur
tfa-require-legend = Votre réglage
tfa-require-box = Exiger l'authentification à deux facteurs de toutes les personnes ayant accès à mes comptes
tfa-require-hint = Les personnes qui ne l'ont pas doivent la configurer lors de leur prochaine visite de vos comptes, et ne peuvent rien y faire d'ici là. Leurs jetons d'API et la plateforme d'emailing les refusent en attendant.
tfa-require-save = Enregistrer le réglage
tfa-require-own-first = Configurez d'abord l'authentification à deux facteurs pour votre propre identifiant, puis exigez-la des autres
tfa-require-own-first-body = Vous n'avez pas encore configuré l'authentification à deux facteurs pour votre propre identifiant. Configurez-la avant de l'exiger des autres.
flash-tfa-required = L'authentification à deux facteurs est désormais exigée de toutes les personnes ayant accès à vos comptes.
flash-tfa-not-required = L'authentification à deux facteurs n'est plus exigée pour vos comptes.
tfa-column = Deux facteurs
tfa-has = Deux facteurs activés
tfa-has-not = Sans deux facteurs

# SCIM provisioning (issue 22)
share-provisioning = Provisionnement (SCIM)
scim-title = Provisionnement avec SCIM
scim-lead = Laissez votre fournisseur d'identité (Okta, Microsoft Entra ID, JumpCloud, Keycloak et d'autres) ajouter et retirer les personnes qui ont accès à vos comptes. Une personne qu'il ajoute est invitée avec l'accès ci-dessous ; une personne qu'il désactive ou retire perd aussitôt son accès.
scim-endpoint = URL de base SCIM
scim-users = Personnes provisionnées
scim-users-count = { $count ->
    [one] { $count } personne, provisionnée ou désactivée
   *[other] { $count } personnes, provisionnées ou désactivées
}
scim-default-access = Accès donné aux personnes provisionnées
scim-default-access-lead = Chaque personne ajoutée par votre fournisseur d'identité reçoit ce rôle. Elle compte dans les places de votre formule comme toute invitation ; un rôle que votre formule n'inclut pas est refusé au moment de l'ajout.
scim-role = Rôle
scim-choose = Choisissez un rôle
scim-all-sub-accounts = Aussi sur chaque sous-compte
scim-all-sub-accounts-hint = Le même rôle sur chaque sous-compte où il ouvre quelque chose, tels qu'ils sont au moment où chaque personne est ajoutée.
scim-save = Enregistrer l'accès
scim-choose-role = Choisissez le rôle des personnes provisionnées
scim-flash-saved = L'accès donné aux personnes provisionnées est enregistré.
scim-tokens = Jetons SCIM
scim-no-tokens = Aucun jeton pour l'instant. Créez-en un et donnez-le à votre fournisseur d'identité avec l'URL de base ci-dessus.
scim-tokens-caption = Jetons que votre fournisseur d'identité peut utiliser
scim-created = Créé
scim-never-used = Jamais
scim-token-name-hint = Le fournisseur auquel il est destiné, par exemple « Okta ».
scim-create-token = Créer un jeton SCIM
scim-choose-access-first = Enregistrez d'abord l'accès donné aux personnes provisionnées ; vous pourrez ensuite créer un jeton.
scim-too-many = Vous pouvez avoir au plus { $limit } jetons SCIM : révoquez-en un d'abord
scim-back = Retour à Partager votre compte
scim-how-to-use = Dans les réglages SCIM de votre fournisseur d'identité, saisissez :
scim-auth = Authentification
scim-auth-bearer = En-tête HTTP, jeton Bearer : le jeton ci-dessus
scim-back-to-provisioning = Retour au provisionnement
scim-revoke-consequence = La prochaine requête de votre fournisseur d'identité avec ce jeton est refusée : plus personne n'est ajouté ni retiré tant que vous ne lui donnez pas un nouveau jeton. Personne ne perd son accès pour autant.
scim-flash-revoked = Le jeton SCIM « { $name } » est révoqué.
scim-groups = Groupes
scim-groups-lead = Les groupes que votre fournisseur d'identité envoie. Donnez un accès à un groupe : ses membres reçoivent cet accès au lieu de celui ci-dessus, et le perdent en quittant le groupe. Une personne dans plusieurs groupes reçoit l'accès du premier par ordre alphabétique.
scim-no-groups = Aucun groupe pour l'instant : ils apparaissent ici quand votre fournisseur d'identité les envoie.
scim-groups-caption = Groupes de votre fournisseur d'identité
scim-group = Groupe
scim-group-members = Membres
scim-group-access = Accès
scim-group-default = L'accès ci-dessus
scim-group-save = Enregistrer
scim-flash-group-mapped = L'accès du groupe « { $name } » est enregistré, et celui de ses membres mis à jour.
