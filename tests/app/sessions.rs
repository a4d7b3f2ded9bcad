//! Server-side sessions: renewal, sign-out that sticks, timeouts, cookie flags.

use reqwest::{Client, StatusCode, redirect::Policy};

use crate::common::{PASSWORD, TestApp, csrf_token, location, spawn_app, spawn_app_with};

/// A client that keeps no cookies: the test carries the session cookie by hand, as an attacker
/// who copied it would.
struct ManualClient {
    client: Client,
}

fn session_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("session=") || v.starts_with("__Host-session="))
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

    /// Signs in and returns the session cookie, checking it was renewed on the way.
    async fn sign_in(&self, app: &TestApp, email: &str) -> String {
        let page = self.client.get(app.url("/sign-in")).send().await.unwrap();
        let before =
            session_cookie(&page).expect("the sign-in form starts a session for its CSRF token");
        let token = csrf_token(&page.text().await.unwrap());
        let response = self
            .post(
                app,
                "/sign-in",
                &before,
                &[
                    ("csrf_token", &token),
                    ("email", email),
                    ("password", PASSWORD),
                ],
            )
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let after = session_cookie(&response).expect("signing in sets a new cookie");
        assert_ne!(before, after, "the session key changes on sign-in (R18)");
        // The key planted before sign-in is worth nothing now.
        assert_eq!(
            self.get(app, "/account", &before).await.status(),
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

    let cookie = manual.sign_in(&app, "kim@example.com").await;
    assert_eq!(
        manual.get(&app, "/account", &cookie).await.status(),
        StatusCode::OK
    );
    // Idle: the last request was longer ago than the idle timeout.
    app.execute("UPDATE sessions SET expires_at = now() - interval '1 second'");
    assert_eq!(
        manual.get(&app, "/account", &cookie).await.status(),
        StatusCode::SEE_OTHER
    );

    let cookie = manual.sign_in(&app, "kim@example.com").await;
    // Activity keeps extending the idle limit...
    let before = app.scalar("SELECT extract(epoch FROM max(expires_at))::bigint FROM sessions WHERE state ? 'person_id'");
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    assert_eq!(
        manual.get(&app, "/account", &cookie).await.status(),
        StatusCode::OK
    );
    let after = app.scalar("SELECT extract(epoch FROM max(expires_at))::bigint FROM sessions WHERE state ? 'person_id'");
    assert!(after > before, "each request pushes the idle limit out");
    // ...but not past the absolute limit, counted from sign-in.
    app.execute("UPDATE sessions SET created_at = now() - interval '12 hours 1 minute'");
    assert_eq!(
        manual.get(&app, "/account", &cookie).await.status(),
        StatusCode::SEE_OTHER
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_https_the_cookie_is_host_only_secure_http_only_and_lax() {
    let app = spawn_app_with(|vars| {
        vars.insert("BASE_URL".into(), "https://share.example.test".into());
    })
    .await;
    let response = app.get("/sign-in").await;
    let set_cookie: Vec<String> = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    assert_eq!(set_cookie.len(), 1, "{set_cookie:?}");
    let cookie = &set_cookie[0];
    assert!(cookie.starts_with("__Host-session="), "{cookie}");
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
    assert_eq!(
        response.headers().get("strict-transport-security").unwrap(),
        "max-age=31536000; includeSubDomains"
    );
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
