# Le cadre de chaque page, le choix de la langue, les pages d'erreur, les dates.

language-name = Français
site-name = Partage de compte
skip-to-content = Aller au contenu principal
nav-label = Votre identifiant
nav-accounts = Comptes
nav-share = Partager votre compte
nav-my-account = Mon compte
nav-sign-out = Se déconnecter
nav-sign-in = Se connecter
nav-create-account = Créer un compte
banner-success = C'est fait
footer-tagline = Partage de compte : partagez votre compte d'emailing sans partager votre mot de passe.
footer-dev-mailbox = Boîte de réception de développement
footer-dev-mailbox-note = (les emails envoyés par ce serveur tant qu'aucun relais SMTP n'est configuré)
language-switcher = Langue :
language-switch = Afficher en { $language }

date-time-utc = { $datetime } UTC

error-go-to-accounts = Aller à vos comptes
error-go-to-start = Aller à la page d'accueil
error-not-found-title = Page introuvable
error-not-found = Si vous avez saisi l'adresse, vérifiez qu'elle est correcte. Si vous avez suivi un lien, il appartient peut-être à un compte auquel vous n'avez pas accès.
error-forbidden-title = Vous n'avez pas accès à cette page
error-forbidden = Votre accès ne comprend pas cette page. Demandez-la au propriétaire du compte si vous en avez besoin.
error-not-verified-title = Vérifiez d'abord votre adresse email
error-not-verified = Le partage envoie des emails en votre nom : il lui faut une adresse dont nous savons qu'elle est la vôtre. Ouvrez le lien que nous vous avons envoyé, ou demandez-en un nouveau depuis Mon compte ; rien n'a été envoyé.
error-csrf-title = Ce formulaire n'a pas pu être accepté
error-csrf = Le formulaire a été envoyé depuis un autre site, ou la page est restée ouverte trop longtemps. Revenez en arrière, rechargez la page et réessayez.
error-wrong-method-title = Cette page ne peut pas faire cela
error-wrong-method = L'adresse est juste, mais elle a été demandée d'une façon à laquelle elle ne répond pas. Revenez en arrière et utilisez les liens et boutons de la page.
error-too-large-title = Ce que vous avez envoyé est trop volumineux
error-too-large = Le formulaire contenait plus de texte que nous n'en acceptons. Revenez en arrière, raccourcissez votre saisie et réessayez.
error-too-many-title = Trop de tentatives
error-too-many = Cette action a été tentée trop souvent en peu de temps : nous l'avons suspendue un moment, pour votre sécurité. Rien n'a été envoyé ni modifié. Patientez quelques minutes, puis réessayez.
error-bad-address-title = Cette adresse web n'a pas pu être comprise
error-bad-address = La partie de l'adresse après le point d'interrogation n'est pas celle qu'attend cette page. Si vous avez suivi un lien, copiez-le de nouveau en entier depuis l'endroit où vous l'avez trouvé.
error-bad-request-title = Ce formulaire n'a pas pu être compris
error-bad-form = Le formulaire contenait des champs inattendus, ou un champ en double. Revenez en arrière, rechargez la page et réessayez.
error-form-not-text = Le formulaire contenait des caractères qui ne sont pas du texte valide. Revenez en arrière, vérifiez ce que vous avez saisi ou collé, et réessayez.
error-not-a-web-form = Le formulaire n'a pas été envoyé comme le fait une page web. Revenez en arrière, rechargez la page et réessayez.
error-busy-title = Trop de vérifications de mots de passe en ce moment
error-busy = Plus de personnes se connectent en ce moment que nous ne pouvons en vérifier à la fois. Rien n’a été envoyé ni modifié. Réessayez dans une seconde.
error-unavailable-title = Désolés, le service est indisponible
error-unavailable = Nous ne parvenons pas à joindre notre base de données pour le moment. Rien de ce que vous avez envoyé n'a été enregistré. Réessayez dans quelques minutes.
error-internal-title = Désolés, le service rencontre un problème
error-internal = Un problème est survenu de notre côté et rien n'a été modifié. Réessayez plus tard.
error-bad-request = Nous n'avons pas pu traiter cette demande. Revenez en arrière et réessayez, ou repartez de la page d'accueil.
error-search-too-long = Recherchez 254 caractères au plus : aucune adresse email ni aucun nom n'est plus long. Revenez en arrière et raccourcissez votre recherche.
error-unknown-filter = Ce filtre ne fait pas partie de ceux que propose la page. Revenez à Partager votre compte et choisissez dans ses listes.
error-no-such-page = Cette page de la liste n'existe pas. Revenez à Partager votre compte et repartez de sa première page.
error-unknown-language = Cette langue ne fait pas partie de celles que nous proposons. Revenez en arrière et choisissez English, Français ou Deutsch.

