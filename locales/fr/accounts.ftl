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
