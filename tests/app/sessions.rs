//! Server-side sessions: renewal, sign-out that sticks, timeouts, cookie flags.

use reqwest::{Client, StatusCode, redirect::Policy};

use crate::common::{PASSWORD, TestApp, csrf_token, location, spawn_app, spawn_app_with};

/// A client that keeps no cookies: the test carries the session cookie by hand, as an attacker
/// who copied it would.
struct ManualClient {
    client: Client,
}

fn session_cookie(response: &reqwest::Response) -> Option<String> {
    cookie_named(response, &["session=", "__Host-session="])
}

/// The form-token cookie a visitor without a session gets (`web::visitor`).
fn visitor_cookie(response: &reqwest::Response) -> Option<String> {
    cookie_named(response, &["csrf=", "__Host-csrf="])
}

fn cookie_named(response: &reqwest::Response, prefixes: &[&str]) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| prefixes.iter().any(|prefix| v.starts_with(prefix)))
        .map(|v| v.split(';').next().unwrap().to_owned())
}

impl ManualClient {
    fn new() -> Self {
        ManualClient {
            client: Client::builder().redirect(Policy::none()).build().unwrap(),
        }
    }

    async fn get(&self, app: &TestApp, path: &str, cookie: &str) -> reqwest::Response {
        self.client
            .get(app.url(path))
            .header("cookie", cookie)
            .send()
            .await
            .unwrap()
    }

    async fn post(
        &self,
        app: &TestApp,
        path: &str,
        cookie: &str,
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
        self.client
            .post(app.url(path))
            .header("cookie", cookie)
            .form(fields)
            .send()
            .await
            .unwrap()
    }

