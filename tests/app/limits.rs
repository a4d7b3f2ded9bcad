//! Rate limits (R23): what the open internet may repeat, counted in PostgreSQL so that every
//! server process shares the counts. A refusal is a 429 in the product's words, with
//! Retry-After, and queues no mail.

use reqwest::StatusCode;

use crate::common::{PASSWORD, TestApp, spawn_app_with, texts};

/// A server with small limits, so that a test meets them in a few requests.
async fn limited(extra: &[(&str, &str)]) -> TestApp {
    let mut rates = vec![
        ("RATE_SIGN_IN_PER_ADDRESS", "3/1h"),
        ("RATE_SIGN_IN_PER_IP", "6/1h"),
        ("RATE_SIGN_UP_PER_ADDRESS", "2/1h"),
        ("RATE_SIGN_UP_PER_IP", "5/1h"),
        ("RATE_VERIFICATION_PER_ADDRESS", "1/1h"),
        ("RATE_INVITATIONS_PER_OWNER", "2/1d"),
        ("RATE_RESEND_PER_PERSON", "1/1h"),
        ("RATE_ACCEPT_PER_LINK", "3/1h"),
    ];
    rates.extend_from_slice(extra);
    spawn_app_with(|vars| {
        for (name, value) in rates {
            vars.insert(name.into(), value.into());
        }
    })
    .await
}

/// A refusal as the rules say: 429, Retry-After within the window, the page in words.
async fn assert_too_many(response: reqwest::Response, window_seconds: u64) {
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry_after: u64 = response
        .headers()
        .get("retry-after")
        .expect("Retry-After")
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=window_seconds).contains(&retry_after), "{retry_after}");
    let html = response.text().await.unwrap();
    assert_eq!(texts(&html, "h1"), ["Too many attempts"]);
    assert!(texts(&html, "main p")[0].contains("Nothing was sent or changed"));
}

