# Die Konten, die eine Person erreicht: Kontoauswahl, Startseite eines Kontos, Bereiche.

showing-no-account = Kein Konto entspricht der Suche.
showing-one-account = 1 Konto wird angezeigt.
showing-accounts = Konten { $first } bis { $last } von { $matching }.
guidance-owner = Als Eigentümer können Sie hier alles tun und das Konto freigeben.
guidance-manager = Sie können hier alles tun; nur die Kontofreigabe bleibt beim Eigentümer.
guidance-developer-transactional = Sie können Transaktionsvorlagen bearbeiten und veröffentlichen und ihre Abschnitte sperren.
guidance-developer-statistics = Sie können die Echtzeitüberwachung nutzen und Warnmeldungen einrichten.
guidance-developer-account-management = Sie können API-Zugangsdaten verwalten; die übrigen Einstellungen bleiben beim Eigentümer.
guidance-marketer-transactional = Sie können Änderungen an Transaktionsvorlagen vorschlagen, sie aber nicht veröffentlichen.
guidance-marketer = Sie können Kontakte verwalten, Kampagnen senden und Automatisierungs-Workflows ausführen.
guidance-designer = Sie können Vorlagen bearbeiten und Änderungen vorschlagen, sie aber nicht veröffentlichen. Sie können Vorlagenabschnitte sperren.
guidance-accountant = Sie können den Plan, das Prepaid-Konto und die Einzahlungen sowie frühere Rechnungen einsehen.
guidance-custom = Sie können diesen Bereich nutzen.
guidance-restricted = Eingeschränkt: { $restriction }.
missing-access = Ihr Zugriff auf { $account } umfasst { $area } nicht.
no-longer-reachable = Sie haben keinen Zugriff mehr auf dieses Konto: Sein Eigentümer hat Ihren Zugriff geändert oder entfernt.
