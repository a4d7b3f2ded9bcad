# Les abonnements et leurs limites.

plan-free = Gratuit
plan-essential = Essentiel
plan-bronze-premium = Bronze Premium
plan-crystal-premium = Crystal Premium
plan-silver-premium = Silver Premium
plan-gold-premium = Gold Premium
plan-platinum-premium = Platinum Premium
plan-diamond-premium = Diamond Premium
plan-enterprise = Grands Comptes
choose-plan = Sélectionnez un abonnement
plan-summary = { $seats ->
        [0] Aucun utilisateur partagé
        [one] Partage avec 1 personne
       *[other] Partage avec { $seats } personnes au plus
    }, { $advanced ->
        [0] aucun accès avancé
        [one] 1 accès avancé
       *[other] { $advanced } accès avancés
    }
flash-plan-changed = Votre abonnement est désormais { $plan }.
reduce-people = Supprimez l'accès de { $over } { $over ->
        [one] personne
       *[other] personnes
    } : { $plan } permet de partager avec { $seats } { $seats ->
        [one] personne
       *[other] personnes
    }.
reduce-advanced = Passez { $over } { $over ->
        [one] personne
       *[other] personnes
    } de Développeur, Marketeur, Designer ou Personnalisé à Administrateur ou Comptable, ou supprimez leur accès : { $plan } compte { $advanced } { $advanced ->
        [one] accès avancé
       *[other] accès avancés
    }.
