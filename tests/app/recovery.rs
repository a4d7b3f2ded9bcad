//! A person's own login: "Forgot your password?", changing password and address, signing out
//! everywhere, and sign-ups never verified giving their address back.

use reqwest::StatusCode;

use crate::common::{PASSWORD, TestApp, csrf_token, location, spawn_app, texts};

const NEW_PASSWORD: &str = "a brand new passphrase";

async fn mail_to(app: &TestApp, address: &str, subject: &str) -> crate::common::smtp::ReceivedMail {
    for _ in 0..200 {
        if let Some(mail) = app.smtp.received().into_iter().rev().find(|mail| {
            mail.envelope_to.iter().any(|to| to == address) && mail.subject() == subject
        }) {
            return mail;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("no mail {subject:?} to {address}");
}

fn signed_in(response: &reqwest::Response) -> bool {
    response.status() == StatusCode::OK
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forgotten_password_is_reset_once_and_ends_every_other_session() {
    let app = spawn_app().await;
    app.owner("ada@example.com", "free").await;
    let laptop = app.another_visitor();
    laptop.sign_in("ada@example.com", PASSWORD).await;
    assert!(signed_in(&laptop.get("/account").await));

    // The same page for an address with a login and one without (R22); only one mail.
    let visitor = app.another_visitor();
    let (_, sign_in) = visitor.get_html("/sign-in").await;
    assert_eq!(
        crate::common::attribute(&sign_in, "a[href='/password-reset']", "href").as_deref(),
        Some("/password-reset")
    );
    let mut pages = Vec::new();
    for address in ["ada@example.com", "nobody@example.com"] {
        let response = visitor
            .submit("/password-reset", "/password-reset", &[("email", address)])
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        let html = response.text().await.unwrap().replace("<wbr>", "");
        pages.push(html.replace(address, "EMAIL"));
    }
    assert_eq!(pages[0], pages[1]);
    assert_eq!(texts(&pages[0], "h1"), ["Check your email"]);
    let mail = mail_to(&app, "ada@example.com", "Choose a new password").await;
    assert_eq!(
        app.scalar("SELECT count(*) FROM outbox WHERE message->>'kind' = 'password_reset'"),
        1
    );
    let link = mail
        .link_starting(&format!("{}/password-reset/new?token=", app.base_url))
        .expect("a link");
    assert!(!app.database_contains(link.split_once("token=").unwrap().1));

    // The link: a clean address, a form, and only the POST uses it.
    let response = visitor.client.get(&link).send().await.unwrap();
    assert_eq!(location(&response), "/password-reset/new");
    let (status, html) = visitor.get_html("/password-reset/new").await;
    assert_eq!(status, StatusCode::OK);
    assert!(texts(&html, "main p")[0].contains("ada@example.com"));
    let response = visitor
        .submit(
            "/password-reset/new",
            "/password-reset/new",
            &[("password", "short")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let response = visitor
        .submit(
            "/password-reset/new",
            "/password-reset/new",
            &[("password", NEW_PASSWORD)],
        )
        .await;
    assert_eq!(location(&response), "/accounts");
    assert!(
        signed_in(&visitor.get("/account").await),
        "signed in afresh"
    );
    assert!(
        !signed_in(&laptop.get("/account").await),
        "the other session ended"
    );
    assert!(!signed_in(&app.get("/account").await), "the first one too");

    // The old password no longer works, the new one does; the link works once.
    let stranger = app.another_visitor();
    assert_eq!(
        stranger.sign_in("ada@example.com", PASSWORD).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        stranger
            .sign_in("ada@example.com", NEW_PASSWORD)
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    let again = app.another_visitor();
    again.client.get(&link).send().await.unwrap();
    let (status, html) = again.get_html("/password-reset/new").await;
    assert_eq!(status, StatusCode::GONE);
    assert_eq!(texts(&html, "h1"), ["This link does not work"]);

    // An hour later a new link has run out.
    visitor
        .submit(
            "/password-reset",
            "/password-reset",
            &[("email", "ada@example.com")],
        )
        .await;
    let newer = loop {
        let mails: Vec<_> = app
            .smtp
            .received()
            .into_iter()
            .filter(|mail| mail.subject() == "Choose a new password")
            .collect();
        if mails.len() == 2 {
            break mails[1].link_starting(&app.base_url).unwrap();
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    app.execute("UPDATE person_links SET expires_at = now() - interval '1 second'");
    let late = app.another_visitor();
    late.client.get(&newer).send().await.unwrap();
    assert_eq!(
        late.get("/password-reset/new").await.status(),
        StatusCode::GONE
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn my_account_changes_the_password_and_the_address_and_signs_out_everywhere() {
    let app = spawn_app().await;
    app.owner("bea@example.com", "free").await;
    let phone = app.another_visitor();
    phone.sign_in("bea@example.com", PASSWORD).await;

    // Change the password: the current one is asked for; other sessions end, this one stays.
    let response = app
        .submit(
            "/account/password",
            "/account/password",
            &[
                ("current_password", "wrong"),
                ("new_password", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(signed_in(&phone.get("/account").await), "nothing changed");
    let response = app
        .submit(
            "/account/password",
            "/account/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(location(&response), "/account");
    let (status, html) = app.get_html("/account").await;
    assert_eq!(status, StatusCode::OK, "still signed in here");
    assert_eq!(
        texts(&html, ".banner__body"),
        ["Your password is changed. You are signed out everywhere else."]
    );
    assert!(!signed_in(&phone.get("/account").await));

    // Change the address: the link goes to the new one, which counts once it is followed.
    for (fields, error) in [
        (
            [("email", "bee@example.com"), ("current_password", PASSWORD)],
            "Your current password is not right: check it and try again",
        ),
        (
            [
                ("email", "bea@example.com"),
                ("current_password", NEW_PASSWORD),
            ],
            "This is already your address: enter the new one",
        ),
    ] {
        let response = app
            .submit("/account/email", "/account/email", &fields)
            .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            texts(&response.text().await.unwrap(), ".error-summary a"),
            [error]
        );
    }
    let response = app
        .submit(
            "/account/email",
            "/account/email",
            &[
                ("email", "Bee@Example.com"),
                ("current_password", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        texts(&response.text().await.unwrap(), "h1"),
        ["Check the new address"]
    );
    let mail = mail_to(&app, "bee@example.com", "Confirm your new email address").await;
    let link = mail.link_starting(&app.base_url).unwrap();
    assert_eq!(
        app.scalar("SELECT count(*) FROM people WHERE email = 'bea@example.com'"),
        1,
        "nothing changes before the link"
    );
    // Followed from the new mailbox, in any browser.
    let mailbox = app.another_visitor();
    mailbox.client.get(&link).send().await.unwrap();
    let (status, html) = mailbox.get_html("/account/email/confirm").await;
    assert_eq!(status, StatusCode::OK);
    assert!(texts(&html, "main p")[0].contains("bee@example.com instead of bea@example.com"));
    let response = mailbox
        .post_raw(
            "/account/email/confirm",
            &[("csrf_token", &csrf_token(&html))],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.scalar("SELECT count(*) FROM people WHERE email = 'bee@example.com' AND email_verified_at IS NOT NULL"),
        1
    );
    let told = mail_to(
        &app,
        "bea@example.com",
        "Your login now uses another email address",
    )
    .await;
    assert!(told.text().contains("bee@example.com"));
    assert_eq!(
        app.another_visitor()
            .sign_in("bee@example.com", NEW_PASSWORD)
            .await
            .status(),
        StatusCode::SEE_OTHER
    );

    // An address that has a login gets no mail, and the page says the same.
    app.another_visitor()
        .sign_up("cy@example.com", "Cy", PASSWORD, "free")
        .await;
    let queued = app.scalar("SELECT count(*) FROM outbox");
    let response = app
        .submit(
            "/account/email",
            "/account/email",
            &[
                ("email", "cy@example.com"),
                ("current_password", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(
        texts(&response.text().await.unwrap(), "h1"),
        ["Check the new address"]
    );
    assert_eq!(app.scalar("SELECT count(*) FROM outbox"), queued);

    // Sign out everywhere: every session ends, this one too.
    phone.sign_in("bee@example.com", NEW_PASSWORD).await;
    assert!(signed_in(&phone.get("/account").await));
    let response = app
        .submit("/account", "/account/sign-out-everywhere", &[])
        .await;
    assert_eq!(
        texts(&response.text().await.unwrap(), "h1"),
        ["You have signed out"]
    );
    assert!(!signed_in(&app.get("/account").await));
    assert!(!signed_in(&phone.get("/account").await));
    assert_eq!(
        app.scalar("SELECT count(*) FROM sessions WHERE person_id IS NOT NULL"),
        0
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sign_up_never_verified_gives_its_address_back_after_a_week() {
    let app = spawn_app().await;
    app.sign_up("squat@example.com", "Squatter", PASSWORD, "free")
        .await;
    app.smtp.wait_for(1).await;
    let state = account_sharing::startup::state_without_server(app.settings.clone())
        .await
        .unwrap();
    let sweep = |state: &account_sharing::state::AppState| {
        let state_db = state.db.clone();
        async move {
            let now = chrono::Utc::now();
            state_db
                .run(move |conn| account_sharing::services::login::remove_never_verified(conn, now))
                .await
                .unwrap()
        }
    };
    // Six days on, still kept; eight days on, removed with its account.
    app.execute("UPDATE people SET created_at = now() - interval '6 days'");
    assert_eq!(sweep(&state).await, 0);
    app.execute("UPDATE people SET created_at = now() - interval '8 days'");
    assert_eq!(sweep(&state).await, 1);
    assert_eq!(app.scalar("SELECT count(*) FROM accounts"), 0);

    // The address's real owner can now sign up with it: a verification, not a warning.
    let owner = app.another_visitor();
    owner
        .sign_up("squat@example.com", "Real Owner", PASSWORD, "free")
        .await;
    let mails = app.smtp.wait_for(2).await;
    assert_eq!(mails[1].subject(), "Verify your email address");
    // A verified login is never removed, however old.
    let link = mails[1].link_starting(&app.base_url).unwrap();
    owner.verify_with_link(&link).await;
    app.execute("UPDATE people SET created_at = now() - interval '30 days'");
    assert_eq!(sweep(&state).await, 0);
}
