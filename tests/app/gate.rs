//! The gate the email platform asks (INTEGRATION.md S15, S16): forward auth and the check API
//! over real HTTP, the service tokens from the real command line, and the whole chain through
//! Debian's nginx in front of the stand-in platform of examples/platform/.

use std::{collections::HashMap, process::Command, time::Duration};

use reqwest::{StatusCode, header::HeaderMap};

use crate::{
    common::{PASSWORD, TestApp, browser, location, spawn_app_with},
    workspace::member,
};

#[path = "../../examples/platform/server.rs"]
pub mod platform;

/// The rules file operators start from, which the suite runs as it is.
pub fn sample_rules() -> String {
    format!(
        "{}/examples/platform/rules.toml",
        env!("CARGO_MANIFEST_DIR")
    )
}

/// The service with the sample rules, the platform at `platform_origin`.
pub async fn gate_app(platform_origin: &str) -> TestApp {
    let origin = platform_origin.to_owned();
    spawn_app_with(move |vars| {
        vars.insert("FORWARD_AUTH_RULES".into(), sample_rules());
        vars.insert("PLATFORM_ORIGINS".into(), origin);
    })
    .await
}

/// People with access to one master account with a sub-account "Shop", enough seats for all.
pub struct Team {
    pub master: String,
    pub shop: String,
    /// Their browsers, signed in, by role name.
    pub people: HashMap<&'static str, TestApp>,
}

impl Team {
    pub fn person(&self, who: &str) -> &TestApp {
        &self.people[who]
    }
}

