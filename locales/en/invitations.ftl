# Invitations as the invited person sees them.

flash-invitation-accepted = You have accepted the invitation.
flash-invitation-declined = You have declined the invitation. Its owner has been told, and the link no longer works.
