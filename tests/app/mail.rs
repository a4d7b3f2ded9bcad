//! Mail through the outbox: a real SMTP conversation, retries, refusals, the dev mailbox, and no
//! token left behind. Also /health, which reports on the database.

use reqwest::StatusCode;

use crate::common::{
    PASSWORD, smtp::SmtpSink, spawn_app, spawn_app_with, spawn_app_with_relay_down, texts,
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mail_goes_over_smtp_as_text_and_html_with_no_token_stored() {
    let app = spawn_app().await;
    app.sign_up("wes@example.com", "Wes", PASSWORD, "free")
        .await;
    let mail = app.smtp.wait_for(1).await.remove(0);
    assert_eq!(
        mail.header("From").as_deref(),
        Some("\"Account sharing\" <no-reply@share.test>")
    );
    assert_eq!(mail.header("To").as_deref(), Some("wes@example.com"));
    assert_eq!(mail.parsed().ctype.mimetype, "multipart/alternative");
    assert!(
        mail.text()
            .contains("The link works once and for 48 hours.")
    );
    assert!(mail.body("text/html").contains("Verify email address"));

    let link = mail.link_starting(&app.base_url).unwrap();
    let token = link.split_once("token=").unwrap().1;
    // Wait for the worker to record the delivery, then look everywhere for the token (R2).
    wait_until(&app, "SELECT count(*) FROM outbox WHERE status = 'sent'").await;
    assert_eq!(app.scalar("SELECT count(*) FROM outbox WHERE status = 'sent' AND attempts = 1 AND sent_at IS NOT NULL"), 1);
    assert!(!app.database_contains(token));
    app.client.get(&link).send().await.unwrap();
    assert!(
        !app.database_contains(token),
        "the token in the session is a hash too"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mail_waits_while_the_relay_is_down_and_goes_when_it_is_back() {
    // A port with nobody listening yet.
    let (app, port) = spawn_app_with_relay_down().await;
    app.sign_up("xia@example.com", "Xia", PASSWORD, "free")
        .await;
    wait_until(
        &app,
        "SELECT count(*) FROM outbox WHERE attempts = 1 AND last_error IS NOT NULL",
    )
    .await;
    assert_eq!(app.scalar("SELECT count(*) FROM outbox WHERE status = 'pending' AND attempts = 1 AND next_attempt_at > now()"), 1);

    let relay = SmtpSink::start_on(port).await;
    app.make_outbox_due();
    let mail = relay.wait_for(1).await.remove(0);
    assert_eq!(mail.envelope_to, ["xia@example.com"]);
    wait_until(
        &app,
        "SELECT count(*) FROM outbox WHERE status = 'sent' AND attempts = 2",
    )
    .await;
    // The link in the mail that finally went out works.
    let link = mail.link_starting(&app.base_url).unwrap();
    assert_eq!(
        app.verify_with_link(&link).await.status(),
        StatusCode::SEE_OTHER
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_permanent_refusal_marks_the_message_failed_without_retrying() {
    let app = spawn_app().await;
    app.smtp.refuse_recipients(true);
    app.sign_up("yan@example.com", "Yan", PASSWORD, "free")
        .await;
    wait_until(&app, "SELECT count(*) FROM outbox WHERE status = 'failed'").await;
    assert_eq!(app.scalar("SELECT count(*) FROM outbox WHERE status = 'failed' AND attempts = 1 AND last_error LIKE '%550%'"), 1);
    assert!(app.smtp.received().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_verification_no_longer_needed_is_not_sent() {
    // The relay is down, so the message is still waiting when the address gets verified.
    let (app, port) = spawn_app_with_relay_down().await;
    app.sign_up("zed@example.com", "Zed", PASSWORD, "free")
        .await;
    wait_until(
        &app,
        "SELECT count(*) FROM outbox WHERE attempts = 1 AND last_error IS NOT NULL",
    )
    .await;
    // What using an earlier link does (tested in auth.rs): the pending verification is consumed.
    app.execute("DELETE FROM email_verifications");
    app.execute("UPDATE people SET email_verified_at = now()");
    let relay = SmtpSink::start_on(port).await;
    app.make_outbox_due();
    wait_until(
        &app,
        "SELECT count(*) FROM outbox WHERE status = 'cancelled'",
    )
    .await;
    assert!(relay.received().is_empty());
}

/// Waits up to five seconds for `count_sql` to count 1.
async fn wait_until(app: &crate::common::TestApp, count_sql: &str) {
    for _ in 0..100 {
        if app.scalar(count_sql) == 1 {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("still not true after 5 s: {count_sql}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_relay_mail_lands_in_the_development_mailbox() {
    let dir = std::env::temp_dir().join(format!(
        "mailbox-{}",
        account_sharing::secrets::random_token()
    ));
    let dir_setting = dir.display().to_string();
    let app = spawn_app_with(move |vars| {
        vars.remove("SMTP_URL");
        vars.insert("DEV_MAILBOX_DIR".into(), dir_setting);
    })
    .await;
    let (status, html) = app.get_html("/dev/mailbox").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("No messages yet."));

    app.sign_up("abe@example.com", "Abe", PASSWORD, "free")
        .await;
    let mut html = String::new();
    for _ in 0..100 {
        html = app.get_html("/dev/mailbox").await.1;
        if !html.contains("No messages yet.") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(
        texts(&html, ".mail__subject"),
        ["Verify your email address"]
    );
    assert!(texts(&html, ".mail__meta")[0].starts_with("To abe@example.com"));
    let link = texts(&html, ".mail li a").remove(0);
    assert!(link.starts_with(&format!("{}/verify-email?token=", app.base_url)));
    assert_eq!(
        app.verify_with_link(&link).await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        app.scalar("SELECT count(*) FROM people WHERE email_verified_at IS NOT NULL"),
        1
    );

    // Filtered by recipient, newest first.
    app.another_visitor()
        .sign_up("bea@example.com", "Bea", PASSWORD, "free")
        .await;
    let mut html = String::new();
    for _ in 0..100 {
        html = app.get_html("/dev/mailbox").await.1;
        if texts(&html, ".mail__meta").len() == 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(
        texts(&html, ".mail__meta")[0].starts_with("To bea@example.com"),
        "newest first"
    );
    let (_, html) = app.get_html("/dev/mailbox?to=ABE%40").await;
    let meta = texts(&html, ".mail__meta");
    assert_eq!(meta.len(), 1);
    assert!(meta[0].starts_with("To abe@example.com"));
    assert_eq!(texts(&html, ".showing"), ["1 message, newest first"]);
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_follows_the_database() {
    let app = spawn_app().await;
    app.sign_up("bea@example.com", "Bea", PASSWORD, "free")
        .await;
    app.sign_in("bea@example.com", PASSWORD).await;
    let response = app.get("/health").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.text().await.unwrap(), "ok\n");

    app.db.drop_now();
    let response = app.get("/health").await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    // Pages explain the outage, without internals. A session that cannot be read is not taken
    // for a sign-out (a failover must not send people to sign in, nor lose their form): 503,
    // try again.
    let response = app.get("/account").await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(response.headers().contains_key("retry-after"));
    let html = response.text().await.unwrap();
    assert_eq!(texts(&html, "h1"), ["Sorry, the service is unavailable"]);
    // The sign-in form needs no database; sending it does, and says so.
    let visitor = app.another_visitor();
    let (status, _) = visitor.get_html("/sign-in").await;
    assert_eq!(status, StatusCode::OK);
    let response = visitor
        .submit(
            "/sign-in",
            "/sign-in",
            &[("email", "bea@example.com"), ("password", PASSWORD)],
        )
        .await;
    let status = response.status();
    let html = response.text().await.unwrap();
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(texts(&html, "h1"), ["Sorry, the service is unavailable"]);
    assert!(
        !html.to_lowercase().contains("diesel") && !html.contains("does not exist"),
        "{html}"
    );
}

/// Every kind of mail, as the relay received it: what real inboxes ask of a message.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_kind_of_mail_carries_the_headers_inboxes_expect() {
    let app = spawn_app().await;
    app.owner("olive@example.com", "essential").await;
    app.another_visitor()
        .sign_up("olive@example.com", "Someone", PASSWORD, "free")
        .await;
    crate::sharing::invite_manager(&app, "guest@example.com").await;
    let link = crate::sharing::invitation_link(&app, "guest@example.com", 1).await;
    let guest = app.another_visitor();
    crate::sharing::open_link(&guest, &link).await;
    guest
        .submit("/invitations/decline", "/invitations/decline", &[])
        .await;
    let mails = app.smtp.wait_for(4).await;
    let subjects: Vec<String> = mails.iter().map(|mail| mail.subject()).collect();
    assert_eq!(
        subjects,
        [
            "Verify your email address",
            "Someone tried to sign up with your email address",
            "Olive Owner invited you to their email account",
            "guest@example.com declined your invitation"
        ]
    );
    let mut ids = std::collections::HashSet::new();
    for mail in &mails {
        let subject = mail.subject();
        let id = mail.header("Message-ID").expect("a Message-ID");
        assert!(
            id.starts_with('<') && id.ends_with("@share.test>") && id.len() > 20,
            "{subject}: {id}"
        );
        assert!(ids.insert(id), "{subject}: each Message-ID is new");
        assert_eq!(
            mail.header("Auto-Submitted").as_deref(),
            Some("auto-generated"),
            "{subject}"
        );
        let parsed = mail.parsed();
        assert_eq!(parsed.ctype.mimetype, "multipart/alternative", "{subject}");
        let parts: Vec<String> = parsed
            .subparts
            .iter()
            .map(|part| part.ctype.mimetype.clone())
            .collect();
        assert_eq!(parts, ["text/plain", "text/html"], "{subject}");
        assert!(
            mail.body("text/html")
                .trim_start()
                .starts_with("<!DOCTYPE html>")
        );
        for word in mail.text().split_whitespace() {
            if word.starts_with("http") {
                assert!(word.starts_with(&app.base_url), "{subject}: {word}");
            }
        }
        let reply_to = mail.header("Reply-To");
        if subject.ends_with("invited you to their email account") {
            assert_eq!(
                reply_to.as_deref(),
                Some("\"Olive Owner\" <olive@example.com>"),
                "a question goes to the person who invited"
            );
        } else {
            assert_eq!(reply_to, None, "{subject}");
        }
    }
    println!(
        "{} kinds of mail: Message-ID, Auto-Submitted, multipart text and HTML, links from BASE_URL",
        mails.len()
    );
}
