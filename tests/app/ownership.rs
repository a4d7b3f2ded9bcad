//! Ownership transfer (issue 11): the owner offers the account to an Active person with an
//! account of their own, confirming with their password; that person accepts within 72 hours
//! and becomes the owner in one transaction, the previous owner staying on as Manager of every
//! account. Refused for access-only logins until they set up an account of their own.

use std::time::Duration;

use reqwest::StatusCode;

use crate::{
    common::{PASSWORD, TestApp, attribute, location, spawn_app, texts},
    notifications::subjects,
    scale::statements_for,
    sharing::{invitation_link, invite_manager, open_link, own_master},
    workspace::member,
};

async fn offer(app: &TestApp, email: &str, password: &str) -> reqwest::Response {
    app.submit(
        "/sharing/transfer",
        "/sharing/transfer",
        &[("email", email), ("current_password", password)],
    )
    .await
}

/// Rita signs up with an account of her own, and is then invited to Olive's and accepts.
async fn rita_with_her_own_account(app: &TestApp) -> TestApp {
    let rita = app.another_visitor();
    rita.owner("rita@example.com", "free").await;
    invite_manager(app, "rita@example.com").await;
    let link = invitation_link(app, "rita@example.com", 1).await;
    open_link(&rita, &link).await;
    let accepted = rita
        .submit("/invitations/accept", "/invitations/accept", &[])
        .await;
    assert_eq!(accepted.status(), StatusCode::SEE_OTHER);
    rita
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_active_person_with_an_account_of_their_own_accepts_and_becomes_the_owner() {
    let app = spawn_app().await;
    app.owner("olive@example.com", "gold-premium").await;
    app.submit("/account", "/account/sub-accounts", &[("name", "Shop")])
        .await;
    let olive_master = app.master_of("olive@example.com");
    let master = own_master(&app).await;
    let ann = member(
        &app,
        "ann@example.com",
        &[("account_0", &master), ("role_0", "accountant")],
    )
    .await;
    let rita = rita_with_her_own_account(&app).await;
    app.execute("UPDATE people SET display_name = 'Rita' WHERE email = 'rita@example.com'");

    // A wrong password changes nothing; the right one makes the offer and mails Rita.
    let wrong = offer(&app, "rita@example.com", "not my password").await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        texts(&wrong.text().await.unwrap(), "#current_password-error").len(),
        1
    );
    assert_eq!(app.scalar("SELECT count(*) FROM ownership_transfers"), 0);
    let offered = offer(&app, "RITA@example.com", PASSWORD).await;
    assert_eq!(location(&offered), "/sharing/transfer");
    let (_, page) = app.get_html("/sharing/transfer").await;
    assert!(
        texts(&page, "#pending-transfer p")[0]
            .starts_with("Waiting for rita@example.com to accept, until ")
    );
    app.mails_to("rita@example.com", 3).await;
    assert!(
        subjects(&app, "rita@example.com")
            .contains(&"Olive Owner offers you the ownership of their account".to_owned())
    );

    // Rita sees the offer and accepts: she owns the account, Olive is Manager everywhere.
    let (_, html) = rita.get_html("/ownership").await;
    let accept = format!("/ownership/{olive_master}/accept");
    assert_eq!(
        attribute(&html, &format!("form[action='{accept}']"), "action").as_deref(),
        Some(accept.as_str())
    );
    let accepted = rita.submit("/ownership", &accept, &[]).await;
    assert_eq!(location(&accepted), "/sharing");
    assert_eq!(
        app.scalar(&format!(
            "SELECT count(*) FROM accounts a JOIN people p ON p.id = a.owner_id \
             WHERE a.id = {olive_master} AND p.email = 'rita@example.com' AND a.plan = 'gold-premium'"
        )),
        1
    );
    assert_eq!(
        app.scalar(&format!(
            "SELECT count(*) FROM grants g JOIN members m ON m.id = g.member_id \
             WHERE m.master_account_id = {olive_master} AND m.email = 'olive@example.com' \
             AND m.accepted_at IS NOT NULL AND g.role = 'manager'"
        )),
        2,
        "Manager on the master account and Shop"
    );
    assert_eq!(
        app.scalar("SELECT count(*) FROM members WHERE email = 'rita@example.com'"),
        0
    );
    assert_eq!(
        app.scalar(
            "SELECT count(*) FROM audit_events WHERE action = 'ownership_transferred' \
             AND before ->> 'owner' = 'olive@example.com' AND after ->> 'owner' = 'rita@example.com' \
             AND actor_email = 'rita@example.com'"
        ),
        1
    );
    app.outbox_settled().await;
    assert!(
        subjects(&app, "rita@example.com")
            .contains(&"You now own the account of Olive Owner".to_owned())
    );
    assert!(
        subjects(&app, "olive@example.com")
            .contains(&"Rita now owns your former account".to_owned())
    );

    // Rita's sharing page is the account she took over: Olive and Ann are on it.
    let (_, sharing) = rita.get_html("/sharing").await;
    let people = texts(&sharing, ".share-table tbody th");
    assert!(
        people.iter().any(|p| p.starts_with("olive@example.com")),
        "{people:?}"
    );
    assert!(
        people.iter().any(|p| p.starts_with("ann@example.com")),
        "{people:?}"
    );
    // She owns two accounts now, told apart by number in the switcher; she acts on Olive's.
    let rita_master = app.scalar(&format!(
        "SELECT a.id FROM accounts a JOIN people p ON p.id = a.owner_id \
         WHERE p.email = 'rita@example.com' AND a.id <> {olive_master}"
    ));
    let (_, accounts) = rita.get_html("/accounts").await;
    let names = texts(&accounts, "tbody th");
    assert!(
        names.contains(&format!("Master account no. {rita_master}")),
        "{names:?}"
    );
    assert!(
        names.contains(&format!("Master account no. {olive_master} Current")),
        "{names:?}"
    );
    // The sharing page is read with her session, for the account she acts on: in one statement
    // for either of her accounts, whichever is chosen in the switcher (issue 20).
    app.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
    let chosen = [
        format!("{rita_master}"),
        format!(
            "{olive_master}:{}",
            app.scalar(&format!(
                "SELECT min(id) FROM sub_accounts WHERE master_account_id = {olive_master}"
            ))
        ),
    ];
    for (account, shows_olive) in [(&chosen[0], false), (&chosen[1], true)] {
        rita.submit("/accounts", "/accounts/switch", &[("account", account)])
            .await;
        let (_, sharing) = rita.get_html("/sharing").await;
        let people = texts(&sharing, ".share-table tbody th");
        assert_eq!(
            people.iter().any(|p| p.starts_with("olive@example.com")),
            shows_olive,
            "{account}: {people:?}"
        );
        let mut fewest = i64::MAX;
        for _ in 0..3 {
            fewest = fewest.min(statements_for(&app, &rita, "/sharing").await);
        }
        assert_eq!(fewest, 1, "{account}");
    }
    // Olive no longer owns anything: sharing is not hers; she works in the account as Manager.
    let (status, _) = app.get_html("/sharing").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.get(&format!("/accounts/{olive_master}")).await.status(),
        StatusCode::OK
    );
    // Ann's access is unchanged.
    assert_eq!(
        ann.get(&format!("/accounts/{olive_master}")).await.status(),
        StatusCode::OK
    );
    // The offer is used up: pressing Accept again finds nothing.
    let again = rita.submit("/ownership", &accept, &[]).await;
    assert_eq!(again.status(), StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_for_access_only_logins_until_they_set_up_an_account_of_their_own() {
    let app = spawn_app().await;
    app.owner("olive@example.com", "gold-premium").await;
    let master = own_master(&app).await;
    let olive_master = app.master_of("olive@example.com");
    let ann = member(
        &app,
        "ann@example.com",
        &[("account_0", &master), ("role_0", "manager")],
    )
    .await;
    invite_manager(&app, "pat@example.com").await;

    for (email, says) in [
        (
            "ann@example.com",
            "ann@example.com uses an access-only login",
        ),
        (
            "pat@example.com",
            "pat@example.com has not accepted their invitation yet.",
        ),
        (
            "nobody@example.com",
            "nobody@example.com has no access to this account.",
        ),
        (
            "olive@example.com",
            "olive@example.com has no access to this account.",
        ),
    ] {
        let refused = offer(&app, email, PASSWORD).await;
        assert_eq!(
            refused.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{email}"
        );
        let html = refused.text().await.unwrap();
        assert!(
            texts(&html, "#email-error")[0].contains(says),
            "{email}: {:?}",
            texts(&html, "#email-error")
        );
        assert_eq!(attribute(&html, "#email", "value").as_deref(), Some(email));
    }
    assert_eq!(app.scalar("SELECT count(*) FROM ownership_transfers"), 0);

    // Ann sets up an account of her own from My account; then the offer goes through.
    let (_, mine) = ann.get_html("/account").await;
    assert_eq!(texts(&mine, "#own-account").len(), 1);
    let set_up = ann.submit("/account", "/account/own-account", &[]).await;
    assert_eq!(location(&set_up), "/account");
    assert_eq!(
        app.scalar("SELECT count(*) FROM accounts a JOIN people p ON p.id = a.owner_id WHERE p.email = 'ann@example.com' AND a.plan = 'free'"),
        1
    );
    assert_eq!(
        location(&offer(&app, "ann@example.com", PASSWORD).await),
        "/sharing/transfer"
    );

    // Cancelled: Ann's Accept finds nothing, and nothing changed.
    let cancelled = app
        .submit("/sharing/transfer", "/sharing/transfer/cancel", &[])
        .await;
    assert_eq!(location(&cancelled), "/sharing/transfer");
    let (_, html) = ann.get_html("/ownership").await;
    assert_eq!(texts(&html, "#no-offer").len(), 1);
    let accept = format!("/ownership/{olive_master}/accept");
    let (_, page) = ann.get_html("/account").await;
    let token = crate::common::csrf_token(&page);
    let late = ann.post_raw(&accept, &[("csrf_token", &token)]).await;
    assert_eq!(late.status(), StatusCode::NOT_FOUND);

    // Offered again, it runs out after 72 hours.
    offer(&app, "ann@example.com", PASSWORD).await;
    app.settings.clock.advance(Duration::from_secs(73 * 3600));
    ann.sign_in("ann@example.com", PASSWORD).await;
    let (_, page) = ann.get_html("/ownership").await;
    assert_eq!(texts(&page, "#no-offer").len(), 1);
    let expired = ann
        .post_raw(
            &accept,
            &[("csrf_token", &crate::common::csrf_token(&page))],
        )
        .await;
    assert_eq!(expired.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        app.scalar(&format!(
            "SELECT count(*) FROM accounts a JOIN people p ON p.id = a.owner_id \
             WHERE a.id = {olive_master} AND p.email = 'olive@example.com'"
        )),
        1
    );
}
