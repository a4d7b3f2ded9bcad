//! What a security review of a fresh clone found (issue 16), each with the test that would have
//! caught it: records shown to the wrong login, links that outlive the credentials they were
//! sent for, lockouts and floods, rules only the mail worker enforced, and data that could not
//! be removed.

use reqwest::StatusCode;

use crate::{
    common::{PASSWORD, TestApp, location, spawn_app, spawn_app_with, texts},
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

const NEW_PASSWORD: &str = "a brand new passphrase";

/// The newest link mailed to `email` whose address starts with `path`, waiting for the
/// `nth` such mail.
async fn link_to(app: &TestApp, email: &str, path: &str, nth: usize) -> String {
    let prefix = format!("{}{path}?token=", app.base_url);
    for _ in 0..200 {
        let links: Vec<String> = app
            .smtp
            .received()
            .iter()
            .filter(|mail| mail.envelope_to.iter().any(|to| to == email))
            .filter_map(|mail| mail.link_starting(&prefix))
            .collect();
        if links.len() >= nth {
            return links[nth - 1].clone();
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("no link number {nth} to {path} for {email}");
}

/// How many mails with a link to `path` went to `email`.
fn links_sent(app: &TestApp, email: &str, path: &str) -> usize {
    let prefix = format!("{}{path}?token=", app.base_url);
    app.smtp
        .received()
        .iter()
        .filter(|mail| mail.envelope_to.iter().any(|to| to == email))
        .filter(|mail| mail.link_starting(&prefix).is_some())
        .count()
}

/// Follows a reset link in a browser of its own and chooses `password`: whether it worked.
async fn reset_with(app: &TestApp, link: &str, password: &str) -> bool {
    let holder = app.another_visitor();
    holder.client.get(link).send().await.unwrap();
    let (status, _) = holder.get_html("/password-reset/new").await;
    if status != StatusCode::OK {
        assert_eq!(status, StatusCode::GONE);
        return false;
    }
    let response = holder
        .submit(
            "/password-reset/new",
            "/password-reset/new",
            &[("password", password)],
        )
        .await;
    response.status() == StatusCode::SEE_OTHER
}

/// Follows an email-change link in `browser` and confirms it: whether the login moved.
async fn confirm_email_change(browser: &TestApp, link: &str) -> bool {
    browser.client.get(link).send().await.unwrap();
    let (status, _) = browser.get_html("/account/email/confirm").await;
    if status != StatusCode::OK {
        return false;
    }
    let response = browser
        .submit("/account/email/confirm", "/account/email/confirm", &[])
        .await;
    response.status() == StatusCode::SEE_OTHER
}

async fn ask_for_reset(app: &TestApp, email: &str) {
    let response = app
        .another_visitor()
        .submit("/password-reset", "/password-reset", &[("email", email)])
        .await;
    assert_eq!(response.status(), StatusCode::OK);
}

async fn ask_for_email_change(app: &TestApp, to: &str, password: &str) {
    let response = app
        .submit(
            "/account/email",
            "/account/email",
            &[("email", to), ("current_password", password)],
        )
        .await;
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "the change to {to} is asked"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reset_link_dies_with_a_password_change_a_sign_out_everywhere_or_an_address_change() {
    // More reset links than one address may ask for in an hour.
    let app = spawn_app_with(|vars| {
        vars.insert("RATE_PASSWORD_RESET_PER_ADDRESS".into(), "20/1h".into());
    })
    .await;
    app.owner("lee@example.com", "free").await;
    let reset = "/password-reset/new";

    // Changed on My account.
    ask_for_reset(&app, "lee@example.com").await;
    let first = link_to(&app, "lee@example.com", reset, 1).await;
    let changed = app
        .submit(
            "/account/password",
            "/account/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(changed.status(), StatusCode::SEE_OTHER);
    assert!(
        !reset_with(&app, &first, "a thief's passphrase").await,
        "a reset link outlived a password change"
    );

    // Signed out everywhere.
    ask_for_reset(&app, "lee@example.com").await;
    let second = link_to(&app, "lee@example.com", reset, 2).await;
    let signed_out = app
        .submit("/account", "/account/sign-out-everywhere", &[])
        .await;
    assert_eq!(signed_out.status(), StatusCode::OK);
    assert!(!reset_with(&app, &second, "a thief's passphrase").await);

    // Another reset used first.
    ask_for_reset(&app, "lee@example.com").await;
    let third = link_to(&app, "lee@example.com", reset, 3).await;
    ask_for_reset(&app, "lee@example.com").await;
    let fourth = link_to(&app, "lee@example.com", reset, 4).await;
    assert!(
        reset_with(&app, &fourth, PASSWORD).await,
        "the newest works"
    );
    assert!(!reset_with(&app, &third, "a thief's passphrase").await);

    // The address moved.
    app.sign_in("lee@example.com", PASSWORD).await;
    ask_for_reset(&app, "lee@example.com").await;
    let fifth = link_to(&app, "lee@example.com", reset, 5).await;
    ask_for_email_change(&app, "lee@elsewhere.test", PASSWORD).await;
    let moving = link_to(&app, "lee@elsewhere.test", "/account/email/confirm", 1).await;
    assert!(confirm_email_change(&app, &moving).await);
    assert!(!reset_with(&app, &fifth, "a thief's passphrase").await);

    // And the other way round: a reset used kills an email-change link already sent.
    ask_for_email_change(&app, "lee@third.test", PASSWORD).await;
    let to_third = link_to(&app, "lee@third.test", "/account/email/confirm", 1).await;
    ask_for_reset(&app, "lee@elsewhere.test").await;
    let sixth = link_to(&app, "lee@elsewhere.test", reset, 1).await;
    assert!(reset_with(&app, &sixth, NEW_PASSWORD).await);
    assert!(!confirm_email_change(&app.another_visitor(), &to_third).await);
    assert_eq!(
        app.scalar("SELECT count(*) FROM people WHERE email = 'lee@elsewhere.test'"),
        1
    );
    let thief = app.another_visitor();
    assert_eq!(
        thief
            .sign_in("lee@elsewhere.test", "a thief's passphrase")
            .await
            .status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_email_change_link_moves_the_login_only_to_the_address_it_was_mailed_to() {
    let app = spawn_app().await;
    app.owner("kim@example.com", "free").await;
    let confirm = "/account/email/confirm";

    // Sent to A, then a change to B: A's link is dead, B's works.
    ask_for_email_change(&app, "a@kim.test", PASSWORD).await;
    let to_a = link_to(&app, "a@kim.test", confirm, 1).await;
    ask_for_email_change(&app, "b@kim.test", PASSWORD).await;
    let to_b = link_to(&app, "b@kim.test", confirm, 1).await;
    assert!(!confirm_email_change(&app, &to_a).await);
    assert_eq!(
        app.scalar("SELECT count(*) FROM people WHERE email = 'kim@example.com'"),
        1,
        "A's link moved the login nowhere"
    );
    assert!(confirm_email_change(&app, &to_b).await);
    assert_eq!(
        app.scalar("SELECT count(*) FROM people WHERE email = 'b@kim.test'"),
        1
    );
    // Once used, B's link and A's stay dead.
    assert!(!confirm_email_change(&app, &to_b).await);
    assert!(!confirm_email_change(&app, &to_a).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_verification_link_works_only_for_the_address_it_was_sent_to() {
    let app = spawn_app().await;
    app.sign_up("viv@example.com", "Viv", PASSWORD, "free")
        .await;
    let first = link_to(&app, "viv@example.com", "/verify-email", 1).await;
    app.sign_in("viv@example.com", PASSWORD).await;

    // The login moves to another address before verifying: the first link proves nothing now.
    ask_for_email_change(&app, "viv@new.test", PASSWORD).await;
    let moving = link_to(&app, "viv@new.test", "/account/email/confirm", 1).await;
    assert!(confirm_email_change(&app, &moving).await);
    let verifier = app.another_visitor();
    verifier.client.get(&first).send().await.unwrap();
    let verified = verifier.submit("/verify-email", "/verify-email", &[]).await;
    assert_eq!(verified.status(), StatusCode::GONE);

    // A second sign-up, verified by a reset link instead: its verification link dies.
    app.another_visitor()
        .sign_up("wes@example.com", "Wes", PASSWORD, "free")
        .await;
    let verification = link_to(&app, "wes@example.com", "/verify-email", 1).await;
    ask_for_reset(&app, "wes@example.com").await;
    let reset = link_to(&app, "wes@example.com", "/password-reset/new", 1).await;
    assert!(reset_with(&app, &reset, NEW_PASSWORD).await);
    let late = app.another_visitor();
    late.client.get(&verification).send().await.unwrap();
    let response = late.submit("/verify-email", "/verify-email", &[]).await;
    assert_eq!(response.status(), StatusCode::GONE);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn links_queued_while_the_relay_is_down_die_with_the_changes_made_meanwhile() {
    let app = spawn_app().await;
    // Two server processes, each with its mail worker, share the queue; the same browser uses
    // both, as behind a load balancer.
    let other = TestApp {
        client: app.client.clone(),
        ..app.second_server().await
    };
    app.owner("max@example.com", "free").await;

    // Mail goes out while the relay is up: the change to b@ arrives, and will be confirmed later.
    ask_for_email_change(&app, "b@max.test", PASSWORD).await;
    let to_b = link_to(&app, "b@max.test", "/account/email/confirm", 1).await;

    // The relay is down while a reset is asked, a change to c@ and then to d@ are asked, and the
    // login moves to b@ (its link arrived before the outage).
    app.smtp.set_down(true);
    ask_for_reset(&other, "max@example.com").await;
    ask_for_email_change(&app, "c@max.test", PASSWORD).await;
    ask_for_email_change(&other, "d@max.test", PASSWORD).await;
    // The change to d@ replaced the one to b@, whose link no longer moves the login.
    assert!(!confirm_email_change(&app, &to_b).await);
    let attempted =
        || app.scalar("SELECT count(*) FROM outbox WHERE attempts > 0 AND status = 'pending'");
    for _ in 0..200 {
        if attempted() >= 3 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(attempted() >= 3, "both workers met the relay down");

    // The relay comes back: the reset goes out (nothing changed the password), c@'s mail is
    // withdrawn, d@'s goes out, each once.
    app.smtp.set_down(false);
    app.make_outbox_due();
    let to_d = link_to(&app, "d@max.test", "/account/email/confirm", 1).await;
    let reset = link_to(&app, "max@example.com", "/password-reset/new", 1).await;
    app.outbox_settled().await;
    assert_eq!(links_sent(&app, "c@max.test", "/account/email/confirm"), 0);
    assert_eq!(links_sent(&app, "d@max.test", "/account/email/confirm"), 1);
    assert_eq!(
        links_sent(&app, "max@example.com", "/password-reset/new"),
        1
    );

    // The relay goes down again; a reset is asked; the login moves to d@ meanwhile. The reset
    // queued for the old address is never delivered there, and the earlier one is dead.
    app.smtp.set_down(true);
    ask_for_reset(&other, "max@example.com").await;
    assert!(confirm_email_change(&app, &to_d).await);
    app.smtp.set_down(false);
    app.make_outbox_due();
    app.outbox_settled().await;
    assert_eq!(
        links_sent(&app, "max@example.com", "/password-reset/new"),
        1
    );
    assert_eq!(
        app.scalar(
            "SELECT count(*) FROM outbox WHERE message->>'kind' = 'password_reset' AND status = 'cancelled'"
        ),
        1
    );
    assert!(!reset_with(&app, &reset, "a thief's passphrase").await);
    assert_eq!(
        app.scalar("SELECT count(*) FROM people WHERE email = 'd@max.test'"),
        1
    );
}
