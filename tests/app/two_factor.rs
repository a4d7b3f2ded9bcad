//! Two-factor authentication (issue 22): set up from My account with an authenticator app's
//! code, asked after the password at every sign-in, recovery codes used once, kept through a
//! password reset, counted in the sign-in limits. Codes are computed here, from the key the
//! page shows and the test's own clock, as a person's app would.

use std::time::Duration;

use reqwest::StatusCode;
use totp_rs::{Algorithm, Builder, Secret};

use crate::{
    common::{PASSWORD, TestApp, location, log_scan, spawn_app, spawn_app_with, texts},
    gate::{check_api, forward, gate_app, service_token, team},
    members_api::{call, make_token},
};
use reqwest::Method;
use serde_json::json;

const OWNER: &str = "ada@example.com";

/// What a person's authenticator app holds after typing the key the page shows.
struct App {
    secret: Vec<u8>,
}

impl App {
    fn code_at(&self, unix_seconds: i64) -> String {
        Builder::new()
            .with_algorithm(Algorithm::SHA1)
            .with_digits(6)
            .with_step_duration(30)
            .with_secret(self.secret.clone())
            .build()
            .unwrap()
            .generate(unix_seconds as u64)
            .to_string()
    }

    /// The code the app shows now, by the service's clock, which tests move.
    fn code_now(&self, app: &TestApp) -> String {
        self.code_at(app.settings.clock.now().timestamp())
    }
}

/// Stops the service's clock one second into the next 30-second step, for a test that needs
/// "the code now" to stay the code it just used however slowly the steps between run: crossing
/// into the next step under load would make it a fresh code. Call it before moving the clock.
fn stop_the_clock_early_in_a_step(app: &TestApp) {
    let now = app.settings.clock.now().timestamp();
    let next_step = now - now.rem_euclid(30) + 30;
    app.settings
        .clock
        .stop_at(chrono::DateTime::from_timestamp(next_step + 1, 0).unwrap());
}