/// The owner (signed in to `app`'s own client), and one person per entry of `roles`:
/// (name, invitation fields for the master account).
pub async fn team(app: &TestApp, roles: &[(&'static str, &[(&str, &str)])]) -> Team {
    app.owner("owner@example.com", "platinum-premium").await;
    app.submit("/account", "/account/sub-accounts", &[("name", "Shop")])
        .await;
    app.execute(
        "UPDATE accounts SET plan = 'enterprise', enterprise_seats = 50, enterprise_advanced = 50",
    );
    let master = app.scalar("SELECT id FROM accounts").to_string();
    let shop = app
        .scalar("SELECT id FROM sub_accounts WHERE name = 'Shop'")
        .to_string();
    let mut people = HashMap::new();
    people.insert("owner", app.clone());
    for (name, fields) in roles {
        let mut all = vec![("account_0", master.as_str())];
        all.extend_from_slice(fields);
        let email = format!("{name}@example.com");
        people.insert(*name, member(app, &email, &all).await);
    }
    Team {
        master,
        shop,
        people,
    }
}

/// What Traefik or Caddy asks for `method path` on app.example.com, with `visitor`'s cookies.
pub async fn forward(visitor: &TestApp, method: &str, path: &str) -> reqwest::Response {
    forward_with(visitor, method, path, &[]).await
}

async fn forward_with(
    visitor: &TestApp,
    method: &str,
    path: &str,
    extra: &[(&str, &str)],
) -> reqwest::Response {
    let mut request = visitor
        .client
        .get(visitor.url("/auth/forward"))
        .header("X-Forwarded-Method", method)
        .header("X-Forwarded-Proto", "https")
        .header("X-Forwarded-Host", "app.example.com")
        .header("X-Forwarded-Uri", path);
    for (name, value) in extra {
        request = request.header(*name, *value);
    }
    request.send().await.unwrap()
}

fn header(headers: &HeaderMap, name: &str) -> String {
    headers
        .get(name)
        .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
        .unwrap_or_default()
}

fn groups(headers: &HeaderMap) -> Vec<String> {
    header(headers, "remote-groups")
        .split(',')
        .filter(|group| !group.is_empty())
        .map(str::to_owned)
        .collect()
}

/// `account-sharing token …` against the test's database, as an operator runs it.
pub fn token_command(app: &TestApp, args: &[&str]) -> (bool, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_account-sharing"))
        .arg("token")
        .args(args)
        .env("APP_ENV", "development")
        .env("DATABASE_URL", &app.db.url)
        .env("SEED_DEMO", "false")
        .env_remove("RUST_LOG")
        .output()
        .expect("the service's binary runs");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

pub fn service_token(app: &TestApp, service: &str) -> String {
    let (ok, out, err) = token_command(app, &["create", "--service", service]);
    assert!(ok, "{err}");
    out.trim().to_owned()
}

pub async fn check_api(app: &TestApp, token: &str, body: &str) -> (StatusCode, String) {
    let response = browser()
        .post(app.url("/api/v1/check"))
        .header("Authorization", format!("Bearer {token}"))
        .header("Content-Type", "application/json")
        .body(body.to_owned())
        .send()
        .await
        .unwrap();
    (response.status(), response.text().await.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forward_auth_answers_each_role_with_who_they_are_and_what_they_hold() {
    let app = gate_app("https://app.example.com").await;
    let team = team(
        &app,
        &[
            ("designer", &[("role_0", "designer")]),
            ("manager", &[("role_0", "manager")]),
            ("marketer", &[("role_0", "marketer")]),
            ("developer", &[("role_0", "developer")]),
            (
                "drafter",
                &[("role_0", "developer"), ("restriction_0_drafts_only", "on")],
            ),
        ],
    )
    .await;
    let m = &team.master;
    let template = format!("/accounts/{m}/campaigns/templates/5");
    let send = format!("/accounts/{m}/campaigns/9/send");
    let billing = format!("/accounts/{m}/billing/invoices");
    let transactional = format!("/accounts/{m}/transactional/templates/3");
    let publish = format!("{transactional}/publish");
    let cases: [(&str, &str, &str, StatusCode); 16] = [
        ("owner", "POST", &send, StatusCode::OK),
        ("owner", "GET", &billing, StatusCode::OK),
        ("designer", "GET", &template, StatusCode::OK),
        ("designer", "POST", &send, StatusCode::FORBIDDEN),
        ("designer", "GET", &billing, StatusCode::FORBIDDEN),
        ("designer", "POST", &publish, StatusCode::FORBIDDEN),
        ("manager", "GET", &template, StatusCode::OK),
        ("manager", "POST", &send, StatusCode::OK),
        ("manager", "GET", &billing, StatusCode::OK),
        ("marketer", "GET", &transactional, StatusCode::OK),
        ("marketer", "POST", &publish, StatusCode::FORBIDDEN),
        ("marketer", "POST", &send, StatusCode::OK),
        ("developer", "POST", &publish, StatusCode::OK),
        ("developer", "GET", &template, StatusCode::FORBIDDEN),
        ("drafter", "POST", &publish, StatusCode::FORBIDDEN),
        ("drafter", "GET", &transactional, StatusCode::OK),
    ];
    for (who, method, path, expected) in cases {
        let response = forward(team.person(who), method, path).await;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.text().await.unwrap();
        assert_eq!(status, expected, "{who} {method} {path}: {body}");
        if status == StatusCode::OK {
            let email = if who == "owner" {
                "owner@example.com".to_owned()
            } else {
                format!("{who}@example.com")
            };
            assert_eq!(header(&headers, "remote-email"), email);
            assert_eq!(header(&headers, "x-sharing-account"), *m);
            let person = app.scalar(&format!("SELECT id FROM people WHERE email = '{email}'"));
            assert_eq!(header(&headers, "remote-user"), person.to_string());
            assert!(!header(&headers, "remote-name").is_empty());
        } else {
            assert_eq!(body.lines().count(), 1, "one line: {body}");
            assert!(body.contains("does not include"), "{body}");
        }
    }
    // The roles' fixed points (S14), as the platform reads them.
    let role_of = |who: &'static str| {
        let person = team.person(who).clone();
        let path = template.clone();
        async move {
            let response = forward(&person, "GET", &path).await;
            (
                header(response.headers(), "x-sharing-role"),
                groups(response.headers()),
            )
        }
    };
    let (role, designer) = role_of("designer").await;
    assert_eq!(role, "designer");
    for held in ["campaigns", "transactional", "campaigns:templates.lock"] {
        assert!(designer.contains(&held.to_owned()), "{designer:?}");
    }
    for not in [
        "campaigns:send",
        "campaigns:templates.publish",
        "transactional:templates.publish",
        "billing",
    ] {
        assert!(!designer.contains(&not.to_owned()), "{designer:?}");
    }
    let (role, owner) = role_of("owner").await;
    assert_eq!(role, "owner");
    let (_, manager) = role_of("manager").await;
    assert_eq!(
        manager, owner,
        "a Manager holds every permission the owner does"
    );
    assert_eq!(owner.len(), 23, "{owner:?}");

    // A sub-account: the owner is there, a Designer of the master account is not; a
    // sub-account under another master account does not exist.
    let shop = format!("/accounts/{m}/sub-accounts/{}/campaigns/list", team.shop);
    let response = forward(&app, "GET", &shop).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        header(response.headers(), "x-sharing-account"),
        format!("{m}/{}", team.shop)
    );
    assert!(!groups(response.headers()).contains(&"billing".to_owned()));
    let no_access = forward(team.person("designer"), "GET", &shop).await;
    assert_eq!(no_access.status(), StatusCode::FORBIDDEN);
    let no_access = no_access.text().await.unwrap();
    assert_eq!(no_access, "You have no access to this account.");
    // Unknown accounts answer exactly as accounts of others do: nothing tells them apart.
    let other = app.another_visitor();
    other.owner("other@example.com", "essential").await;
    let theirs = app.master_of("other@example.com");
    for path in [
        format!("/accounts/{theirs}/campaigns/list"),
        "/accounts/999999/campaigns/list".to_owned(),
        format!(
            "/accounts/{theirs}/sub-accounts/{}/campaigns/list",
            team.shop
        ),
    ] {
        let response = forward(&app, "GET", &path).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{path}");
        assert_eq!(response.text().await.unwrap(), no_access, "{path}");
    }

    // No rule, or a path the platform could read another way: refused before any lookup.
    for (path, says) in [
        (format!("/accounts/{m}/unknown"), "No rule"),
        (format!("/accounts/{m}/campaigns/../billing/x"), "canonical"),
        (
            format!("/accounts/{m}/campaigns/%2e%2e/billing"),
            "canonical",
        ),
    ] {
        let response = forward(&app, "GET", &path).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{path}");
        assert!(response.text().await.unwrap().contains(says), "{path}");
    }
    // A public rule lets anyone through, and says nothing about who they are.
    let public = forward(&app, "GET", "/health").await;
    assert_eq!(public.status(), StatusCode::OK);
    assert!(public.headers().get("remote-user").is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forward_auth_asks_a_signed_out_browser_to_sign_in_and_only_returns_it_to_the_platform() {
    let app = gate_app("https://app.example.com").await;
    app.owner("owner@example.com", "essential").await;
    let m = app.scalar("SELECT id FROM accounts");
    let stranger = app.another_visitor();
    let path = format!("/accounts/{m}/campaigns/list?page=2");
    let machine = forward(&stranger, "GET", &path).await;
    assert_eq!(machine.status(), StatusCode::UNAUTHORIZED);
    let from_a_browser =
        forward_with(&stranger, "GET", &path, &[("Accept", "text/html,*/*")]).await;
    assert_eq!(from_a_browser.status(), StatusCode::FOUND);
    let sign_in = location(&from_a_browser);
    assert_eq!(
        sign_in,
        format!(
            "{}/sign-in?next=https%3A%2F%2Fapp.example.com%2Faccounts%2F{m}%2Fcampaigns%2Flist%3Fpage%3D2",
            app.base_url
        )
    );
    // The sign-in page carries the platform URL, and signing in goes back there.
    let next = format!("https://app.example.com/accounts/{m}/campaigns/list?page=2");
    let signed_in = stranger
        .submit(
            sign_in.trim_start_matches(&app.base_url),
            "/sign-in",
            &[
                ("email", "owner@example.com"),
                ("password", PASSWORD),
                ("next", &next),
            ],
        )
        .await;
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&signed_in), next);
    assert_eq!(
        forward(&stranger, "GET", &path).await.status(),
        StatusCode::OK
    );

    // nginx cannot pass a redirect through auth_request: a 401 whose Location it follows.
    let nginx = app
        .another_visitor()
        .client
        .get(app.url("/auth/forward"))
        .header("X-Original-URL", format!("https://app.example.com{path}"))
        .header("X-Original-Method", "GET")
        .header("Accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(nginx.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(location(&nginx), sign_in);

    // Another host (a proxy forwarding for a site not in PLATFORM_ORIGINS) is never a target.
    let elsewhere = app
        .another_visitor()
        .client
        .get(app.url("/auth/forward"))
        .header("X-Forwarded-Method", "GET")
        .header("X-Forwarded-Proto", "https")
        .header("X-Forwarded-Host", "evil.test")
        .header("X-Forwarded-Uri", &path)
        .header("Accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(location(&elsewhere), format!("{}/sign-in", app.base_url));

    // Signing out, an expired session, a password changed elsewhere: the next check asks again.
    stranger.submit("/account", "/sign-out", &[]).await;
    assert_eq!(
        forward(&stranger, "GET", &path).await.status(),
        StatusCode::UNAUTHORIZED
    );
    stranger.sign_in("owner@example.com", PASSWORD).await;
    assert_eq!(
        forward(&stranger, "GET", &path).await.status(),
        StatusCode::OK
    );
    app.settings.clock.advance(Duration::from_secs(31 * 60));
    assert_eq!(
        forward(&stranger, "GET", &path).await.status(),
        StatusCode::UNAUTHORIZED,
        "idle past 30 minutes"
    );
    // A cookie that is not one of ours is nobody's.
    let forged = browser()
        .get(app.url("/auth/forward"))
        .header("X-Forwarded-Method", "GET")
        .header("X-Forwarded-Proto", "https")
        .header("X-Forwarded-Host", "app.example.com")
        .header("X-Forwarded-Uri", &path)
        .header(
            "Cookie",
            "session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        )
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changes_to_access_reach_the_very_next_check_and_checks_write_nothing() {
    use diesel::RunQueryDsl;
    let app = gate_app("https://app.example.com").await;
    app.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
    let team = team(
        &app,
        &[
            ("person", &[("role_0", "manager")]),
            ("leaver", &[("role_0", "manager")]),
        ],
    )
    .await;
    let person = team.person("person");
    let m = &team.master;
    let billing = format!("/accounts/{m}/billing/invoices");
    let contacts_send = format!("/accounts/{m}/campaigns/1/send");
    assert_eq!(
        forward(person, "GET", &billing).await.status(),
        StatusCode::OK
    );
    app.outbox_settled().await;

    // One statement per check, and after the first in five minutes, not a single write.
    let before = app.database_fingerprint();
    let mut fewest = i64::MAX;
    for _ in 0..5 {
        let at = app.statements_so_far();
        assert_eq!(
            forward(person, "GET", &billing).await.status(),
            StatusCode::OK
        );
        fewest = fewest.min(app.statements_so_far() - at);
    }
    println!("forward auth: {fewest} statement per check");
    assert_eq!(fewest, 1);
    app.assert_unchanged_since(&before, "twenty checks");

    // Last activity is the check's, written at most every 5 minutes.
    let activity = "SELECT coalesce(extract(epoch FROM last_activity_at), 0)::bigint FROM members \
                    WHERE email = 'person@example.com'";
    let first = app.scalar(activity);
    assert!(first > 0);
    app.settings.clock.advance(Duration::from_secs(6 * 60));
    forward(person, "GET", &billing).await;
    assert!(app.scalar(activity) > first);

    // Edit: Accountant. Billing stays, sending goes, on the very next request.
    let id = app.scalar("SELECT id FROM members WHERE email = 'person@example.com'");
    let edit = format!("/sharing/people/{id}/edit");
    app.submit(
        &edit,
        &edit,
        &[
            ("account_0", m),
            ("role_0", "accountant"),
            ("action", "send"),
        ],
    )
    .await;
    assert_eq!(
        forward(person, "POST", &contacts_send).await.status(),
        StatusCode::FORBIDDEN
    );
    let response = forward(person, "GET", &billing).await;
    assert_eq!(header(response.headers(), "x-sharing-role"), "accountant");
    assert_eq!(
        groups(response.headers()),
        [
            "billing",
            "billing:plan",
            "billing:prepaid",
            "billing:invoices"
        ]
    );

    // An end date passed: refused on the very next check, before the sweep (every two seconds)
    // removes the access, and after. The account's lock, which the sweep takes to remove it, is
    // held here meanwhile, so "before" is certain rather than likely.
    let leaver = team.person("leaver");
    assert_eq!(
        forward(leaver, "GET", &billing).await.status(),
        StatusCode::OK
    );
    let mut sweep_held_off = app.connection();
    diesel::sql_query("BEGIN")
        .execute(&mut sweep_held_off)
        .unwrap();
    diesel::sql_query("SELECT id FROM accounts FOR NO KEY UPDATE")
        .execute(&mut sweep_held_off)
        .unwrap();
    let today = app.settings.clock.now().date_naive();
    app.execute(&format!(
        "UPDATE members SET access_ends_on = '{}' WHERE email = 'leaver@example.com'",
        today - chrono::Days::new(1)
    ));
    assert_eq!(
        forward(leaver, "GET", &billing).await.status(),
        StatusCode::FORBIDDEN
    );
    let leaver_kept = "SELECT count(*) FROM members WHERE email = 'leaver@example.com'";
    assert_eq!(app.scalar(leaver_kept), 1, "the sweep was held off");
    diesel::sql_query("COMMIT")
        .execute(&mut sweep_held_off)
        .unwrap();
    // The sweep removes the access.
    crate::outbox::wait_for_count(&app, leaver_kept, 0).await;
    assert_eq!(
        forward(leaver, "GET", &billing).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        forward(person, "GET", &billing).await.status(),
        StatusCode::OK
    );

    // Delete access.
    let delete = format!("/sharing/people/{id}/delete");
    app.submit(&delete, &delete, &[]).await;
    let response = forward(person, "GET", &billing).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        response.text().await.unwrap(),
        "You have no access to this account."
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forwarded_headers_count_only_from_trusted_proxies() {
    use base64::Engine;
    let key = base64::engine::general_purpose::STANDARD.encode([9u8; 64]);
    let production = |trusted: Option<&'static str>| {
        let key = key.clone();
        spawn_app_with(move |vars| {
            vars.insert("APP_ENV".into(), "production".into());
            vars.insert("BASE_URL".into(), "https://share.example.com".into());
            vars.insert("SESSION_KEY".into(), key);
            vars.insert("FORWARD_AUTH_RULES".into(), sample_rules());
            if let Some(trusted) = trusted {
                vars.insert("TRUSTED_PROXIES".into(), trusted.into());
            }
        })
    };
    // Loopback is not trusted in production unless listed.
    let untrusted = production(None).await;
    let response = forward(&untrusted, "GET", "/health").await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(response.text().await.unwrap().contains("TRUSTED_PROXIES"));
    let trusted = production(Some("127.0.0.0/8")).await;
    assert_eq!(
        forward(&trusted, "GET", "/health").await.status(),
        StatusCode::OK
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_shared_with_the_platform_names_its_domain() {
    let app = spawn_app_with(move |vars| {
        vars.insert("BASE_URL".into(), "http://share.example.com".into());
        vars.insert("SESSION_COOKIE_DOMAIN".into(), ".example.com".into());
    })
    .await;
    app.sign_up("owner@example.com", "Olive", PASSWORD, "essential")
        .await;
    let link = app.smtp.wait_for(1).await[0]
        .link_starting("http://share.example.com")
        .unwrap()
        .replace("http://share.example.com", &app.base_url);
    // Following the link starts the session that holds it: its cookie, as sent.
    let response = browser().get(link).send().await.unwrap();
    let cookies: Vec<String> = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    let session = cookies
        .iter()
        .find(|cookie| cookie.starts_with("session="))
        .unwrap_or_else(|| panic!("{cookies:?} ({})", response.status()));
    assert!(session.contains("Domain=example.com"), "{session}");
    assert!(session.contains("HttpOnly"), "{session}");
}

/// A signed-in browser whose cookies the test can read: the session cookie's value is what the
/// platform's back end passes to the check API.
async fn signed_in_with_readable_cookies(app: &TestApp, email: &str) -> (TestApp, String) {
    let (visitor, jar) = app.another_visitor_with_jar();
    visitor.sign_in(email, PASSWORD).await;
    let session = app.cookie_in(&jar, "session").expect("a session cookie");
    (visitor, session)
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_check_api_answers_one_or_many_checks_by_person_or_session_with_a_service_token() {
    let app = gate_app("https://app.example.com").await;
    app.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
    let team = team(
        &app,
        &[
            ("designer", &[("role_0", "designer")]),
            ("marketer", &[("role_0", "marketer")]),
        ],
    )
    .await;
    let m = &team.master;
    let shop = format!("{m}/{}", team.shop);

    // The operator makes a token: printed once, listed by its first characters only.
    let token = service_token(&app, "Campaign editor");
    assert!(token.starts_with("asv_") && token.len() == 47, "{token}");
    let (ok, listed, _) = token_command(&app, &["list"]);
    assert!(ok, "{listed}");
    assert!(
        listed.contains("Campaign editor") && listed.contains("live"),
        "{listed}"
    );
    assert!(
        !listed.contains(&token[8..]),
        "the token is never shown again: {listed}"
    );
    assert_eq!(
        app.scalar("SELECT count(*) FROM service_tokens WHERE hint LIKE 'asv_%'"),
        1
    );
    assert!(
        !app.database_contains(&token),
        "only the token's hash is stored"
    );

    let designer = app.scalar("SELECT id FROM people WHERE email = 'designer@example.com'");
    let (status, body) = check_api(
        &app,
        &token,
        &format!(
            r#"{{"person": {designer}, "account": "{m}", "permissions": ["campaigns", "campaigns:send", "transactional:templates.lock"]}}"#
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        json(&body),
        serde_json::json!({"allowed": {
            "campaigns": true,
            "campaigns:send": false,
            "transactional:templates.lock": true
        }})
    );

    // By session: the marketer's cookie, as the platform received it.
    let (_marketer, session) = signed_in_with_readable_cookies(&app, "marketer@example.com").await;
    let owner = app.scalar("SELECT id FROM people WHERE email = 'owner@example.com'");
    let batch = format!(
        r#"[
        {{"session": "{session}", "account": "{m}", "permissions": ["campaigns:send", "transactional:templates.publish"]}},
        {{"person": {designer}, "account": "{m}", "permissions": ["billing"]}},
        {{"person": {owner}, "account": "{shop}", "permissions": ["campaigns", "billing"]}},
        {{"person": {designer}, "account": "{shop}", "permissions": ["campaigns"]}},
        {{"person": 999999, "account": "{m}", "permissions": ["campaigns"]}},
        {{"person": {owner}, "account": "999999", "permissions": ["campaigns"]}},
        {{"session": "not-a-cookie", "account": "{m}", "permissions": ["campaigns"]}},
        {{"person": {owner}, "account": "{m}", "permissions": ["account_management:api_keys"]}},
        {{"person": {designer}, "account": "{m}", "permissions": ["transactional", "transactional"]}},
        {{"session": "{session}", "account": "{m}", "permissions": ["contacts"]}}
    ]"#
    );
    let (status, body) = check_api(&app, &token, &batch).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        json(&body),
        serde_json::json!([
            {"allowed": {"campaigns:send": true, "transactional:templates.publish": false}},
            {"allowed": {"billing": false}},
            {"allowed": {"campaigns": true, "billing": false}},
            {"allowed": {"campaigns": false}},
            {"allowed": {"campaigns": false}},
            {"allowed": {"campaigns": false}},
            {"allowed": {"campaigns": false}},
            {"allowed": {"account_management:api_keys": true}},
            {"allowed": {"transactional": true}},
            {"allowed": {"contacts": true}}
        ])
    );

    // One statement for the whole batch, and asked again, no write.
    app.outbox_settled().await;
    let before = app.database_fingerprint();
    let mut fewest = i64::MAX;
    for _ in 0..5 {
        let at = app.statements_so_far();
        assert_eq!(check_api(&app, &token, &batch).await.0, StatusCode::OK);
        fewest = fewest.min(app.statements_so_far() - at);
    }
    println!("check API: {fewest} statements for 10 checks");
    assert_eq!(fewest, 1, "one statement for ten checks");
    app.assert_unchanged_since(&before, "five batches of checks");

    // A session cookie is never a credential here: no token, no answer.
    let response = browser()
        .post(app.url("/api/v1/check"))
        .header("Cookie", format!("session={session}"))
        .header("Content-Type", "application/json")
        .body(format!(
            r#"{{"person": {owner}, "account": "{m}", "permissions": ["campaigns"]}}"#
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(response.headers()["www-authenticate"], "Bearer");

    // Revoked: refused at once.
    let (ok, said, _) = token_command(&app, &["revoke", "Campaign editor"]);
    assert!(ok && said.contains("revoked"), "{said}");
    let (status, body) = check_api(&app, &token, &batch).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(json(&body)["title"], "Unauthorized");
    let (ok, listed, _) = token_command(&app, &["list"]);
    assert!(ok && listed.contains("revoked"), "{listed}");
    let (ok, _, said) = token_command(&app, &["revoke", "Campaign editor"]);
    assert!(!ok && said.contains("No live token"), "{said}");
    let (ok, _, said) = token_command(&app, &["create", "--service", "a\nb"]);
    assert!(!ok && said.contains("letters"), "{said}");
    let (ok, _, said) = token_command(&app, &["make"]);
    assert!(!ok && said.contains("Usage"), "{said}");
}

/// Forwarded headers as a proxy might send them, bytes and all.
type Headers = Vec<(&'static str, Vec<u8>)>;

/// A request of the bad-input corpus: what it is, and how it is sent.
struct Bad {
    what: String,
    body: Vec<u8>,
    content_type: Option<&'static str>,
    authorization: Vec<String>,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_bad_check_and_lying_forward_header_gets_a_4xx_and_changes_nothing() {
    let app = gate_app("https://app.example.com").await;
    let team = team(&app, &[("designer", &[("role_0", "designer")])]).await;
    let m = team.master.clone();
    let token = service_token(&app, "platform");
    let revoked = service_token(&app, "old");
    token_command(&app, &["revoke", "old"]);
    let person = app.scalar("SELECT id FROM people WHERE email = 'designer@example.com'");
    app.outbox_settled().await;
    // Warm up: the first good check may write the token's last use and the activity.
    let good = format!(r#"{{"person": {person}, "account": "{m}", "permissions": ["campaigns"]}}"#);
    assert_eq!(check_api(&app, &token, &good).await.0, StatusCode::OK);
    assert_eq!(
        forward(&app, "GET", &format!("/accounts/{m}/campaigns/x"))
            .await
            .status(),
        StatusCode::OK
    );
    let before = app.database_fingerprint();

    // Checks with one field wrong, alone and second in a batch.
    let fields = |replace: &str, value: &str| -> String {
        let mut object: Vec<(String, String)> = vec![
            ("person".into(), person.to_string()),
            ("account".into(), format!("\"{m}\"")),
            ("permissions".into(), "[\"campaigns\"]".into()),
        ];
        match replace.strip_prefix('+') {
            Some(added) => object.push((added.to_owned(), value.to_owned())),
            None => match replace.strip_prefix('-') {
                Some(removed) => object.retain(|(name, _)| name != removed),
                None => {
                    for (name, old) in object.iter_mut() {
                        if name == replace {
                            *old = value.to_owned();
                        }
                    }
                    if replace == "session" {
                        object.retain(|(name, _)| name != "person");
                        object.push(("session".into(), value.to_owned()));
                    }
                }
            },
        }
        let inner: Vec<String> = object
            .iter()
            .map(|(name, value)| format!("\"{name}\": {value}"))
            .collect();
        format!("{{{}}}", inner.join(", "))
    };
    let long_account = format!("\"{}\"", "1".repeat(10_000));
    let many_permissions = format!("[{}]", vec!["\"campaigns\""; 65].join(","));
    let long_session = format!("\"{}\"", "x".repeat(5_000));
    let one_field_wrong: Vec<(&str, &str)> = vec![
        ("person", "\"17\""),
        ("person", "17.5"),
        ("person", "-1"),
        ("person", "0"),
        ("person", "true"),
        ("person", "[]"),
        ("person", "{}"),
        ("person", "1e3"),
        ("person", "9223372036854775808"),
        ("person", "18446744073709551616"),
        ("person", "null"),
        ("account", "42"),
        ("account", "null"),
        ("account", "\"\""),
        ("account", "\"0\""),
        ("account", "\"-1\""),
        ("account", "\"42/\""),
        ("account", "\"/7\""),
        ("account", "\"42/7/1\""),
        ("account", "\"42:7\""),
        ("account", "\"x\""),
        ("account", "\" 42\""),
        ("account", "\"42 \""),
        ("account", "\"\\u0664\\u0662\""),
        ("account", "\"4\\u0000\""),
        ("account", "[]"),
        ("account", "{}"),
        ("account", "true"),
        ("account", &long_account),
        ("account", "\"+42\""),
        ("permissions", "\"campaigns\""),
        ("permissions", "[]"),
        ("permissions", "[1]"),
        ("permissions", "[null]"),
        ("permissions", "[\"nope\"]"),
        ("permissions", "[\"CAMPAIGNS\"]"),
        ("permissions", "[\"campaigns \"]"),
        ("permissions", "[\"campaigns:\"]"),
        ("permissions", "[\":send\"]"),
        ("permissions", "[\"campaigns:send:x\"]"),
        ("permissions", "[\"sharing\"]"),
        ("permissions", &many_permissions),
        ("permissions", "[{\"a\": 1}]"),
        ("permissions", "[[]]"),
        ("permissions", "null"),
        ("permissions", "{}"),
        ("permissions", "true"),
        ("session", "5"),
        ("session", "\"\""),
        ("session", &long_session),
        ("session", "[]"),
        ("session", "{}"),
        ("session", "true"),
        ("+session", "\"abc\""),
        ("+extra", "1"),
        ("+Person", "17"),
        ("+person", "18"),
        ("+account", "\"1\""),
        ("+permissions", "[\"billing\"]"),
        ("-account", ""),
        ("-permissions", ""),
        ("-person", ""),
    ];
    let mut bad: Vec<Bad> = Vec::new();
    let json_body = |what: String, body: Vec<u8>| Bad {
        what,
        body,
        content_type: Some("application/json"),
        authorization: vec![format!("Bearer {token}")],
    };
    for (field, value) in &one_field_wrong {
        let wrong = fields(field, value);
        bad.push(json_body(
            format!("{field} = {value:.40}"),
            wrong.clone().into_bytes(),
        ));
        bad.push(json_body(
            format!("second in a batch: {field} = {value:.40}"),
            format!("[{good}, {wrong}]").into_bytes(),
        ));
    }
    // Shapes, sizes, nesting and encodings.
    let deep_arrays = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let deep_objects = format!("{}1{}", "{\"a\":".repeat(10_000), "}".repeat(10_000));
    let deep_inside = format!(
        r#"{{"person": {person}, "account": "{m}", "permissions": {}{}}}"#,
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let too_many = format!("[{}]", vec![good.as_str(); 101].join(","));
    let ten_megabytes = format!("[{}]", vec![good.as_str(); 100_000].join(","));
    let mut with_bom = b"\xef\xbb\xbf".to_vec();
    with_bom.extend_from_slice(good.as_bytes());
    let mut utf16 = vec![0xfe, 0xff];
    utf16.extend(good.encode_utf16().flat_map(u16::to_be_bytes));
    let with_byte = |byte: &[u8]| {
        let mut body = format!(r#"{{"person": {person}, "account": ""#).into_bytes();
        body.extend_from_slice(byte);
        body.extend_from_slice(br#"", "permissions": ["campaigns"]}"#);
        body
    };
    for (what, body) in [
        ("an empty array", b"[]".to_vec()),
        ("101 checks", too_many.into_bytes()),
        ("10 MB", ten_megabytes.into_bytes()),
        ("[1]", b"[1]".to_vec()),
        ("[null]", b"[null]".to_vec()),
        ("a nested batch", format!("[[{good}]]").into_bytes()),
        ("a string", b"\"x\"".to_vec()),
        ("null", b"null".to_vec()),
        ("true", b"true".to_vec()),
        ("a number", b"1".to_vec()),
        ("an open brace", b"{".to_vec()),
        ("a close brace", b"}".to_vec()),
        ("trailing garbage", format!("{good} x").into_bytes()),
        ("two objects", format!("{good}{good}").into_bytes()),
        ("nothing", Vec::new()),
        ("whitespace", b" \n\t ".to_vec()),
        ("a byte-order mark", with_bom),
        ("UTF-16", utf16),
        (
            "a trailing comma in an array",
            format!("[{good},]").into_bytes(),
        ),
        (
            "a trailing comma in an object",
            format!(r#"{{"person": {person}, "account": "{m}", "permissions": ["campaigns"],}}"#)
                .into_bytes(),
        ),
        ("a comment", format!("// x\n{good}").into_bytes()),
        ("single quotes", b"{'person': 1}".to_vec()),
        ("NaN", b"{\"person\": NaN}".to_vec()),
        ("arrays 10,000 deep", deep_arrays.into_bytes()),
        ("objects 10,000 deep", deep_objects.into_bytes()),
        ("permissions 10,000 deep", deep_inside.into_bytes()),
        ("a 0xff byte", with_byte(b"\xff")),
        ("an overlong slash", with_byte(b"\xc0\xaf")),
        ("a UTF-8 surrogate", with_byte(b"\xed\xa0\x80")),
        ("a Latin-1 byte", with_byte(b"4\xe9")),
        ("a raw NUL", with_byte(b"4\x00")),
        ("a lone surrogate escape", with_byte(b"\\ud800")),
        ("a truncated sequence", with_byte(b"\xe2\x82")),
    ] {
        bad.push(json_body(what.to_owned(), body));
    }
    // Content types and credentials.
    for content_type in [
        None,
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        Some("multipart/form-data; boundary=x"),
        Some("application/jsonx"),
        Some("application/json-patch+json"),
        Some("application/json, text/plain"),
        Some("text/json"),
    ] {
        bad.push(Bad {
            what: format!("Content-Type {content_type:?}"),
            body: good.clone().into_bytes(),
            content_type,
            authorization: vec![format!("Bearer {token}")],
        });
    }
    let personal = format!("asp_{}", &token[4..]);
    for authorization in [
        vec![],
        vec!["Bearer".to_owned()],
        vec!["Bearer ".to_owned()],
        vec![format!("bearer {token}")],
        vec!["Basic dXNlcjpwYXNz".to_owned()],
        vec!["Bearer asv_short".to_owned()],
        vec![format!("Bearer {token}x")],
        vec![format!("Bearer {personal}")],
        vec![format!("Bearer {token}"), format!("Bearer {token}")],
        vec![format!("Bearer {revoked}")],
        vec![format!("Bearer asv_{}", "A".repeat(43))],
        vec![format!("Token {token}")],
        vec![token.clone()],
    ] {
        bad.push(Bad {
            what: format!(
                "Authorization {:?}",
                authorization.first().map(|a| &a[..a.len().min(12)])
            ),
            body: good.clone().into_bytes(),
            content_type: Some("application/json"),
            authorization,
        });
    }
    let mut count = 0;
    for case in &bad {
        let mut request = browser()
            .post(app.url("/api/v1/check"))
            .body(case.body.clone());
        if let Some(content_type) = case.content_type {
            request = request.header("Content-Type", content_type);
        }
        for authorization in &case.authorization {
            request = request.header("Authorization", authorization);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let content_type = response.headers()["content-type"]
            .to_str()
            .unwrap()
            .to_owned();
        let body = response.text().await.unwrap();
        assert!(status.is_client_error(), "{}: {status} {body}", case.what);
        assert_eq!(content_type, "application/problem+json", "{}", case.what);
        let problem = json(&body);
        assert_eq!(problem["status"], status.as_u16(), "{}", case.what);
        assert!(
            problem["detail"].as_str().is_some_and(|d| !d.is_empty()),
            "{}",
            case.what
        );
        count += 1;
    }
    for method in [
        reqwest::Method::GET,
        reqwest::Method::PUT,
        reqwest::Method::PATCH,
        reqwest::Method::DELETE,
    ] {
        let response = browser()
            .request(method.clone(), app.url("/api/v1/check"))
            .header("Authorization", format!("Bearer {token}"))
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            StatusCode::METHOD_NOT_ALLOWED,
            "{method}"
        );
        assert_eq!(response.headers()["allow"], "POST");
        assert_eq!(
            response.headers()["content-type"],
            "application/problem+json"
        );
        count += 1;
    }

    // Forward auth with headers that lie, are missing, twice, or cannot be read one way; asked
    // with the owner's session, so that any misreading would show as a 200.
    let campaigns = format!("/accounts/{m}/campaigns/x");
    let good_headers = [
        ("X-Forwarded-Method", "GET".to_owned()),
        ("X-Forwarded-Proto", "https".to_owned()),
        ("X-Forwarded-Host", "app.example.com".to_owned()),
        ("X-Forwarded-Uri", campaigns.clone()),
    ];
    let mut lies: Vec<(String, Headers)> = Vec::new();
    let replaced = |name: &str, value: &[u8]| -> Headers {
        good_headers
            .iter()
            .map(|(n, v)| {
                if n.eq_ignore_ascii_case(name) {
                    (*n, value.to_vec())
                } else {
                    (*n, v.clone().into_bytes())
                }
            })
            .collect()
    };
    for (name, _) in &good_headers {
        let without: Vec<_> = good_headers
            .iter()
            .filter(|(n, _)| n != name)
            .map(|(n, v)| (*n, v.clone().into_bytes()))
            .collect();
        lies.push((format!("no {name}"), without));
        let mut twice: Vec<_> = good_headers
            .iter()
            .map(|(n, v)| (*n, v.clone().into_bytes()))
            .collect();
        let other = if *name == "X-Forwarded-Uri" {
            "/health".to_owned()
        } else {
            "x".to_owned()
        };
        twice.push((name, other.into_bytes()));
        lies.push((format!("{name} twice"), twice));
    }
    let long_uri = format!("/accounts/{m}/campaigns/{}", "x".repeat(9_000));
    let header_values: Vec<(&str, Vec<u8>)> = vec![
        ("X-Forwarded-Method", b"get".to_vec()),
        ("X-Forwarded-Method", b"G ET".to_vec()),
        ("X-Forwarded-Method", b"GETTTTTTTTTTTTTTTTTTTTT".to_vec()),
        ("X-Forwarded-Method", b"PO/ST".to_vec()),
        ("X-Forwarded-Method", b"GE T".to_vec()),
        ("X-Forwarded-Proto", b"ftp".to_vec()),
        ("X-Forwarded-Proto", b"HTTPS".to_vec()),
        ("X-Forwarded-Proto", b"https:".to_vec()),
        ("X-Forwarded-Proto", b"https, http".to_vec()),
        ("X-Forwarded-Host", b"app.example.com/evil".to_vec()),
        ("X-Forwarded-Host", b"user@app.example.com".to_vec()),
        ("X-Forwarded-Host", b"app.example.com:x".to_vec()),
        ("X-Forwarded-Host", b"app.example.com:99999999".to_vec()),
        ("X-Forwarded-Host", b"[::1".to_vec()),
        ("X-Forwarded-Host", b"app example.com".to_vec()),
        ("X-Forwarded-Host", b"app.example.com\\evil".to_vec()),
        ("X-Forwarded-Host", b"app.example.com, evil.test".to_vec()),
        ("X-Forwarded-Host", b"\xc3\xa1pp.example.com".to_vec()),
        ("X-Forwarded-Uri", b"accounts/1".to_vec()),
        (
            "X-Forwarded-Uri",
            format!("/accounts/{m}/campaigns/../billing/x").into_bytes(),
        ),
        (
            "X-Forwarded-Uri",
            format!("/accounts/{m}/campaigns/%2e%2e/billing").into_bytes(),
        ),
        (
            "X-Forwarded-Uri",
            format!("/accounts/{m}/campaigns/%2E%2E/billing").into_bytes(),
        ),
        (
            "X-Forwarded-Uri",
            format!("//accounts/{m}/billing").into_bytes(),
        ),
        (
            "X-Forwarded-Uri",
            format!("/accounts/{m}/billing\\x").into_bytes(),
        ),
        (
            "X-Forwarded-Uri",
            format!("/accounts/{m}/./billing").into_bytes(),
        ),
        (
            "X-Forwarded-Uri",
            format!("/accounts/{m}/campaigns/%2F../billing").into_bytes(),
        ),
        (
            "X-Forwarded-Uri",
            format!("/accounts/0{m}/campaigns/x").into_bytes(),
        ),
        (
            "X-Forwarded-Uri",
            format!("/accounts/{m}%00/campaigns/x").into_bytes(),
        ),
        (
            "X-Forwarded-Uri",
            format!("/accounts/{m}/campaigns/%5c..%5cbilling").into_bytes(),
        ),
        (
            "X-Forwarded-Uri",
            format!("/accounts/{m}/\u{e9}").into_bytes(),
        ),
        (
            "X-Forwarded-Uri",
            format!("/accounts/+{m}/campaigns/x").into_bytes(),
        ),
        (
            "X-Forwarded-Uri",
            format!("/accounts/{m}.0/campaigns/x").into_bytes(),
        ),
        ("X-Forwarded-Uri", long_uri.into_bytes()),
    ];
    for (name, value) in &header_values {
        lies.push((
            format!("{name}: {:.40}", String::from_utf8_lossy(value)),
            replaced(name, value),
        ));
    }
    let nginx = |url: &str, method: Option<&str>| -> Headers {
        let mut headers = vec![("X-Original-URL", url.as_bytes().to_vec())];
        headers.extend(method.map(|method| ("X-Original-Method", method.as_bytes().to_vec())));
        headers
    };
    let on_platform = format!("https://app.example.com{campaigns}");
    let mut url_twice = nginx(&on_platform, Some("GET"));
    url_twice.push(("X-Original-URL", b"https://app.example.com/health".to_vec()));
    for (what, original) in [
        ("relative", nginx("/accounts/1", Some("GET"))),
        ("javascript", nginx("javascript://a.test/", Some("GET"))),
        ("no path", nginx("https://app.example.com", Some("GET"))),
        (
            "ftp",
            nginx(&format!("ftp://app.example.com{campaigns}"), Some("GET")),
        ),
        ("no method", nginx(&on_platform, None)),
        ("lower-case method", nginx(&on_platform, Some("get"))),
        ("URL twice", url_twice),
        (
            "userinfo",
            nginx(
                &format!("https://u@app.example.com{campaigns}"),
                Some("GET"),
            ),
        ),
        (
            "dot segments",
            nginx(
                &format!("https://app.example.com/accounts/{m}/campaigns/../billing/x"),
                Some("GET"),
            ),
        ),
    ] {
        lies.push((format!("X-Original-URL {what}"), original));
    }
    for (what, headers) in &lies {
        let mut request = app.client.get(app.url("/auth/forward"));
        for (name, value) in headers {
            request = request.header(
                *name,
                reqwest::header::HeaderValue::from_bytes(value).unwrap(),
            );
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        assert!(
            status == StatusCode::BAD_REQUEST || status == StatusCode::FORBIDDEN,
            "{what}: {status} {}",
            response.text().await.unwrap()
        );
        count += 1;
    }
    println!("{count} bad requests to the check API and forward auth, each a 4xx");
    assert!(count >= 200, "{count}");
    app.assert_unchanged_since(&before, "the bad-input corpus");
    // And still answered as before.
    assert_eq!(check_api(&app, &token, &good).await.0, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_or_session_in_a_forwarded_url_never_reaches_the_log() {
    use crate::common::log_scan::{assert_no_leaks, leak_in, lines_scanned};
    let app = gate_app("https://app.example.com").await;
    app.owner("owner@example.com", "essential").await;
    let m = app.scalar("SELECT id FROM accounts");
    let (_, session) = signed_in_with_readable_cookies(&app, "owner@example.com").await;
    let secret = account_sharing::secrets::random_token();
    assert!(
        leak_in(&format!("?token={secret}")).is_some(),
        "the scanner would see it"
    );
    let stranger = app.another_visitor();
    let scanned = lines_scanned();
    for uri in [
        format!("/accounts/{m}/campaigns/list?token={secret}"),
        format!("/accounts/{m}/campaigns/{secret}"),
        format!("/accounts/{m}/campaigns/list?session={session}"),
        format!("/accounts/{m}/unknown?token={secret}"),
        format!("/accounts/{m}/campaigns/../x?token={secret}"),
        format!("/reset/{secret}"),
    ] {
        for visitor in [&app, &stranger] {
            // Allowed, refused, asked to sign in (302 and 401), and headers that cannot be used.
            forward(visitor, "GET", &uri).await;
            forward_with(visitor, "GET", &uri, &[("Accept", "text/html")]).await;
            visitor
                .client
                .get(app.url("/auth/forward"))
                .header("X-Original-URL", format!("https://app.example.com{uri}"))
                .header("X-Original-Method", "GET")
                .send()
                .await
                .unwrap();
            visitor
                .client
                .get(app.url("/auth/forward"))
                .header("X-Original-URL", format!("https://app.example.com{uri}"))
                .header("X-Original-Method", "get")
                .send()
                .await
                .unwrap();
        }
    }
    assert!(
        lines_scanned() > scanned,
        "the servers logged these requests"
    );
    assert_no_leaks();
}
