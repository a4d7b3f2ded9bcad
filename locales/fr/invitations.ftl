# Les invitations, telles que les voit la personne invitée.

flash-invitation-accepted = Vous avez accepté l'invitation.
flash-invitation-declined = Vous avez refusé l'invitation. Son propriétaire en a été informé, et le lien ne fonctionne plus.
