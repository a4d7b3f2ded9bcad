//! Error pages, other owners' ids and production defaults. The matrices over every route
//! (forged forms, ids, headers, methods) are in `matrix.rs`, the bad-input corpus in
//! `bad_input.rs`.

use reqwest::StatusCode;

use crate::common::{PASSWORD, csrf_token, spawn_app, texts};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_pages_and_ids_get_a_helpful_404() {
    let app = spawn_app().await;
    app.owner("pat@example.com", "free").await;
    for path in [
        "/no-such-page",
        "/static/missing.js",
        "/account/sub-accounts/-1/rename",
        "/account/sub-accounts/9223372036854775808/rename",
        "/account/sub-accounts/abc/rename",
        "/account/sub-accounts/1/rename",
        "/dev/mailbox",
    ] {
        let (status, html) = app.get_html(path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(texts(&html, "h1"), ["Page not found"], "{path}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_owners_sub_accounts_are_not_found_and_not_changed() {
    let app = spawn_app().await;
    app.owner("quin@example.com", "free").await;
    app.submit(
        "/account",
        "/account/sub-accounts",
        &[("name", "Quin's shop")],
    )
    .await;
    let theirs = app.scalar("SELECT id FROM sub_accounts");

    let other = app.another_visitor();
    other
        .sign_up("rae@example.com", "Rae", PASSWORD, "free")
        .await;
    other.sign_in("rae@example.com", PASSWORD).await;
    let path = format!("/account/sub-accounts/{theirs}/rename");
    let (status, _) = other.get_html(&path).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, html) = other.get_html("/account").await;
    let response = other
        .post_raw(
            &path,
            &[("csrf_token", &csrf_token(&html)), ("name", "Taken over")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        app.scalar("SELECT count(*) FROM sub_accounts WHERE name = 'Quin''s shop'"),
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_without_app_env_is_a_production_server() {
    use base64::Engine;
    let key = base64::engine::general_purpose::STANDARD.encode([9u8; 64]);
    let app = crate::common::spawn_app_with(|vars| {
        vars.remove("APP_ENV");
        vars.remove("SEED_DEMO");
        vars.insert("BASE_URL".into(), "https://share.example.com".into());
        vars.insert("SESSION_KEY".into(), key);
    })
    .await;
    assert_eq!(
        app.settings.environment,
        account_sharing::config::Environment::Production
    );
    let (status, html) = app.get_html("/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        !html.contains(account_sharing::services::demo::DEMO_PASSWORD),
        "no demo password on the start page"
    );
    assert_eq!(
        app.scalar("SELECT count(*) FROM people"),
        0,
        "no demo owner"
    );
    assert_eq!(
        app.get("/dev/mailbox").await.status(),
        StatusCode::NOT_FOUND
    );
    // And without what production needs, it says what to set instead of starting.
    let refused = account_sharing::config::Settings::from_lookup(|name| {
        (name == "DATABASE_URL").then(|| "postgres://x".to_owned())
    })
    .expect_err("refused");
    assert!(refused.to_string().contains("APP_ENV=development"));
}
