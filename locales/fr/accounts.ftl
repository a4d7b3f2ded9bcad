# Les comptes qu'une personne atteint : le sélecteur, l'accueil d'un compte, les sections.

showing-no-account = Aucun compte ne correspond.
showing-one-account = 1 compte affiché.
showing-accounts = Comptes { $first } à { $last } sur { $matching }.
guidance-owner = En tant que propriétaire, vous pouvez tout faire ici, et partager le compte.
guidance-manager = Vous pouvez tout faire ici ; seul le partage du compte reste au propriétaire.
guidance-developer-transactional = Vous pouvez modifier et publier les modèles transactionnels, et verrouiller leurs sections.
guidance-developer-statistics = Vous pouvez utiliser le suivi en temps réel et configurer des alertes.
guidance-developer-account-management = Vous pouvez gérer les identifiants d'API ; les autres paramètres restent au propriétaire.
guidance-marketer-transactional = Vous pouvez suggérer des modifications sur les modèles transactionnels, sans les publier.
guidance-marketer = Vous pouvez gérer les contacts, envoyer des campagnes et lancer des workflows automatisés.
guidance-designer = Vous pouvez modifier les modèles et suggérer des changements, sans les publier. Vous pouvez verrouiller des sections de modèles.
guidance-accountant = Vous pouvez consulter l'abonnement, le compte prépayé et les dépôts, et les factures passées.
guidance-custom = Vous pouvez utiliser cette section.
guidance-restricted = Restreint : { $restriction }.
missing-access = Votre accès à { $account } ne comprend pas { $area }.
no-longer-reachable = Vous n'avez plus accès à ce compte : son propriétaire a modifié ou supprimé votre accès.

## Pages

frame-your-account = Votre compte
frame-their-account = Compte de { $owner } ({ $email })
frame-your-role = votre rôle : { $role }
frame-switch-account = Changer de compte
frame-areas-of = Sections de { $account }
frame-overview = Vue d'ensemble
area-what-you-can-do = Ce que vous pouvez faire ici
area-stands-in = Cette page tient lieu des pages { $area } de la plateforme d'emailing ; qui peut l'ouvrir est décidé ici, pour de vrai.
area-forbidden-title = Vous n'avez pas accès à { $area }
area-forbidden-ask = L'accès est donné par le propriétaire du compte, { $owner } ({ $email }). Demandez-le-lui si vous en avez besoin.
home-no-area = Votre accès n'ouvre aucune section de ce compte.
home-areas = Voici les parties du compte que vous pouvez utiliser.
switcher-title = Vos comptes
switcher-search = Rechercher par compte ou par propriétaire
switcher-search-button = Rechercher
switcher-clear-hidden = la recherche
switcher-none = Aucun compte n'est partagé avec vous pour le moment. Quand quelqu'un vous invite, acceptez depuis l'email et le compte apparaît ici.
switcher-choose = Choisissez le compte sur lequel travailler. Vous pouvez en changer à tout moment.
switcher-caption = Les comptes sur lesquels vous pouvez travailler
switcher-your-access = Votre accès
switcher-open = Ouvrir
switcher-open-of = { $account } de { $owner }
switcher-current = Actuel
switcher-you = Vous
switcher-pages = Pages de comptes
mailbox-lead = Aucun relais SMTP n'est configuré : les emails envoyés par ce serveur sont conservés ici, les plus récents d'abord. Cette page n'existe pas quand les emails partent vers un vrai relais. Le réglage :
mailbox-empty = Aucun message pour l'instant.
mailbox-to = À { $to }, { $at }
mailbox-text = Texte du message

other-account-title = Ce formulaire concernait un autre compte
other-account-body = Vous l’avez rempli pour { $form }, mais vous travaillez maintenant dans { $current }, peut-être après avoir changé de compte dans un autre onglet ou une autre fenêtre.
other-account-nothing-changed = Rien n’a été envoyé ni modifié.
other-account-switch = Passer à { $account }
other-account-stay = Recommencer dans { $account }
area-sub-accounts-link = Vos sous-comptes : les créer, les renommer et les partager