/// Sets up two-factor authentication from My account, as a person does: the key from the page
/// into the app, the app's code into the form. Gives the app and the recovery codes shown.
async fn turn_on(app: &TestApp, email: &str) -> (App, Vec<String>) {
    let (status, html) = app.get_html("/account/two-factor").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(texts(&html, "main .tag"), ["Off"]);
    let started = app
        .submit("/account/two-factor", "/account/two-factor/setup", &[])
        .await;
    assert_eq!(location(&started), "/account/two-factor");
    let (_, html) = app.get_html("/account/two-factor").await;
    let key = texts(&html, "#secret").remove(0).replace(' ', "");
    log_scan::never_log(&key);
    let device = App {
        secret: Secret::try_from_base32(&key).unwrap().as_ref().to_vec(),
    };
    // The QR code holds the otpauth:// URI of the same key, as authenticator apps read it.
    let uri = Builder::new()
        .with_secret(device.secret.clone())
        .with_issuer(Some("Account sharing"))
        .with_account_name(email)
        .build()
        .unwrap()
        .to_url()
        .unwrap();
    let expected = qrcode::QrCode::new(uri.as_bytes()).unwrap();
    let path = crate::common::attribute(&html, "svg.qr-code path", "d").unwrap();
    assert_eq!(
        path.matches('M').count(),
        expected
            .to_colors()
            .iter()
            .filter(|c| **c == qrcode::Color::Dark)
            .count()
    );
    assert_eq!(
        crate::common::attribute(&html, "svg.qr-code", "viewBox").unwrap(),
        format!("0 0 {0} {0}", expected.width() + 8)
    );

    // A wrong code, and no code, keep it off and say why.
    for (typed, says) in [
        ("000000", "does not match"),
        ("", "Enter the 6-digit code"),
        ("12345", "like 123456"),
    ] {
        let typed = if typed == "000000" && device.code_now(app) == "000000" {
            "111111"
        } else {
            typed
        };
        let refused = app
            .submit(
                "/account/two-factor",
                "/account/two-factor/confirm",
                &[("code", typed)],
            )
            .await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = refused.text().await.unwrap();
        assert!(texts(&html, ".error-message")[0].contains(says), "{html}");
        assert_eq!(texts(&html, "#secret").remove(0).replace(' ', ""), key);
    }
    let on = app
        .submit(
            "/account/two-factor",
            "/account/two-factor/confirm",
            &[("code", &device.code_now(app))],
        )
        .await;
    assert_eq!(on.status(), StatusCode::OK);
    let html = on.text().await.unwrap();
    let codes = texts(&html, "#recovery-codes li");
    assert_eq!(codes.len(), 10);
    for code in &codes {
        log_scan::never_log(code);
        log_scan::never_log(&code.replace('-', ""));
    }
    // The person is told, so an app set up by whoever has the password alone is seen.
    let told = async {
        loop {
            let received = app.smtp.received();
            if let Some(mail) = received.iter().find(|mail| {
                mail.envelope_to.iter().any(|to| to == email)
                    && mail.subject() == "Two-factor authentication is on"
            }) {
                return mail.clone();
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    };
    let told = tokio::time::timeout(Duration::from_secs(10), told)
        .await
        .expect("a mail says two-factor authentication is on");
    assert!(told.text().contains("authenticator app"), "{}", told.text());
    (device, codes)
}

async fn sign_in_first_step(visitor: &TestApp) {
    let response = visitor.sign_in(OWNER, PASSWORD).await;
    assert_eq!(location(&response), "/sign-in/two-factor");
}

async fn second_step(visitor: &TestApp, code: &str) -> reqwest::Response {
    visitor
        .submit(
            "/sign-in/two-factor",
            "/sign-in/two-factor",
            &[("code", code)],
        )
        .await
}

fn signed_in(response: &reqwest::Response) -> bool {
    response.status() == StatusCode::OK
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_asks_for_the_apps_code_after_the_password_and_each_code_works_once() {
    let app = spawn_app().await;
    stop_the_clock_early_in_a_step(&app);
    app.owner(OWNER, "free").await;
    let (device, codes) = turn_on(&app, OWNER).await;

    // Stored: the seed sealed, the recovery codes hashed; neither readable in the database.
    assert_eq!(
        app.scalar("SELECT count(*) FROM totp_authenticators WHERE confirmed_at IS NOT NULL"),
        1
    );
    let seed_hex: String = device.secret.iter().map(|b| format!("{b:02x}")).collect();
    assert!(!app.database_contains(&seed_hex));
    assert_eq!(app.scalar("SELECT count(*) FROM recovery_codes"), 10);
    for code in &codes {
        assert!(!app.database_contains(code));
        assert!(!app.database_contains(&code.replace('-', "")));
    }
    let (_, settings) = app.get_html("/account/two-factor").await;
    assert_eq!(texts(&settings, "main .tag"), ["On"]);
    let (_, account) = app.get_html("/account").await;
    assert!(account.contains(r#"href="/account/two-factor""#));

    // The password alone signs nobody in now.
    let laptop = app.another_visitor();
    sign_in_first_step(&laptop).await;
    assert!(!signed_in(&laptop.get("/account").await));
    let (status, page) = laptop.get_html("/sign-in/two-factor").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(texts(&page, "h1"), ["Enter your security code"]);

    // The code that turned it on was used: it does not work again, in its own step.
    let replayed = second_step(&laptop, &device.code_now(&app)).await;
    assert_eq!(replayed.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = replayed.text().await.unwrap();
    assert!(texts(&html, ".error-message")[0].contains("used already"));
    assert!(!signed_in(&laptop.get("/account").await));

    // Malformed input is told apart from a wrong code, and costs nothing.
    let malformed = second_step(&laptop, "12ab").await;
    assert_eq!(malformed.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(texts(&malformed.text().await.unwrap(), ".error-message")[0].contains("6 digits"));

    // The next step's code works, typed as apps show it.
    app.settings.clock.advance(Duration::from_secs(30));
    let code = device.code_now(&app);
    let done = second_step(&laptop, &format!("{} {}", &code[..3], &code[3..])).await;
    assert_eq!(location(&done), "/accounts");
    assert!(signed_in(&laptop.get("/account").await));

    // Another browser, the same code, in the same step: refused.
    let phone = app.another_visitor();
    sign_in_first_step(&phone).await;
    assert_eq!(
        second_step(&phone, &code).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );

    // A recovery code, in capitals without dashes: once.
    let recovery = codes[3].replace('-', "").to_uppercase();
    assert_eq!(location(&second_step(&phone, &recovery).await), "/accounts");
    assert!(signed_in(&phone.get("/account").await));
    let (_, settings) = phone.get_html("/account/two-factor").await;
    assert_eq!(
        texts(&settings, ".summary-list dd")[1],
        "9",
        "a recovery code left fewer"
    );
    let tablet = app.another_visitor();
    sign_in_first_step(&tablet).await;
    assert_eq!(
        second_step(&tablet, &codes[3]).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert!(!signed_in(&tablet.get("/account").await));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_second_step_ends_after_ten_minutes_or_a_password_change() {
    let app = spawn_app().await;
    app.owner(OWNER, "free").await;
    let (device, _) = turn_on(&app, OWNER).await;
    let visitor = app.another_visitor();
    // Without the first step, the second is not offered.
    assert_eq!(
        location(&visitor.get("/sign-in/two-factor").await),
        "/sign-in"
    );
    sign_in_first_step(&visitor).await;
    // The page stays open for eleven minutes before the code is sent.
    let (_, page) = visitor.get_html("/sign-in/two-factor").await;
    let token = crate::common::csrf_token(&page);
    app.settings.clock.advance(Duration::from_secs(11 * 60));
    let late = visitor
        .post_raw(
            "/sign-in/two-factor",
            &[("csrf_token", &token), ("code", &device.code_now(&app))],
        )
        .await;
    assert_eq!(location(&late), "/sign-in");
    let (_, page) = visitor.get_html("/sign-in").await;
    assert!(page.contains("took too long"));
    assert!(!signed_in(&visitor.get("/account").await));

    // A password change between the two steps ends the wait too, as it ends every link.
    let guesser = app.another_visitor();
    sign_in_first_step(&guesser).await;
    let changed = app
        .submit(
            "/account/password",
            "/account/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", "a brand new passphrase"),
            ],
        )
        .await;
    assert_eq!(location(&changed), "/account");
    app.settings.clock.advance(Duration::from_secs(30));
    let late = second_step(&guesser, &device.code_now(&app)).await;
    assert_eq!(location(&late), "/sign-in");
    assert!(!signed_in(&guesser.get("/account").await));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_codes_count_in_the_sign_in_limits() {
    let app = spawn_app_with(|vars| {
        vars.insert("RATE_SIGN_IN_PER_ADDRESS".into(), "3/1h".into());
    })
    .await;
    app.owner(OWNER, "free").await;
    let (device, _) = turn_on(&app, OWNER).await;
    app.settings.clock.advance(Duration::from_secs(30));
    let visitor = app.another_visitor();
    sign_in_first_step(&visitor).await;
    let wrong = if device.code_now(&app) == "999999" {
        "999998"
    } else {
        "999999"
    };
    // The wrong code at setup counted too: within three more tries the limit answers.
    let mut statuses = Vec::new();
    for _ in 0..3 {
        statuses.push(second_step(&visitor, wrong).await.status());
    }
    assert_eq!(statuses[0], StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(statuses[2], StatusCode::TOO_MANY_REQUESTS, "{statuses:?}");
    // Past the limit, even the right code waits.
    assert_eq!(
        second_step(&visitor, &device.code_now(&app)).await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_password_reset_keeps_the_second_factor_and_turning_it_off_needs_the_password() {
    let app = spawn_app().await;
    app.owner(OWNER, "free").await;
    let (device, _) = turn_on(&app, OWNER).await;

    let visitor = app.another_visitor();
    visitor
        .submit("/password-reset", "/password-reset", &[("email", OWNER)])
        .await;
    let link = loop {
        if let Some(link) = app.smtp.received().iter().rev().find_map(|mail| {
            mail.link_starting(&format!("{}/password-reset/new?token=", app.base_url))
        }) {
            break link;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    visitor.client.get(&link).send().await.unwrap();
    let reset = visitor
        .submit(
            "/password-reset/new",
            "/password-reset/new",
            &[("password", "a brand new passphrase")],
        )
        .await;
    assert_eq!(location(&reset), "/sign-in/two-factor");
    assert!(!signed_in(&visitor.get("/account").await));
    app.settings.clock.advance(Duration::from_secs(30));
    let done = second_step(&visitor, &device.code_now(&app)).await;
    assert_eq!(location(&done), "/accounts");
    assert_eq!(
        app.scalar("SELECT count(*) FROM totp_authenticators WHERE confirmed_at IS NOT NULL"),
        1
    );

    // Turning off: the password is asked, a wrong one changes nothing.
    for (password, says) in [("", "Enter your password"), ("wrong", "not right")] {
        let refused = visitor
            .submit(
                "/account/two-factor",
                "/account/two-factor/turn-off",
                &[("current_password", password)],
            )
            .await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = refused.text().await.unwrap();
        assert!(texts(&html, "#current_password-error")[0].contains(says));
        assert_eq!(app.scalar("SELECT count(*) FROM recovery_codes"), 10);
    }
    // New recovery codes replace the old ones, after the password.
    let (_, before) = visitor.get_html("/account/two-factor").await;
    assert_eq!(texts(&before, ".summary-list dd")[1], "10");
    let renewed = visitor
        .submit(
            "/account/two-factor",
            "/account/two-factor/recovery-codes",
            &[("codes_password", "a brand new passphrase")],
        )
        .await;
    assert_eq!(renewed.status(), StatusCode::OK);
    let fresh = texts(&renewed.text().await.unwrap(), "#recovery-codes li");
    assert_eq!(fresh.len(), 10);
    for code in &fresh {
        log_scan::never_log(code);
    }

    let off = visitor
        .submit(
            "/account/two-factor",
            "/account/two-factor/turn-off",
            &[("current_password", "a brand new passphrase")],
        )
        .await;
    assert_eq!(location(&off), "/account/two-factor");
    assert_eq!(app.scalar("SELECT count(*) FROM totp_authenticators"), 0);
    assert_eq!(app.scalar("SELECT count(*) FROM recovery_codes"), 0);
    let later = app.another_visitor();
    assert_eq!(
        location(&later.sign_in(OWNER, "a brand new passphrase").await),
        "/accounts"
    );
}

/// The owner's "Require two-factor authentication" (issue 22): refused until the owner has a
/// second factor; then a Manager without one is sent to set it up from every account page, and
/// forward auth and the check API refuse them with the reason, until they turn one on, and
/// again when they turn it off. Each change of the setting is in the audit log.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_owner_requires_a_second_factor_and_people_without_one_are_shut_out_until_they_have_it()
{
    let app = gate_app("https://app.example.com").await;
    let team = team(&app, &[("manager", &[("role_0", "manager")])]).await;
    let manager = team.person("manager");
    let master = team.master.clone();
    let home = format!("/accounts/{master}");
    let send = format!("/accounts/{master}/campaigns/7/send");
    let token = service_token(&app, "platform");
    let manager_id = app.scalar("SELECT id FROM people WHERE email = 'manager@example.com'");
    let check = format!(
        r#"{{"person": {manager_id}, "account": "{master}", "permissions": ["campaigns:send"]}}"#
    );
    assert_eq!(
        forward(manager, "POST", &send).await.status(),
        StatusCode::OK
    );
    let owners_token = make_token(&app, &master, "directory", &["people:read"]).await;
    let managers_token = make_token(manager, &master, "script", &["people:read"]).await;
    let people = format!("/api/v1/accounts/{master}/people");
    let (managers_answer, _) = call(&app, &managers_token, Method::GET, &people, None).await;
    assert_ne!(managers_answer, StatusCode::UNAUTHORIZED);

    // Not before the owner has one: said on the form, nothing changes.
    let (status, page) = app.get_html("/sharing/security").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(texts(&page, "#without"), ["1 of 1 have no second factor"]);
    let refused = app
        .submit(
            "/sharing/security",
            "/sharing/security",
            &[("required", "on")],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text().await.unwrap();
    assert!(texts(&html, "#required-error")[0].contains("your own login first"));
    assert_eq!(
        crate::common::attribute(&html, "#required", "checked").as_deref(),
        Some(""),
        "the box stays as sent"
    );
    assert_eq!(
        app.scalar("SELECT count(*) FROM accounts WHERE require_two_factor_since IS NOT NULL"),
        0
    );
    turn_on(&app, "owner@example.com").await;
    let required = app
        .submit(
            "/sharing/security",
            "/sharing/security",
            &[("required", "on")],
        )
        .await;
    let status = required.status();
    assert_eq!(
        location(&required),
        "/sharing/security",
        "{status} {}",
        required.text().await.unwrap()
    );
    let (_, page) = app.get_html("/sharing/security").await;
    assert!(texts(&page, "main dd")[0].starts_with("Required"));
    assert_eq!(
        app.scalar(
            "SELECT count(*) FROM audit_events WHERE action = 'two_factor_requirement_changed' \
             AND after::jsonb = '{\"two_factor_required\": true}'::jsonb"
        ),
        1
    );
    // Saving it again records nothing new.
    app.submit(
        "/sharing/security",
        "/sharing/security",
        &[("required", "on")],
    )
    .await;
    assert_eq!(
        app.scalar(
            "SELECT count(*) FROM audit_events WHERE action = 'two_factor_requirement_changed'"
        ),
        1
    );

    // The Manager without one: every account page sends them to set it up.
    for path in [home.clone(), format!("/accounts/{master}/areas/contacts")] {
        let response = manager.get(&path).await;
        assert_eq!(
            location(&response),
            "/account/two-factor?required",
            "{path}"
        );
    }
    let (_, settings) = manager.get_html("/account/two-factor?required").await;
    assert!(texts(&settings, "#required-elsewhere")[0].contains("requires two-factor"));
    let refused = forward(manager, "POST", &send).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("requires two-factor authentication")
    );
    let (status, body) = check_api(&app, &token, &check).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body,
        r#"{"allowed":{"campaigns:send":false},"reason":"second_factor_required"}"#
    );
    // Their personal token no longer works there.
    let (status, _) = call(&app, &managers_token, Method::GET, &people, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // The owner sees who has none, on the page, in the export and through the API.
    let (_, listed) = call(&app, &owners_token, Method::GET, &people, None).await;
    assert_eq!(listed["people"][0]["two_factor"], json!(false));
    let (_, sharing) = app.get_html("/sharing").await;
    assert_eq!(
        texts(&sharing, ".share-table__two-factor"),
        ["No two-factor"]
    );
    let csv = app.get("/sharing/export.csv").await.text().await.unwrap();
    let mut lines = csv.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .trim_end()
            .ends_with(r#","Two-factor authentication""#)
    );
    assert!(
        lines.next().unwrap().trim_end().ends_with(r#","No""#),
        "{csv}"
    );

    // Once they have one, they are back in, everywhere.
    let (device, _) = turn_on(manager, "manager@example.com").await;
    assert_eq!(manager.get(&home).await.status(), StatusCode::OK);
    assert_eq!(
        forward(manager, "POST", &send).await.status(),
        StatusCode::OK
    );
    let (_, body) = check_api(&app, &token, &check).await;
    assert_eq!(body, r#"{"allowed":{"campaigns:send":true}}"#);
    let (_, sharing) = app.get_html("/sharing").await;
    assert_eq!(
        texts(&sharing, ".share-table__two-factor"),
        ["Two-factor on"]
    );
    let (_, listed) = call(&app, &owners_token, Method::GET, &people, None).await;
    assert_eq!(listed["people"][0]["two_factor"], json!(true));
    let (status, _) = call(&app, &managers_token, Method::GET, &people, None).await;
    assert_eq!(status, managers_answer, "the token works again");
    let csv = app.get("/sharing/export.csv").await.text().await.unwrap();
    assert!(
        csv.lines()
            .nth(1)
            .unwrap()
            .trim_end()
            .ends_with(r#","Yes""#),
        "{csv}"
    );
    drop(device);

    // Turning theirs off shuts them out again.
    manager
        .submit(
            "/account/two-factor",
            "/account/two-factor/turn-off",
            &[("current_password", PASSWORD)],
        )
        .await;
    assert_eq!(
        location(&manager.get(&home).await),
        "/account/two-factor?required"
    );
    assert_eq!(
        forward(manager, "POST", &send).await.status(),
        StatusCode::FORBIDDEN
    );

    // The owner stops requiring it: recorded, and the Manager is back in.
    let stopped = app
        .submit("/sharing/security", "/sharing/security", &[])
        .await;
    assert_eq!(
        location(&stopped),
        "/sharing/security",
        "{:?}",
        stopped.status()
    );
    assert_eq!(
        app.scalar(
            "SELECT count(*) FROM audit_events WHERE action = 'two_factor_requirement_changed'"
        ),
        2
    );
    let (_, activity) = app.get_html("/sharing/activity").await;
    assert!(activity.contains("Two-factor requirement changed"));
    assert!(activity.contains("Two-factor authentication not required"));
    assert_eq!(manager.get(&home).await.status(), StatusCode::OK);
    assert_eq!(
        forward(manager, "POST", &send).await.status(),
        StatusCode::OK
    );
}

/// A key sealed under another SESSION_KEY (a changed key, a backup restored beside another one)
/// does not open: the app's codes are refused in words, never a 500, and a recovery code still
/// signs in, so the person can set the app up again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_sealed_under_another_session_key_refuses_codes_but_not_recovery_codes() {
    let app = spawn_app().await;
    app.owner(OWNER, "free").await;
    let (device, codes) = turn_on(&app, OWNER).await;
    // Sealed by another key: version byte, nonce and ciphertext of the right lengths.
    app.execute(
        "UPDATE totp_authenticators SET sealed_secret = \
         '\\x01' || decode(repeat('ab', 12 + 20 + 16), 'hex')",
    );
    app.settings.clock.advance(Duration::from_secs(30));
    let visitor = app.another_visitor();
    sign_in_first_step(&visitor).await;
    let refused = second_step(&visitor, &device.code_now(&app)).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        location(&second_step(&visitor, &codes[0]).await),
        "/accounts"
    );
    let off = visitor
        .submit(
            "/account/two-factor",
            "/account/two-factor/turn-off",
            &[("current_password", PASSWORD)],
        )
        .await;
    assert_eq!(location(&off), "/account/two-factor");
}
