//! What a security review of a fresh clone found (issue 16), each with the test that would have
//! caught it: records shown to the wrong login, links that outlive the credentials they were
//! sent for, lockouts and floods, rules only the mail worker enforced, and data that could not
//! be removed.

use reqwest::StatusCode;

use crate::{
    common::{PASSWORD, TestApp, location, spawn_app, texts},
    sharing::{invitation_link, invite_and_confirm, open_link},
};

/// The owner `email` on Gold Premium with a sub-account called `sub_account`.
async fn owner_with_sub_account(app: &TestApp, email: &str, sub_account: &str) {
    app.owner(email, "gold-premium").await;
    let created = app
        .submit(
            "/account",
            "/account/sub-accounts",
            &[("name", sub_account)],
        )
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
}

/// Whether My account's access history names `who` in one of its records.
fn records_name(html: &str, who: &str) -> bool {
    texts(html, ".activity-table td")
        .iter()
        .any(|cell| cell.contains(who))
}

/// The newest verification link mailed to `email`.
async fn verification_link(app: &TestApp, email: &str) -> String {
    let prefix = format!("{}/verify-email", app.base_url);
    for _ in 0..200 {
        let found = app
            .smtp
            .received()
            .iter()
            .filter(|mail| mail.envelope_to.iter().any(|to| to == email))
            .filter_map(|mail| mail.link_starting(&prefix))
            .next_back();
        if let Some(link) = found {
            return link;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("no verification link to {email}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn my_account_shows_no_records_of_an_address_someone_else_was_invited_at() {
    let app = spawn_app().await;
    owner_with_sub_account(&app, "ann@acme.test", "Acme Payroll").await;
    let master = app.master_of("ann@acme.test");
    let payroll = app.sub_account_value("Acme Payroll");
    let invited = invite_and_confirm(
        &app,
        &[
            ("email", "t@corp.test"),
            ("account_0", &master),
            ("role_0", "manager"),
            ("account_1", &payroll),
            ("role_1", "manager"),
        ],
    )
    .await;
    assert_eq!(invited.status(), StatusCode::SEE_OTHER);

    // Someone signs up with the invited address, never verifies it, and signs in.
    let stranger = app.another_visitor();
    stranger
        .sign_up("t@corp.test", "Tess", PASSWORD, "free")
        .await;
    assert_eq!(
        location(&stranger.sign_in("t@corp.test", PASSWORD).await),
        "/accounts"
    );
    let (status, html) = stranger.get_html("/account").await;
    assert_eq!(status, StatusCode::OK);
    for secret in ["ann@acme.test", "Acme Payroll", "Manager"] {
        assert!(!html.contains(secret), "My account shows {secret:?}");
    }

    // Proving the address does not open another person's records either: the invitation is not
    // theirs until they accept it.
    let verification = verification_link(&stranger, "t@corp.test").await;
    stranger.verify_with_link(&verification).await;
    let (_, html) = stranger.get_html("/account").await;
    assert!(!html.contains("ann@acme.test") && !html.contains("Acme Payroll"));

    // Once they accept it, the records of their own access are theirs to see.
    let link = invitation_link(&app, "t@corp.test", 1).await;
    open_link(&stranger, &link).await;
    let accepted = stranger
        .submit("/invitations/accept", "/invitations/accept", &[])
        .await;
    assert_eq!(accepted.status(), StatusCode::SEE_OTHER);
    let (_, html) = stranger.get_html("/account").await;
    assert!(
        records_name(&html, "ann@acme.test"),
        "the accepted access's records are shown"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn records_stay_with_the_login_not_the_address_it_moves_from() {
    let app = spawn_app().await;
    app.owner("ann@acme.test", "gold-premium").await;
    let master = app.master_of("ann@acme.test");
    invite_and_confirm(
        &app,
        &[
            ("email", "old@corp.test"),
            ("account_0", &master),
            ("role_0", "manager"),
        ],
    )
    .await;
    // A later invitation to the address the person moves to, which someone else will accept.
    let person = app.another_visitor();
    let link = invitation_link(&app, "old@corp.test", 1).await;
    open_link(&person, &link).await;
    person
        .submit(
            "/invitations/accept",
            "/invitations/accept/new-login",
            &[("name", "Pat"), ("password", PASSWORD)],
        )
        .await;
    let (_, before) = person.get_html("/account").await;
    assert!(records_name(&before, "ann@acme.test"));

    let moved = person
        .submit(
            "/account/email",
            "/account/email",
            &[("email", "new@corp.test"), ("current_password", PASSWORD)],
        )
        .await;
    assert_eq!(moved.status(), StatusCode::OK);
    let confirm = person
        .mails_to("new@corp.test", 1)
        .await
        .iter()
        .find_map(|mail| mail.link_starting(&format!("{}/account/email/confirm", app.base_url)))
        .unwrap();
    person.client.get(&confirm).send().await.unwrap();
    person
        .submit("/account/email/confirm", "/account/email/confirm", &[])
        .await;
    assert_eq!(
        app.scalar("SELECT count(*) FROM people WHERE email = 'new@corp.test'"),
        1
    );
    let (_, after) = person.get_html("/account").await;
    assert!(
        records_name(&after, "ann@acme.test"),
        "the login keeps its own records"
    );

    // Whoever signs up with the address it left sees none of them.
    let newcomer = app.another_visitor();
    newcomer
        .sign_up("old@corp.test", "Newcomer", PASSWORD, "free")
        .await;
    let verification = verification_link(&newcomer, "old@corp.test").await;
    newcomer.verify_with_link(&verification).await;
    let (_, html) = newcomer.get_html("/account").await;
    assert!(!html.contains("ann@acme.test"));
}
