# Les abonnements et leurs limites.

plan-free = Free
plan-essential = Essential
plan-bronze-premium = Bronze Premium
plan-crystal-premium = Crystal Premium
plan-silver-premium = Silver Premium
plan-gold-premium = Gold Premium
plan-platinum-premium = Platinum Premium
plan-diamond-premium = Diamond Premium
plan-enterprise = Enterprise
choose-plan = Sélectionnez un abonnement
plan-summary = { $seats ->
        [0] Vous seul : pas de partage avec cet abonnement
        [one] Partage avec 1 personne
       *[other] Partage avec { $seats } personnes au plus
    }, { $advanced ->
        [0] aucun accès avancé
        [one] 1 accès avancé
       *[other] { $advanced } accès avancés
    }, { $sub_accounts } sous-comptes au plus
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

## La page de l'abonnement

plan-title = Votre abonnement
plan-reduce-title = Réduisez d'abord votre partage
plan-reduce-lead = Votre partage ne tient pas dans l'abonnement choisi. Avant de pouvoir en changer :
plan-premium-people = Personnes avec un accès avancé : { $emails }.
plan-make-changes = Faites ces modifications sur la page de partage :
plan-you-are-on = Votre abonnement est { $plan }.
plan-you-share = Vous partagez avec { $people } { $people ->
        [one] personne
       *[other] personnes
    }, dont { $advanced } avec un accès avancé.
plan-choose = Choisissez un abonnement
plan-yours = (votre abonnement)
plan-billing-note = La facturation elle-même est gérée par la plateforme d'emailing ; ceci modifie vos limites de partage.
downgrade-title = Restrictions avancées et { $plan }
downgrade-heading = { $plan } n'a pas de restrictions avancées
downgrade-body = { $people } { $people ->
        [one] personne a
       *[other] personnes ont
    } des restrictions avancées sur les modèles, les libellés ou les sections verrouillées. { $plan } ne peut pas les conserver.
downgrade-anyway = Passer quand même à l'abonnement inférieur
downgrade-anyway-what = {" "}: les restrictions sont retirées, ces personnes ont donc tous les droits sur les modèles (brouillons et publication, libellés, sections verrouillées). Chacun garde son rôle.
downgrade-review = Revoir les autorisations
downgrade-review-what = {" "}: allez sur la page de partage pour modifier d'abord leur accès, puis revenez changer d'abonnement.
