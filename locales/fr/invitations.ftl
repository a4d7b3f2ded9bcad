# Les invitations, telles que les voit la personne invitée.

flash-invitation-accepted = Vous avez accepté l'invitation.
flash-invitation-declined = Vous avez refusé l'invitation. Son propriétaire en a été informé, et le lien ne fonctionne plus.

inv-title = Invitation de { $owner }
inv-heading = { $owner } vous invite sur son compte d'emailing
inv-offers = { $owner } ({ $owner_email }) propose cet accès à
inv-offers-end = {" "}:
inv-which-accounts = Quels comptes
inv-open-until = L'invitation est valable jusqu'au { $date }.
inv-accept = Accepter l'invitation
inv-other-address-title = Cette invitation est destinée à une autre adresse
inv-other-address = L'invitation a été envoyée à { $email }, mais vous êtes connecté en tant que { $signed_in }. Seule la personne qui a l'adresse invitée peut l'accepter.
inv-sign-out-and-continue = Se déconnecter et continuer
inv-has-login = { $email } a déjà un identifiant chez nous. Connectez-vous avec pour accepter ; vous reviendrez sur cette page.
inv-sign-in-to-accept = Se connecter pour accepter
inv-create-login-title = Créez votre identifiant pour accepter
inv-create-login = Votre identifiant « Accès uniquement » ne fonctionnera que dans les comptes partagés avec vous. Votre adresse email est { $email } : suivre le lien d'invitation l'a confirmée.
inv-your-name = Votre nom
inv-your-name-hint = Visible par le propriétaire du compte.
inv-password = Mot de passe
password-hint = Au moins 8 caractères. Quelques mots à la suite font un mot de passe solide.
inv-create-login-and-accept = Créer l'identifiant et accepter
inv-not-wanted = Ce n'est pas pour vous, ou vous n'en voulez pas ?
inv-decline-link = Refuser l'invitation
inv-decline-title = Refuser l'invitation de { $owner }
inv-decline-heading = Voulez-vous vraiment refuser l'invitation de { $owner } ?
inv-decline-body = L'invitation envoyée à { $email } sera supprimée et son lien cessera de fonctionner. { $owner } en sera informé par email, et pourra vous inviter de nouveau plus tard.
inv-decline-button = Refuser l'invitation
inv-back-to-invitation = Revenir à l'invitation
inv-declined-title = Invitation refusée
inv-declined-body = Vous n'avez plus rien à faire. Si vous changez d'avis, demandez à la personne qui vous a invité d'envoyer une nouvelle invitation.
inv-dead-title = Ce lien d'invitation ne fonctionne pas
inv-dead-body = Les liens d'invitation fonctionnent une fois, pour une durée limitée, et seul le plus récent qui vous a été envoyé fonctionne. Celui-ci a été utilisé, a expiré, a été remplacé par une invitation plus récente, ou l'invitation a été retirée.
inv-dead-ask = Demandez à la personne qui vous a invité de renvoyer l'invitation. Si vous avez déjà accepté, les comptes partagés vous attendent.
inv-dead-your-accounts = Aller à vos comptes
inv-dead-sign-in = Se connecter pour accéder aux comptes partagés
