# Inscription, connexion, mots de passe et adresses email.

email-empty = Saisissez une adresse email
email-too-long = L'adresse email doit compter 254 caractères au plus
email-invisible = L'adresse email ne doit contenir ni espace, ni saut de ligne, ni caractère invisible
email-not-one-at = Saisissez une adresse email au bon format, comme nom@exemple.fr
email-local-part = La partie avant le @ ne peut contenir que des lettres de a à z, des chiffres et les symboles . _ + - (64 caractères au plus)
email-ip-domain = L'adresse email doit se terminer par un nom de domaine, comme exemple.fr, et non par une adresse IP
email-domain = La partie après le @ doit être un nom de domaine, comme exemple.fr
name-empty = Saisissez votre nom
name-too-long = Le nom doit compter 100 caractères au plus
name-invisible = Le nom ne doit contenir ni saut de ligne ni caractère invisible
password-too-short = Le mot de passe doit compter 8 caractères ou plus
password-too-long = Le mot de passe doit compter 256 caractères au plus
password-common = Choisissez un mot de passe plus difficile à deviner : celui-ci figure dans les listes de mots de passe courants
password-same-as-email = Choisissez un mot de passe différent de votre adresse email
check-this-answer = Vérifiez cette réponse
sign-in-failed = L'adresse email ou le mot de passe est incorrect : vérifiez-les et réessayez
enter-password = Saisissez votre mot de passe
flash-email-verified = Votre adresse email est vérifiée.
flash-verification-sent = Nous vous avons envoyé un nouveau lien de vérification. Seul le plus récent fonctionne.
forgot-title = Choisir un nouveau mot de passe
flash-password-reset = Votre nouveau mot de passe est enregistré. Vous êtes déconnecté partout ailleurs.
flash-password-changed = Votre mot de passe est modifié. Vous êtes déconnecté partout ailleurs.
flash-email-changed = Votre identifiant utilise désormais sa nouvelle adresse. L'ancienne en a été informée.
wrong-current-password = Votre mot de passe actuel est incorrect : vérifiez-le et réessayez
email-same-as-now = C'est déjà votre adresse : saisissez la nouvelle
email-taken-meanwhile = Un autre identifiant a pris cette adresse entre-temps : refaites la demande avec une autre adresse
