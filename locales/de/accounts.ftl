# Die Konten, die eine Person erreicht: Kontoauswahl, Startseite eines Kontos, Bereiche.

showing-no-account = Kein Konto entspricht der Suche.
showing-one-account = 1 Konto wird angezeigt.
showing-accounts = Konten { $first } bis { $last } von { $matching }.
guidance-owner = Als Inhaber können Sie hier alles tun und das Konto freigeben.
guidance-manager = Sie können hier alles tun; nur die Kontofreigabe bleibt beim Inhaber.
guidance-developer-transactional = Sie können Transaktionsvorlagen bearbeiten und veröffentlichen und ihre Abschnitte sperren.
guidance-developer-statistics = Sie können die Echtzeitüberwachung nutzen und Warnmeldungen einrichten.
guidance-developer-account-management = Sie können API-Zugangsdaten verwalten; die übrigen Einstellungen bleiben beim Inhaber.
guidance-marketer-transactional = Sie können Änderungen an Transaktionsvorlagen vorschlagen, sie aber nicht veröffentlichen.
guidance-marketer = Sie können Kontakte verwalten, Kampagnen senden und Automatisierungs-Workflows ausführen.
guidance-designer = Sie können Vorlagen bearbeiten und Änderungen vorschlagen, sie aber nicht veröffentlichen. Sie können Vorlagenabschnitte sperren.
guidance-accountant = Sie können den Plan, das Prepaid-Konto und die Einzahlungen sowie frühere Rechnungen einsehen.
guidance-custom = Sie können diesen Bereich nutzen.
guidance-restricted = Eingeschränkt: { $restriction }.
missing-access = Ihr Zugriff auf { $account } umfasst { $area } nicht.
no-longer-reachable = Sie haben keinen Zugriff mehr auf dieses Konto: Sein Inhaber hat Ihren Zugriff geändert oder entfernt.

## Seiten

frame-your-account = Ihr Konto
frame-their-account = Konto von { $owner } ({ $email })
frame-your-role = Ihre Rolle: { $role }
frame-switch-account = Konto wechseln
frame-areas-of = Bereiche von { $account }
frame-overview = Übersicht
area-what-you-can-do = Was Sie hier tun können
area-stands-in = Diese Seite steht für die Seiten { $area } der E-Mail-Plattform; wer sie öffnen darf, wird hier tatsächlich entschieden.
area-forbidden-title = Sie haben keinen Zugriff auf { $area }
area-forbidden-ask = Den Zugriff vergibt der Kontoinhaber, { $owner } ({ $email }). Fragen Sie dort nach, wenn Sie ihn benötigen.
home-no-area = Ihr Zugriff öffnet keinen Bereich dieses Kontos.
home-areas = Diese Teile des Kontos können Sie nutzen.
switcher-title = Ihre Konten
switcher-search = Nach Konto oder Inhaber suchen
switcher-search-button = Suchen
switcher-clear-hidden = die Suche
switcher-none = Derzeit ist kein Konto mit Ihnen geteilt. Wenn jemand Sie einlädt, nehmen Sie die Einladung aus der E-Mail an, und das Konto erscheint hier.
switcher-choose = Wählen Sie das Konto, in dem Sie arbeiten möchten. Sie können jederzeit wechseln.
switcher-caption = Konten, in denen Sie arbeiten können
switcher-your-access = Ihr Zugriff
switcher-open = Öffnen
switcher-open-of = { $account } von { $owner }
switcher-current = Aktuell
switcher-you = Sie
switcher-pages = Seiten der Kontenliste
mailbox-lead = Es ist kein SMTP-Relay eingerichtet, daher werden die E-Mails dieses Servers hier aufbewahrt, die neuesten zuerst. Diese Seite gibt es nicht, wenn E-Mails an ein echtes Relay gehen. Die Einstellung:
mailbox-empty = Noch keine Nachrichten.
mailbox-to = An { $to }, { $at }
mailbox-text = Text der Nachricht

other-account-title = Dieses Formular war für ein anderes Konto
other-account-body = Sie haben es für { $form } ausgefüllt, arbeiten jetzt aber in { $current }, vielleicht nach einem Kontowechsel in einem anderen Tab oder Fenster.
other-account-nothing-changed = Es wurde nichts gesendet oder geändert.
other-account-switch = Zu { $account } wechseln
other-account-stay = In { $account } neu beginnen
area-sub-accounts-link = Ihre Unterkonten: anlegen, umbenennen und freigeben
