# Einladungen aus Sicht der eingeladenen Person.

flash-invitation-accepted = Sie haben die Einladung angenommen.
flash-invitation-declined = Sie haben die Einladung abgelehnt. Der Eigentümer wurde benachrichtigt, und der Link funktioniert nicht mehr.