## Formulaires

form-error-prefix = Erreur :
form-there-is-a-problem = Un problème est survenu
form-email = Adresse email
form-cancel = Annuler
error-date-format = Saisissez la date sous la forme année-mois-jour, par exemple 2027-03-31.
error-dates-reversed = La date de fin précède la date de début : choisissez une date de fin égale ou postérieure.
error-end-date-past = Choisissez aujourd'hui ou une date ultérieure : l'accès prendrait fin avant de commencer.
error-end-date-too-far = Choisissez une date dans les dix prochaines années, ou laissez le champ vide pour un accès sans fin.
mailbox-filter = Messages par destinataire
mailbox-to-filter = Envoyés à (une partie de l’adresse)
mailbox-show = Afficher les messages
mailbox-showing = Les { $shown } plus récents sur { $count } { $count ->
    [one] message
   *[other] messages
}, du plus récent au plus ancien
mailbox-showing-all = { $count ->
    [one] 1 message
   *[other] { $count } messages
}, du plus récent au plus ancien

## L’API des membres (INTEGRATION.md S17) : le détail des problèmes, dans la langue du titulaire du jeton

api-no-such-account = Ce jeton fonctionne sur un autre compte : aucun compte de ce numéro ne lui est connu.
api-not-the-owner = Seul le propriétaire du compte gère son partage ; la personne de ce jeton a un accès au compte, pas sa propriété.
api-scope-missing = Ce jeton ne peut pas faire cela : il lui faut la portée { $scope }. Créez un jeton qui l’a dans Mon compte → Jetons d’API.
api-no-such-person = Personne n’a accès à ce compte sous cet identifiant.
api-verify-first = Vérifiez d’abord votre adresse e-mail : les invitations partent en votre nom.
api-too-many = Trop de requêtes en peu de temps. Patientez, puis réessayez : l’en-tête Retry-After dit combien de temps.
api-bad-request = La requête n’a pas pu être comprise.
api-invalid = Certains champs ne peuvent pas être acceptés tels quels : chacun est listé avec ce qui ne va pas.
api-bad-json = Le corps n’est pas le JSON qu’attend cet appel : { $error }
api-not-an-object = Le corps est un objet JSON : {"{"} … {"}"}.
api-bad-query = La chaîne de requête a un paramètre inconnu ou répété.
api-limit = La limite est un nombre entier de 1 à { $max }.
api-cursor = Ce curseur ne vient pas de cette API : utilisez le « next » de la page précédente.
api-not-your-account = « { $account } » n’est pas un compte de ce propriétaire : utilisez "42" pour le compte principal ou "42/7" pour l’un de ses sous-comptes.
api-account-twice = Ce compte figure deux fois.
api-unknown-role = « { $role } » n’est pas un rôle : utilisez manager, accountant, developer, marketer, designer ou custom.
api-unknown-area = « { $area } » n’est pas une section de ce compte (docs/permissions.md les liste).
api-areas-for-custom = Seul le rôle custom prend des sections.
api-restrictions-for-advanced = Les restrictions ne s’appliquent qu’aux rôles avancés.
api-unknown-restriction = « { $restriction } » n’est pas une restriction : utilisez drafts_only, no_labels ou no_section_locking.
api-idempotency-key = L’en-tête Idempotency-Key compte de 1 à 255 caractères imprimables, envoyé une seule fois.
api-idempotency-reused = Cette Idempotency-Key a déjà servi pour une autre requête : utilisez une nouvelle clé pour une nouvelle requête.
api-idempotency-under-way = Une requête avec cette Idempotency-Key est encore en cours : réessayez dans un instant.
api-status = Le statut est pending, active ou expired.
api-search-too-long = La recherche compte au plus 200 caractères.
api-resend-body = Le renvoi ne prend pas de corps, ou {"{"}{"}"}.
api-unknown-action = « { $action } » n’est pas une action du journal d’activité.
api-date = Une date s’écrit AAAA-MM-JJ.
