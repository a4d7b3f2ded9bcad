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

/// Signs in from the client `ip`, as a trusted proxy in front of the service names it.
async fn sign_in_from(app: &TestApp, ip: &str, email: &str, password: &str) -> reqwest::Response {
    let visitor = app.another_visitor();
    let (_, html) = visitor.get_html("/sign-in").await;
    let token = crate::common::csrf_token(&html);
    visitor
        .client
        .post(visitor.url("/sign-in"))
        .header("x-forwarded-for", ip)
        .form(&[
            ("csrf_token", token.as_str()),
            ("email", email),
            ("password", password),
        ])
        .send()
        .await
        .unwrap()
}

async fn behind_a_proxy() -> TestApp {
    spawn_app_with(|vars| {
        vars.insert("TRUSTED_PROXIES".into(), "127.0.0.1".into());
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_passwords_from_one_client_never_lock_the_rightful_person_out() {
    let app = behind_a_proxy().await;
    app.owner("kit@example.com", "free").await;
    let guesser = "203.0.113.5";
    for try_number in 1..=10 {
        let response = sign_in_from(&app, guesser, "kit@example.com", "a wrong guess").await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "try {try_number}"
        );
    }
    let eleventh = sign_in_from(&app, guesser, "kit@example.com", "a wrong guess").await;
    assert_eq!(eleventh.status(), StatusCode::TOO_MANY_REQUESTS);

    // Kit, from where Kit has not failed, gets in at once, with no wait.
    let started = std::time::Instant::now();
    let kit = sign_in_from(&app, "198.51.100.7", "kit@example.com", PASSWORD).await;
    assert_eq!(
        kit.status(),
        StatusCode::SEE_OTHER,
        "the rightful person got in"
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(1));
    // The guesser, even with the right password, still meets 429.
    let guessed = sign_in_from(&app, guesser, "kit@example.com", PASSWORD).await;
    assert_eq!(guessed.status(), StatusCode::TOO_MANY_REQUESTS);

    // A second guesser is not refused by the address's count, but once it has failed it is
    // slowed down while the address is being guessed at.
    let second = "198.51.100.99";
    let first_try = sign_in_from(&app, second, "kit@example.com", "another guess").await;
    assert_eq!(first_try.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let started = std::time::Instant::now();
    let second_try = sign_in_from(&app, second, "kit@example.com", "another guess").await;
    assert_eq!(second_try.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let waited = started.elapsed();
    assert!(waited >= std::time::Duration::from_secs(2), "{waited:?}");
    println!(
        "lockout: 10 wrong tries from one client, 11th 429; the right password from another client in {:?}; a second guesser slowed by {waited:?}",
        std::time::Duration::ZERO
    );

    // A completed password reset clears the address's failures: the guesser's client, now in
    // the hands of the person who proved the mailbox, signs in at once.
    ask_for_reset(&app, "kit@example.com").await;
    let reset = link_to(&app, "kit@example.com", "/password-reset/new", 1).await;
    assert!(reset_with(&app, &reset, NEW_PASSWORD).await);
    let after_reset = sign_in_from(&app, guesser, "kit@example.com", NEW_PASSWORD).await;
    assert_eq!(after_reset.status(), StatusCode::SEE_OTHER);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_current_password_on_my_account_is_guarded_by_the_same_count() {
    let app = behind_a_proxy().await;
    app.owner("liv@example.com", "free").await;
    // Nine wrong sign-ins from one client, then one wrong current password on My account from
    // the same client: the tenth failure. The next try, of either kind, is refused.
    for _ in 0..9 {
        sign_in_from(&app, "203.0.113.77", "liv@example.com", "wrong").await;
    }
    let (_, html) = app.get_html("/account/password").await;
    let token = crate::common::csrf_token(&html);
    let change = |current: &'static str| {
        app.client
            .post(app.url("/account/password"))
            .header("x-forwarded-for", "203.0.113.77")
            .form(&[
                ("csrf_token", token.as_str()),
                ("current_password", current),
                ("new_password", NEW_PASSWORD),
            ])
            .send()
    };
    assert_eq!(
        change("wrong").await.unwrap().status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        change(PASSWORD).await.unwrap().status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    let sign_in = sign_in_from(&app, "203.0.113.77", "liv@example.com", PASSWORD).await;
    assert_eq!(sign_in.status(), StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_ipv6_client_is_counted_by_its_64() {
    let app = behind_a_proxy().await;
    app.owner("ivy@example.com", "free").await;
    // Ten failures, each from another address of one /64, as one machine can make them.
    for host in 1..=10 {
        let ip = format!("2001:db8:7:1::{host:x}");
        let response = sign_in_from(&app, &ip, "ivy@example.com", "wrong").await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    let same_network =
        sign_in_from(&app, "2001:db8:7:1:ffff::1", "ivy@example.com", PASSWORD).await;
    assert_eq!(same_network.status(), StatusCode::TOO_MANY_REQUESTS);
    let next_network = sign_in_from(&app, "2001:db8:7:2::1", "ivy@example.com", PASSWORD).await;
    assert_eq!(next_network.status(), StatusCode::SEE_OTHER);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn asking_for_a_reset_does_the_same_work_for_known_and_unknown_addresses() {
    let app = spawn_app_with(|vars| {
        vars.insert("RATE_PASSWORD_RESET_PER_ADDRESS".into(), "1000/1h".into());
        vars.insert("RATE_PASSWORD_RESET_PER_IP".into(), "1000/1h".into());
    })
    .await;
    app.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
    app.owner("known@example.com", "free").await;
    let visitor = app.another_visitor();
    let (_, html) = visitor.get_html("/password-reset").await;
    let token = crate::common::csrf_token(&html);
    let ask = |email: String| {
        let (visitor, token) = (visitor.clone(), token.clone());
        async move {
            let started = std::time::Instant::now();
            let response = visitor
                .post_raw(
                    "/password-reset",
                    &[("csrf_token", token.as_str()), ("email", email.as_str())],
                )
                .await;
            assert_eq!(response.status(), StatusCode::OK);
            response.text().await.unwrap();
            started.elapsed()
        }
    };

    // The same statements either way.
    let mut work = Vec::new();
    for email in ["known@example.com", "nobody@example.com"] {
        app.outbox_settled().await;
        let before = app.statements_so_far();
        ask(email.to_owned()).await;
        work.push(app.statements_so_far() - before);
    }
    assert_eq!(
        work[0], work[1],
        "statements for a known address, then an unknown one"
    );

    // And the same time: 100 of each, interleaved.
    let (mut known, mut unknown) = (Vec::new(), Vec::new());
    for round in 0..100 {
        known.push(ask("known@example.com".to_owned()).await);
        unknown.push(ask(format!("nobody{round}@example.com")).await);
    }
    let known_p50 = crate::common::percentile(&mut known, 0.5);
    let unknown_p50 = crate::common::percentile(&mut unknown, 0.5);
    let difference = known_p50.abs_diff(unknown_p50);
    println!(
        "forgot your password, 100 each: {} statements either way; known p50 {known_p50:?}, unknown p50 {unknown_p50:?}, median difference {difference:?}",
        work[0]
    );
    assert!(
        difference < std::time::Duration::from_millis(10),
        "{difference:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn anonymous_page_views_store_nothing() {
    use futures_util::StreamExt;
    let app = spawn_app().await;
    // Something to look at, made before counting.
    app.owner("ola@example.com", "free").await;
    app.outbox_settled().await;
    let made_up = account_sharing::secrets::random_token();
    let pages: Vec<String> = [
        "/",
        "/sign-in",
        "/sign-in?next=%2Fsharing",
        "/sign-up",
        "/sign-up?plan=gold-premium",
        "/password-reset",
        "/password-reset/new",
        "/verify-email",
        "/invitations/accept",
        "/invitations/decline",
        "/invitations/declined",
        "/account/email/confirm",
        "/account",
        "/sharing",
        "/no-such-page",
        "/health",
    ]
    .into_iter()
    .map(str::to_owned)
    .chain(
        [
            "/password-reset/new",
            "/verify-email",
            "/invitations/accept",
            "/account/email/confirm",
        ]
        .iter()
        .map(|path| format!("{path}?token={made_up}")),
    )
    .collect();
    let before = app.database_fingerprint();
    // No cookie jar: each request comes as a crawler's does, without a cookie.
    let crawler = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    let requests = pages.iter().flat_map(|path| {
        let url = app.url(path);
        (0..1000).map(move |_| url.clone())
    });
    let statuses: Vec<u16> = futures_util::stream::iter(requests)
        .map(|url| {
            let crawler = crawler.clone();
            async move { crawler.get(url).send().await.unwrap().status().as_u16() }
        })
        .buffer_unordered(16)
        .collect()
        .await;
    assert!(statuses.iter().all(|status| *status < 500), "no 5xx");
    app.assert_unchanged_since(&before, "anonymous page views");
    println!(
        "{} anonymous GETs of {} signed-out pages in {:?}: 0 rows written",
        statuses.len(),
        pages.len(),
        started.elapsed()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sub_accounts_are_capped_by_plan_need_a_verified_owner_and_are_rate_limited() {
    let app = spawn_app_with(|vars| {
        vars.insert("RATE_SUB_ACCOUNTS_PER_OWNER".into(), "5/1h".into());
    })
    .await;
    let create = |app: &TestApp, name: String| {
        let app = app.clone();
        async move {
            app.submit("/account", "/account/sub-accounts", &[("name", &name)])
                .await
        }
    };
    let count = |app: &TestApp| app.scalar("SELECT count(*) FROM sub_accounts");

    // A sign-up that has not proved its address creates none.
    let unverified = app.another_visitor();
    unverified
        .sign_up("una@example.com", "Una", PASSWORD, "gold-premium")
        .await;
    unverified.sign_in("una@example.com", PASSWORD).await;
    let refused = create(&unverified, "Una's brand".into()).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert_eq!(count(&app), 0);

    // Free allows 3, however many are sent at once.
    let free = app.another_visitor();
    free.owner("fay@example.com", "free").await;
    let raced = crate::common::at_once(
        (0..10)
            .map(|i| -> crate::common::Request<StatusCode> {
                let attempt = create(&free, format!("Brand {i}"));
                Box::pin(async move { attempt.await.status() })
            })
            .collect(),
    )
    .await;
    let created = raced
        .results
        .iter()
        .filter(|status| **status == StatusCode::CREATED)
        .count();
    assert_eq!(created, 3, "{:?}", raced.results);
    assert!(
        raced
            .results
            .iter()
            .all(|status| [StatusCode::CREATED, StatusCode::UNPROCESSABLE_ENTITY].contains(status))
    );
    assert_eq!(count(&app), 3);
    let over = create(&free, "One more".into()).await;
    assert_eq!(over.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = over.text().await.unwrap();
    assert!(
        html.contains("Your plan allows 3 sub-accounts"),
        "the refusal says why"
    );
    assert_eq!(
        crate::common::attribute(&html, "input#name", "value").as_deref(),
        Some("One more"),
        "the name typed is kept"
    );

    // A larger plan allows more, at most 5 an hour.
    let gold = app.another_visitor();
    gold.owner("gil@example.com", "gold-premium").await;
    for i in 0..5 {
        assert_eq!(
            create(&gold, format!("Gold {i}")).await.status(),
            StatusCode::CREATED
        );
    }
    assert_eq!(
        create(&gold, "Gold 5".into()).await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(count(&app), 8);
}

/// Sends `count` sign-ins at once, each from its own client and with an address nobody has, and
/// polls /health meanwhile: the statuses, and /health's slowest answer.
pub async fn flood_of_sign_ins(
    app: &TestApp,
    count: usize,
) -> (Vec<StatusCode>, std::time::Duration, Vec<String>) {
    let (_, html) = app.get_html("/sign-in").await;
    let token = crate::common::csrf_token(&html);
    let requests: Vec<crate::common::Request<(StatusCode, Option<String>)>> = (0..count)
        .map(
            |i| -> crate::common::Request<(StatusCode, Option<String>)> {
                let (client, url, token) = (app.client.clone(), app.url("/sign-in"), token.clone());
                Box::pin(async move {
                    let response = client
                        .post(url)
                        .header(
                            "x-forwarded-for",
                            format!("10.{}.{}.{}", i / 65536, i / 256 % 256, i % 256),
                        )
                        .form(&[
                            ("csrf_token", token.as_str()),
                            ("email", format!("flood{i}@example.com").as_str()),
                            ("password", "a guessed passphrase"),
                        ])
                        .send()
                        .await
                        .unwrap();
                    let retry_after = response
                        .headers()
                        .get("retry-after")
                        .map(|v| v.to_str().unwrap().to_owned());
                    (response.status(), retry_after)
                })
            },
        )
        .collect();
    let health = {
        let (client, url) = (reqwest::Client::new(), app.url("/health"));
        tokio::spawn(async move {
            let mut slowest = std::time::Duration::ZERO;
            for _ in 0..40 {
                let started = std::time::Instant::now();
                let status = client.get(&url).send().await.unwrap().status();
                assert_eq!(status, StatusCode::OK, "/health during the flood");
                slowest = slowest.max(started.elapsed());
                tokio::time::sleep(std::time::Duration::from_millis(25)).await;
            }
            slowest
        })
    };
    let raced = crate::common::at_once(requests).await;
    let slowest = health.await.unwrap();
    let retry_afters = raced
        .results
        .iter()
        .filter(|(status, _)| *status == StatusCode::SERVICE_UNAVAILABLE)
        .map(|(_, retry)| retry.clone().expect("Retry-After with each 503"))
        .collect();
    (
        raced
            .results
            .into_iter()
            .map(|(status, _)| status)
            .collect(),
        slowest,
        retry_afters,
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_of_sign_ins_waits_its_turn_or_is_told_to_come_back() {
    let app = behind_a_proxy().await;
    let (statuses, slowest_health, retry_afters) = flood_of_sign_ins(&app, 300).await;
    let refused = retry_afters.len();
    let answered = statuses
        .iter()
        .filter(|status| **status == StatusCode::UNPROCESSABLE_ENTITY)
        .count();
    assert_eq!(answered + refused, 300, "{statuses:?}");
    assert!(refused > 0, "past the queue, 503: {answered} answered");
    assert!(retry_afters.iter().all(|retry| retry == "1"));
    assert!(
        slowest_health < std::time::Duration::from_secs(2),
        "{slowest_health:?}"
    );
    println!(
        "300 sign-ins at once: {answered} checked, {refused} told to come back (503, Retry-After 1); /health's slowest answer {slowest_health:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_access_ends_at_the_end_of_its_last_day_even_when_the_mail_worker_hangs() {
    // Sessions that outlast the day the clock moves by, so that only the access ends.
    let app = spawn_app_with(|vars| {
        vars.insert("SESSION_IDLE_MINUTES".into(), "2880".into());
        vars.insert("SESSION_ABSOLUTE_HOURS".into(), "48".into());
    })
    .await;
    app.owner("olive@example.com", "gold-premium").await;
    let master = crate::sharing::own_master(&app).await;
    let today = app.settings.clock.now().date_naive().to_string();
    let ann = crate::workspace::member(
        &app,
        "ann@example.com",
        &[
            ("account_0", &master),
            ("role_0", "manager"),
            ("access_ends_on", &today),
        ],
    )
    .await;
    let home = format!("/accounts/{master}");
    assert_eq!(ann.get(&home).await.status(), StatusCode::OK);
    app.outbox_settled().await;

    // The relay hangs in the middle of a delivery: the worker, and its sweep, wait with it.
    app.smtp.slow_down(std::time::Duration::from_secs(60));
    crate::sharing::invite_manager(&app, "bo@example.com").await;
    for _ in 0..200 {
        if app.scalar("SELECT count(*) FROM outbox WHERE status = 'pending' AND attempts > 0") > 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }

    // The day is over (UTC): Ann's next request is refused, though nothing removed her access.
    app.settings
        .clock
        .advance(std::time::Duration::from_secs(24 * 3600));
    assert_eq!(ann.get(&home).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        ann.get(&format!("{home}/areas/contacts")).await.status(),
        StatusCode::NOT_FOUND
    );
    let (status, switcher) = ann.get_html("/accounts").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        !switcher.contains(&format!("/accounts/{master}")),
        "{switcher}"
    );
    assert_eq!(
        app.scalar("SELECT count(*) FROM members WHERE email = 'ann@example.com'"),
        1,
        "the sweep has not run: the request itself refused"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_weekly_sweep_removes_what_it_can_and_unverified_owners_change_no_plan() {
    let app = spawn_app().await;
    for email in ["squat1@example.com", "squat2@example.com"] {
        app.another_visitor()
            .sign_up(email, "Squatter", PASSWORD, "free")
            .await;
    }
    // An unverified owner cannot change plan, which would leave a record nothing may delete.
    let squatter = app.another_visitor();
    squatter.sign_in("squat1@example.com", PASSWORD).await;
    let refused = squatter
        .submit("/plan", "/plan", &[("plan", "gold-premium")])
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.scalar("SELECT count(*) FROM audit_events"), 0);
    // One of them holds a record all the same, as an earlier version allowed.
    app.execute(
        "INSERT INTO audit_events (master_account_id, action) \
         SELECT a.id, 'plan_changed' FROM accounts a JOIN people p ON p.id = a.owner_id \
         WHERE p.email = 'squat1@example.com'",
    );
    app.execute("UPDATE people SET created_at = now() - interval '8 days'");
    let state = account_sharing::startup::state_without_server(app.settings.clone())
        .await
        .unwrap();
    let now = app.settings.clock.now();
    let removed = state
        .db
        .run(move |conn| account_sharing::services::login::remove_never_verified(conn, now))
        .await
        .expect("the sweep does not fail for everyone because of one row");
    assert_eq!(removed, 1);
    assert_eq!(
        app.scalar("SELECT count(*) FROM people WHERE email = 'squat2@example.com'"),
        0
    );
    assert_eq!(app.scalar("SELECT count(*) FROM audit_events"), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn access_outlives_the_login_of_whoever_invited_it() {
    let app = spawn_app().await;
    app.owner("olive@example.com", "gold-premium").await;
    let master = crate::sharing::own_master(&app).await;
    let ann = crate::workspace::member(
        &app,
        "ann@example.com",
        &[("account_0", &master), ("role_0", "manager")],
    )
    .await;
    // Ann was invited by someone other than the owner (as after an ownership transfer, the
    // previous owner), whose login the operator then removes.
    app.another_visitor()
        .sign_up("inviter@example.com", "Inviter", PASSWORD, "free")
        .await;
    app.execute(
        "UPDATE members SET invited_by = (SELECT id FROM people WHERE email = 'inviter@example.com') \
         WHERE email = 'ann@example.com'",
    );
    app.execute("DELETE FROM people WHERE email = 'inviter@example.com'");
    assert_eq!(
        app.scalar(
            "SELECT count(*) FROM members WHERE email = 'ann@example.com' AND invited_by IS NULL"
        ),
        1,
        "the access is kept, without its inviter"
    );
    assert_eq!(
        ann.get(&format!("/accounts/{master}")).await.status(),
        StatusCode::OK
    );
    let (status, html) = app.get_html("/sharing").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("ann@example.com"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn someone_with_access_under_an_earlier_address_is_not_invited_twice() {
    let app = spawn_app().await;
    app.owner("olive@example.com", "essential").await;
    let master = crate::sharing::own_master(&app).await;
    let manager = [("account_0", master.as_str()), ("role_0", "manager")];
    let pat = crate::workspace::member(&app, "pat@old.test", &manager).await;
    // An invitation to the address Pat is about to move to, sent before the move.
    let early = crate::sharing::invite_manager(&app, "pat@new.test").await;
    assert_eq!(early.status(), StatusCode::SEE_OTHER);
    let link = invitation_link(&app, "pat@new.test", 1).await;

    ask_for_email_change(&pat, "pat@new.test", PASSWORD).await;
    let moving = link_to(&app, "pat@new.test", "/account/email/confirm", 1).await;
    assert!(confirm_email_change(&pat, &moving).await);

    // Inviting that address now is refused in words, and nothing is stored.
    let again = crate::sharing::invite(
        &app,
        &[
            ("email", "pat@new.test"),
            ("account_0", &master),
            ("role_0", "accountant"),
            ("action", "send"),
        ],
    )
    .await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(texts(&again.text().await.unwrap(), "#email-error")[0].contains("already has access"));

    // Pat follows the earlier invitation: no 500, the access stays as it was, the seat is free.
    open_link(&pat, &link).await;
    let accepted = pat
        .submit("/invitations/accept", "/invitations/accept", &[])
        .await;
    assert_eq!(accepted.status(), StatusCode::SEE_OTHER);
    let landing = location(&accepted);
    let (_, mut page) = pat.get_html(&landing).await;
    if !page.contains("You already have access") {
        // One account: the list goes straight into it, and the message with it.
        let into = location(&pat.get(&landing).await);
        page = pat.get_html(&into).await.1;
    }
    assert!(
        page.contains("You already have access to this account"),
        "{page}"
    );
    assert_eq!(
        app.scalar(&format!(
            "SELECT count(*) FROM members WHERE master_account_id = {master}"
        )),
        1,
        "one member, one seat"
    );
    assert_eq!(
        app.scalar("SELECT count(*) FROM grants g JOIN members m ON m.id = g.member_id WHERE g.role = 'manager' AND m.email = 'pat@old.test'"),
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accepting_an_ownership_transfer_renews_the_session_key() {
    let app = spawn_app().await;
    app.owner("olive@example.com", "gold-premium").await;
    let rita = app.another_visitor();
    rita.owner("rita@example.com", "free").await;
    crate::sharing::invite_manager(&app, "rita@example.com").await;
    let link = invitation_link(&app, "rita@example.com", 1).await;
    open_link(&rita, &link).await;
    rita.submit("/invitations/accept", "/invitations/accept", &[])
        .await;
    let offered = app
        .submit(
            "/sharing/transfer",
            "/sharing/transfer",
            &[
                ("email", "rita@example.com"),
                ("current_password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(offered.status(), StatusCode::SEE_OTHER);
    let keys = || {
        app.scalar(
            "SELECT count(*) FROM sessions s JOIN people p ON p.id = s.person_id \
             WHERE p.email = 'rita@example.com'",
        )
    };
    let sessions_before: Vec<String> = {
        use diesel::RunQueryDsl;
        #[derive(diesel::QueryableByName)]
        struct Key {
            #[diesel(sql_type = diesel::sql_types::Text)]
            key: String,
        }
        diesel::sql_query(
            "SELECT encode(key_hash, 'hex') AS key FROM sessions s JOIN people p ON p.id = s.person_id WHERE p.email = 'rita@example.com'",
        )
        .load::<Key>(&mut app.connection())
        .unwrap()
        .into_iter()
        .map(|k| k.key)
        .collect()
    };
    assert_eq!(keys(), 1);
    let olive_master = app.master_of("olive@example.com");
    let accepted = rita
        .submit(
            "/ownership",
            &format!("/ownership/{olive_master}/accept"),
            &[],
        )
        .await;
    assert_eq!(accepted.status(), StatusCode::SEE_OTHER);
    assert_eq!(keys(), 1, "one session, under a new key");
    for old in &sessions_before {
        assert_eq!(
            app.scalar(&format!(
                "SELECT count(*) FROM sessions WHERE encode(key_hash, 'hex') = '{old}'"
            )),
            0,
            "the key from before accepting no longer works (R18)"
        );
    }
    assert_eq!(rita.get("/sharing").await.status(), StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_form_shown_for_one_account_changes_nothing_in_another() {
    let app = spawn_app().await;
    app.owner("olive@example.com", "gold-premium").await;
    let first = app.master_of("olive@example.com");
    // Olive comes to own a second master account (as a transfer to her would give her).
    app.execute(
        "INSERT INTO accounts (owner_id, plan) SELECT id, 'free' FROM people WHERE email = 'olive@example.com'",
    );
    let second = app.scalar(&format!(
        "SELECT max(a.id) FROM accounts a JOIN people p ON p.id = a.owner_id WHERE p.email = 'olive@example.com' AND a.id <> {first}"
    ));
    let switch = |account: String| {
        let app = app.clone();
        async move {
            app.submit("/accounts", "/accounts/switch", &[("account", &account)])
                .await
        }
    };
    switch(first.clone()).await;
    // Forms shown for the first account, in one tab...
    let (_, invite_form) = app.get_html("/sharing/invite").await;
    let (_, plan_form) = app.get_html("/plan").await;
    let (_, transfer_form) = app.get_html("/sharing/transfer").await;
    for form in [&invite_form, &plan_form, &transfer_form] {
        assert_eq!(
            crate::common::attribute(form, "input[name=for_account]", "value"),
            Some(first.clone())
        );
    }
    // ...sent after switching to the second in another.
    switch(second.to_string()).await;
    let before = app.database_fingerprint();
    let token = crate::common::csrf_token(&invite_form);
    let sent = [
        (
            "/sharing/invite",
            vec![
                ("email", "dana@example.com"),
                ("account_0", first.as_str()),
                ("role_0", "manager"),
                ("action", "send"),
            ],
        ),
        ("/plan", vec![("plan", "free")]),
        (
            "/sharing/transfer",
            vec![
                ("email", "rita@example.com"),
                ("current_password", PASSWORD),
            ],
        ),
        ("/sharing/transfer/cancel", vec![]),
    ];
    for (path, fields) in sent {
        let mut all = vec![
            ("csrf_token", token.as_str()),
            ("for_account", first.as_str()),
        ];
        all.extend(fields);
        let response = app.post_raw(path, &all).await;
        assert_eq!(response.status(), StatusCode::CONFLICT, "{path}");
        let html = response.text().await.unwrap();
        assert_eq!(texts(&html, "h1"), ["This form was for another account"]);
        assert!(
            texts(&html, "main p")[0].contains(&format!("Master account no. {first}")),
            "{path}"
        );
    }
    app.assert_unchanged_since(&before, "forms sent for another account");
}

/// A password check works in 19 MiB of its own. A hashing thread keeps it while checks wait
/// their turn and gives it back when none does, so a server that once had a burst of sign-ins
/// does not hold up to 76 MB (four threads on two cores) for good (issue 20's RSS).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_gives_back_the_memory_its_password_checks_took() {
    use crate::bench::{memory_of, server_process};
    let app = crate::common::spawn_app().await;
    let (server, base_url) = server_process(&app).await;
    let pid = server.id().unwrap();
    let target = TestApp {
        base_url,
        client: crate::common::browser(),
        ..app.clone()
    };
    let (before, _) = memory_of(pid);
    // Sixteen at once: each hashing thread checks several.
    let (statuses, _, _) = flood_of_sign_ins(&target, 16).await;
    assert!(
        statuses
            .iter()
            .all(|s| *s == StatusCode::UNPROCESSABLE_ENTITY),
        "{statuses:?}"
    );
    let (mut after, peak) = memory_of(pid);
    // The last checks' threads give their memory back just after answering.
    for _ in 0..40 {
        if after <= before + 10.0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        after = memory_of(pid).0;
    }
    assert!(
        peak >= before + 19.0,
        "the checks took less memory than Argon2's: {before:.0} MB, at most {peak:.0} MB"
    );
    println!("RSS {before:.0} MB, at most {peak:.0} MB during 16 checks, {after:.0} MB after");
    assert!(
        after <= before + 10.0,
        "RSS {before:.0} MB before the sign-ins, at most {peak:.0} MB, still {after:.0} MB after"
    );
}