    /// Signs in and returns the session cookie, checking on the way that showing the form
    /// stored no session and that a session key planted before signing in is not the one used.
    async fn sign_in(&self, app: &TestApp, email: &str) -> String {
        let page = self.client.get(app.url("/sign-in")).send().await.unwrap();
        assert_eq!(
            session_cookie(&page),
            None,
            "showing a form to a visitor starts no session"
        );
        let visitor = visitor_cookie(&page).expect("the form token's cookie");
        let token = csrf_token(&page.text().await.unwrap());
        let planted = format!("session={}", account_sharing::secrets::random_token());
        let response = self
            .post(
                app,
                "/sign-in",
                &format!("{visitor}; {planted}"),
                &[
                    ("csrf_token", &token),
                    ("email", email),
                    ("password", PASSWORD),
                ],
            )
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let after = session_cookie(&response).expect("signing in sets a new cookie");
        assert_ne!(planted, after, "the session key is the server's own (R18)");
        assert_eq!(
            self.get(app, "/account", &planted).await.status(),
            StatusCode::SEE_OTHER
        );
        after
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cookie_replayed_after_sign_out_is_signed_out() {
    let app = spawn_app().await;
    app.sign_up("jo@example.com", "Jo", PASSWORD, "free").await;
    let manual = ManualClient::new();
    let cookie = manual.sign_in(&app, "jo@example.com").await;

    let page = manual.get(&app, "/account", &cookie).await;
    assert_eq!(page.status(), StatusCode::OK);
    let token = csrf_token(&page.text().await.unwrap());
    assert_eq!(
        manual
            .post(&app, "/sign-out", &cookie, &[("csrf_token", &token)])
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        app.scalar("SELECT count(*) FROM sessions WHERE state ? 'person_id'"),
        0
    );

    let replayed = manual.get(&app, "/account", &cookie).await;
    assert_eq!(replayed.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&replayed), "/sign-in?next=%2Faccount");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_end_when_idle_too_long_or_too_old() {
    let app = spawn_app().await;
    app.sign_up("kim@example.com", "Kim", PASSWORD, "free")
        .await;
    let manual = ManualClient::new();
    let clock = &app.settings.clock;
    let idle = app.settings.session_idle_timeout;
    let absolute = app.settings.session_absolute_timeout;
    let minute = std::time::Duration::from_secs(60);
    // Seconds from the server's clock to the signed-in session's idle limit.
    let idle_limit_in = || {
        let ahead = (clock.now() - chrono::Utc::now()).num_seconds();
        app.scalar("SELECT extract(epoch FROM max(expires_at) - now())::bigint FROM sessions WHERE person_id IS NOT NULL") - ahead
    };

    let cookie = manual.sign_in(&app, "kim@example.com").await;
    assert_eq!(
        manual.get(&app, "/account", &cookie).await.status(),
        StatusCode::OK
    );
    let measured = idle_limit_in();
    let expected = idle.as_secs() as i64;
    assert!(
        (expected - 5..=expected + 1).contains(&measured),
        "after a request the idle limit is SESSION_IDLE_MINUTES away: {measured} s"
    );
    // A minute short of the idle limit the session still works, and the limit moves out.
    clock.advance(idle - minute);
    assert_eq!(
        manual.get(&app, "/account", &cookie).await.status(),
        StatusCode::OK
    );
    let moved = idle_limit_in();
    assert!((expected - 5..=expected + 1).contains(&moved), "{moved} s");
    // A minute past it, the session has ended.
    clock.advance(idle + minute);
    assert_eq!(
        manual.get(&app, "/account", &cookie).await.status(),
        StatusCode::SEE_OTHER
    );

    // Active every 29 minutes, a session still ends 12 hours after sign-in.
    let cookie = manual.sign_in(&app, "kim@example.com").await;
    let mut active = std::time::Duration::ZERO;
    loop {
        clock.advance(idle - minute);
        active += idle - minute;
        let status = manual.get(&app, "/account", &cookie).await.status();
        if active < absolute {
            assert_eq!(
                status,
                StatusCode::OK,
                "after {} min",
                active.as_secs() / 60
            );
        } else {
            assert_eq!(
                status,
                StatusCode::SEE_OTHER,
                "after {} min",
                active.as_secs() / 60
            );
            break;
        }
    }
    println!(
        "Session limits: idle limit measured {measured} s after a request (SESSION_IDLE_MINUTES = {} s); ended {} min past idle, and after {} min of activity (absolute {} h)",
        expected,
        (idle + minute).as_secs() / 60,
        active.as_secs() / 60,
        absolute.as_secs() / 3600
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_https_the_cookie_is_host_only_secure_http_only_and_lax() {
    let app = spawn_app_with(|vars| {
        vars.insert("BASE_URL".into(), "https://share.example.test".into());
    })
    .await;
    let set_cookies = |response: &reqwest::Response| -> Vec<String> {
        response
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect()
    };
    let assert_flags = |cookie: &str| {
        for attribute in ["Secure", "HttpOnly", "SameSite=Lax", "Path=/"] {
            assert!(
                cookie.split("; ").any(|part| part == attribute),
                "{attribute} missing in {cookie}"
            );
        }
        assert!(!cookie.contains("Domain="), "{cookie}");
        assert!(
            !cookie.contains("Max-Age") && !cookie.contains("Expires"),
            "a browser-session cookie: {cookie}"
        );
    };
    // A visitor's form token: a cookie of its own, host-only too.
    let manual = ManualClient::new();
    let form = manual.client.get(app.url("/sign-up")).send().await.unwrap();
    assert_eq!(
        form.headers().get("strict-transport-security").unwrap(),
        "max-age=31536000; includeSubDomains"
    );
    let cookies = set_cookies(&form);
    assert_eq!(cookies.len(), 1, "{cookies:?}");
    assert!(cookies[0].starts_with("__Host-csrf="), "{}", cookies[0]);
    assert_flags(&cookies[0]);
    let visitor = visitor_cookie(&form).unwrap();
    let token = csrf_token(&form.text().await.unwrap());
    let fields = [
        ("csrf_token", token.as_str()),
        ("email", "hal@example.com"),
        ("name", "Hal"),
        ("password", PASSWORD),
        ("plan", "free"),
    ];
    let signed_up = manual.post(&app, "/sign-up", &visitor, &fields).await;
    assert_eq!(signed_up.status(), StatusCode::OK);

    // The session, once signed in.
    let signed_in = manual
        .post(
            &app,
            "/sign-in",
            &visitor,
            &[
                ("csrf_token", token.as_str()),
                ("email", "hal@example.com"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
    let cookies = set_cookies(&signed_in);
    let session = cookies
        .iter()
        .find(|cookie| cookie.starts_with("__Host-session="))
        .expect("the session cookie");
    assert_flags(session);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accepting_an_invitation_renews_the_session_key() {
    let app = spawn_app().await;
    app.owner("owner@example.com", "essential").await;
    let invitee = app.another_visitor();
    invitee
        .sign_up("lee@example.com", "Lee", PASSWORD, "free")
        .await;
    crate::sharing::invite_manager(&app, "lee@example.com").await;
    let link = crate::sharing::invitation_link(&app, "lee@example.com", 1).await;

    let manual = ManualClient::new();
    let signed_in = manual.sign_in(&app, "lee@example.com").await;
    let opened = manual
        .client
        .get(&link)
        .header("cookie", &signed_in)
        .send()
        .await
        .unwrap();
    assert_eq!(location(&opened), "/invitations/accept");
    let page = manual.get(&app, "/invitations/accept", &signed_in).await;
    let token = csrf_token(&page.text().await.unwrap());
    let response = manual
        .post(
            &app,
            "/invitations/accept",
            &signed_in,
            &[("csrf_token", &token)],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let renewed = session_cookie(&response).expect("accepting sets a new cookie");
    assert_ne!(signed_in, renewed, "a new key with the new access (R18)");
    assert_eq!(
        manual.get(&app, "/account", &signed_in).await.status(),
        StatusCode::SEE_OTHER,
        "the key from before accepting is worth nothing"
    );
    assert_eq!(
        manual.get(&app, "/account", &renewed).await.status(),
        StatusCode::OK
    );
}