fn outbox(app: &TestApp) -> i64 {
    app.scalar("SELECT count(*) FROM outbox")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_is_limited_per_address_and_per_ip() {
    let app = limited(&[]).await;
    app.sign_up("kit@example.com", "Kit", PASSWORD, "free")
        .await;
    for _ in 0..3 {
        let response = app.sign_in("kit@example.com", "wrong password").await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    // The fourth try of the hour is refused, even with the right password.
    assert_too_many(app.sign_in("kit@example.com", PASSWORD).await, 3600).await;
    // The same for an address with no login: the limit says nothing about who exists (R22).
    let stranger = app.another_visitor();
    for _ in 0..3 {
        let response = stranger.sign_in("nobody@example.com", "guess").await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    // Six failures from this client in all (a refused try is not one): the next from it is
    // refused, whatever the email, and a forged X-Forwarded-For changes nothing without
    // TRUSTED_PROXIES.
    let (_, html) = stranger.get_html("/sign-in").await;
    let token = crate::common::csrf_token(&html);
    let response = stranger
        .client
        .post(stranger.url("/sign-in"))
        .header("x-forwarded-for", "198.51.100.7")
        .form(&[
            ("csrf_token", token.as_str()),
            ("email", "other@example.com"),
            ("password", "guess"),
        ])
        .send()
        .await
        .unwrap();
    assert_too_many(response, 3600).await;
    println!("sign-in: 3 per address and 6 per IP per hour held; the 4th and 7th tries got 429");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn behind_a_trusted_proxy_each_client_counts_on_its_own() {
    let app = limited(&[("TRUSTED_PROXIES", "127.0.0.1")]).await;
    // Seven clients behind the proxy, a different address each: no per-IP refusal.
    for i in 0..7 {
        let visitor = app.another_visitor();
        let (_, html) = visitor.get_html("/sign-in").await;
        let token = crate::common::csrf_token(&html);
        let response = visitor
            .client
            .post(visitor.url("/sign-in"))
            .header("x-forwarded-for", format!("203.0.113.{i}"))
            .form(&[
                ("csrf_token", token.as_str()),
                ("email", format!("p{i}@example.com").as_str()),
                ("password", "guess"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "client {i}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_ups_and_verification_mails_are_limited_and_queue_nothing() {
    let app = limited(&[]).await;
    app.sign_up("lou@example.com", "Lou", PASSWORD, "free")
        .await;
    // Someone keeps signing up with Lou's address: each sends Lou a warning, until the limit.
    let pest = app.another_visitor();
    let response = pest
        .sign_up("lou@example.com", "Pest", PASSWORD, "free")
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let queued = outbox(&app);
    assert_eq!(queued, 2, "the verification, and one warning");
    assert_too_many(
        pest.sign_up("lou@example.com", "Pest", PASSWORD, "free")
            .await,
        3600,
    )
    .await;
    assert_eq!(outbox(&app), queued, "a refusal queues no mail");

    // Lou, signed in but not verified, asks for the link again: once this hour.
    app.sign_in("lou@example.com", PASSWORD).await;
    let response = app
        .submit("/account", "/account/verification-email", &[])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let queued = outbox(&app);
    let response = app
        .submit("/account", "/account/verification-email", &[])
        .await;
    assert_too_many(response, 3600).await;
    assert_eq!(outbox(&app), queued);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invitations_per_owner_and_resends_per_person_are_limited() {
    let app = limited(&[]).await;
    app.owner("max@example.com", "silver-premium").await;
    for email in ["a@example.com", "b@example.com"] {
        let response = crate::sharing::invite_manager(&app, email).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
    }
    let stored = |app: &TestApp| app.scalar("SELECT count(*) FROM members");
    let queued = outbox(&app);
    assert_too_many(
        crate::sharing::invite_manager(&app, "c@example.com").await,
        86_400,
    )
    .await;
    assert_eq!(stored(&app), 2, "nothing stored");
    assert_eq!(outbox(&app), queued, "nothing queued");

    // A re-send once the first mail has gone; a second within the hour is refused.
    crate::sharing::invitation_link(&app, "a@example.com", 1).await;
    let id = app.scalar("SELECT id FROM members WHERE email = 'a@example.com'");
    let resend = format!("/sharing/people/{id}/resend");
    assert_eq!(
        app.submit("/sharing", &resend, &[]).await.status(),
        StatusCode::SEE_OTHER
    );
    crate::sharing::invitation_link(&app, "a@example.com", 2).await;
    let queued = outbox(&app);
    assert_too_many(app.submit("/sharing", &resend, &[]).await, 3600).await;
    assert_eq!(outbox(&app), queued);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accept_attempts_are_limited_per_link() {
    let app = limited(&[]).await;
    app.owner("ned@example.com", "essential").await;
    crate::sharing::invite_manager(&app, "ora@example.com").await;
    let link = crate::sharing::invitation_link(&app, "ora@example.com", 1).await;
    // Someone signed in under another address keeps pressing Accept on Ora's link: each try is
    // refused for the address, and counted.
    let other = app.another_visitor();
    other.owner("pip@example.com", "free").await;
    crate::sharing::open_link(&other, &link).await;
    for _ in 0..3 {
        let response = other
            .submit("/invitations/accept", "/invitations/accept", &[])
            .await;
        assert_eq!(response.status(), StatusCode::OK);
    }
    let response = other
        .submit("/invitations/accept", "/invitations/accept", &[])
        .await;
    assert_too_many(response, 3600).await;
    // A mistyped new-login form is not a try: it is answered, and counts nothing.
    let guesser = app.another_visitor();
    crate::sharing::open_link(&guesser, &link).await;
    let before = app.database_fingerprint();
    let response = guesser
        .submit(
            "/invitations/accept",
            "/invitations/accept/new-login",
            &[("name", "Ora"), ("password", "short")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    app.assert_unchanged_since(&before, "nothing changed");
    // A filled-in one is, and the link has had its tries.
    let response = guesser
        .submit(
            "/invitations/accept",
            "/invitations/accept/new-login",
            &[("name", "Ora"), ("password", PASSWORD)],
        )
        .await;
    assert_too_many(response, 3600).await;
    assert_eq!(
        app.scalar("SELECT count(*) FROM members WHERE accepted_at IS NOT NULL"),
        0
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn limits_hold_across_two_server_processes() {
    let app = limited(&[]).await;
    let second = app.second_server().await;
    app.sign_up("pat@example.com", "Pat", PASSWORD, "free")
        .await;
    // Tries alternate between the two processes; the count is one.
    let servers = [&app, &second, &app];
    for server in servers {
        let response = server.sign_in("pat@example.com", "wrong").await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    assert_too_many(second.sign_in("pat@example.com", PASSWORD).await, 3600).await;
    assert_too_many(app.sign_in("pat@example.com", PASSWORD).await, 3600).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_limit_holds_under_concurrent_tries() {
    let app = limited(&[("RATE_SIGN_IN_PER_IP", "1000/1h")]).await;
    let second = app.second_server().await;
    let (_, html) = app.get_html("/sign-in").await;
    let token = crate::common::csrf_token(&html);
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(30));
    let tasks: Vec<_> = (0..30)
        .map(|i| {
            // Half to each server process, all with one session and one address.
            let server = if i % 2 == 0 { &app } else { &second };
            let (client, url, token, barrier) = (
                app.client.clone(),
                server.url("/sign-in"),
                token.clone(),
                barrier.clone(),
            );
            tokio::spawn(async move {
                barrier.wait().await;
                client
                    .post(url)
                    .form(&[
                        ("csrf_token", token.as_str()),
                        ("email", "rush@example.com"),
                        ("password", "guess"),
                    ])
                    .send()
                    .await
                    .unwrap()
                    .status()
            })
        })
        .collect();
    let mut counted = 0;
    let mut refused = 0;
    for task in tasks {
        match task.await.unwrap() {
            StatusCode::UNPROCESSABLE_ENTITY => counted += 1,
            StatusCode::TOO_MANY_REQUESTS => refused += 1,
            other => panic!("{other}"),
        }
    }
    println!(
        "30 tries at once on two processes, limit 3: {counted} let through, {refused} refused"
    );
    assert_eq!((counted, refused), (3, 27));
}
