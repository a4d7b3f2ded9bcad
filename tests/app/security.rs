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

/// Places where HTML escaping may be turned off, each with the reason it is safe there. Empty:
/// every page and HTML mail escapes everything it shows (R26).
const UNESCAPED_ALLOWED: &[(&str, &str)] = &[];

/// The spellings that turn askama's escaping off: the `safe` filter (also as a `filter` block),
/// `escape`/`e` with "none", and `escape = "none"` in a template attribute.
fn turns_escaping_off(line: &str) -> bool {
    let squeezed: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    squeezed.contains("|safe")
        || squeezed.contains("{%filtersafe")
        || squeezed.contains("escape=\"none\"")
        || squeezed.contains("escape(\"none\")")
        || squeezed.contains("|e(\"none\")")
        || squeezed.contains("{%filterescape(\"none\")")
}

fn files_under(dir: &std::path::Path, found: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files_under(&path, found);
        } else {
            found.push(path);
        }
    }
}

#[test]
fn templates_never_turn_escaping_off() {
    // The guard itself: it sees each spelling, and nothing else.
    for off in [
        "{{ name|safe }}",
        "{{ name | safe }}",
        "{% filter safe %}",
        "#[template(path = \"x.html\", escape = \"none\")]",
        "{{ name|escape(\"none\") }}",
        "{{ name|e(\"none\") }}",
    ] {
        assert!(turns_escaping_off(off), "{off}");
    }
    for on in [
        "{{ name }}",
        "{{ name|e }}",
        "{{ safe_name }}",
        "a safe place",
    ] {
        assert!(!turns_escaping_off(on), "{on}");
    }

    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    files_under(&root.join("templates"), &mut files);
    files_under(&root.join("src"), &mut files);
    files.push(root.join("Cargo.toml"));
    if root.join("askama.toml").exists() {
        files.push(root.join("askama.toml"));
    }
    let mut found = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let relative = file.strip_prefix(root).unwrap().display().to_string();
        for (number, line) in text.lines().enumerate() {
            if turns_escaping_off(line) {
                match UNESCAPED_ALLOWED.iter().find(|(path, _)| *path == relative) {
                    Some((_, reason)) => assert!(reason.len() > 20, "{relative}: say why"),
                    None => found.push(format!("{relative}:{}: {line}", number + 1)),
                }
            }
        }
    }
    assert!(files.len() > 50, "read every template and source file");
    assert!(
        found.is_empty(),
        "escaping turned off without a reason in UNESCAPED_ALLOWED:\n{}",
        found.join("\n")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_log_never_carries_a_token_a_password_or_a_session_key() {
    use crate::common::log_scan::{assert_no_leaks, leak_in, lines_scanned};
    // The scanner itself: it sees each kind of secret, and not an ordinary log line.
    assert!(leak_in(&account_sharing::secrets::random_token()).is_some());
    assert!(leak_in(&format!("password={PASSWORD}")).is_some());
    assert!(leak_in("GET /sharing/people/12/edit 200 5321 3.204ms").is_none());
    assert!(
        leak_in("INFO request{request_id=9afc12abc24be2cbae74890196ff4f8b trace_id=4bf92f3577b34da6a3ce929d0e0e4736}: GET /health 200").is_none()
    );

    // Every path a secret travels, with the server logging at debug level.
    let app = spawn_app().await;
    let before = lines_scanned();
    app.owner("lou@example.com", "essential").await;
    app.another_visitor()
        .sign_in("lou@example.com", "not the password")
        .await;
    crate::sharing::invite_manager(&app, "max@example.com").await;
    let link = crate::sharing::invitation_link(&app, "max@example.com", 1).await;
    let invitee = app.another_visitor();
    crate::sharing::open_link(&invitee, &link).await;
    invitee
        .submit(
            "/invitations/accept",
            "/invitations/accept/new-login",
            &[("name", "Max"), ("password", PASSWORD)],
        )
        .await;
    // A used link, a forged one, and a password reset from request to new password.
    invitee.client.get(&link).send().await.unwrap();
    let forged = format!(
        "/invitations/accept?token={}",
        account_sharing::secrets::random_token()
    );
    app.another_visitor().get(&forged).await;
    let resetter = app.another_visitor();
    resetter
        .submit(
            "/password-reset",
            "/password-reset",
            &[("email", "lou@example.com")],
        )
        .await;
    // Lou's mails: the verification, Max's acceptance, and the reset link.
    let reset = app
        .mails_to("lou@example.com", 3)
        .await
        .into_iter()
        .find(|mail| mail.subject() == "Choose a new password")
        .unwrap();
    let reset_link = reset
        .link_starting(&app.url("/password-reset/new?token="))
        .unwrap();
    resetter.client.get(&reset_link).send().await.unwrap();
    resetter
        .submit(
            "/password-reset/new",
            "/password-reset/new",
            &[("password", "a brand new passphrase")],
        )
        .await;
    let logged = lines_scanned() - before;
    assert!(logged > 20, "the server logged {logged} lines");
    assert_no_leaks();
    println!(
        "Log scan: {logged} lines logged at debug level by this test's flows (and every line of the suite) scanned; 0 tokens, passwords or session keys"
    );
}

/// What people type that a page or an HTML mail must show as text, never run.
const MARKUP: [&str; 4] = [
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(2)>",
    "{{7*7}} ${7*7}",
    "<a href=javascript:alert(3)>x</a>",
];

/// Whether the document holds markup that runs: an inline script, an event attribute, or a
/// javascript: link.
fn runs_script(html: &str) -> bool {
    let document = scraper::Html::parse_document(html);
    let everything = scraper::Selector::parse("*").unwrap();
    document.select(&everything).any(|element| {
        let value = element.value();
        (value.name() == "script" && value.attr("src").is_none())
            || value.name() == "img"
            || value.attrs().any(|(name, content)| {
                name.starts_with("on") || content.trim_start().starts_with("javascript:")
            })
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn names_typed_by_one_person_are_text_on_another_persons_pages_and_mail() {
    assert!(runs_script("<p><img src=x onerror=alert(1)></p>"));
    assert!(runs_script("<p><script>alert(1)</script></p>"));
    assert!(!runs_script("<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"));
    for (round, markup) in MARKUP.iter().enumerate() {
        let app = spawn_app().await;
        // The owner's name and a sub-account's go into the invitation mail...
        let owner = format!("owner{round}@example.com");
        assert_eq!(
            app.sign_up(&owner, markup, PASSWORD, "crystal-premium")
                .await
                .status(),
            StatusCode::OK,
            "{markup}"
        );
        let verification = app.smtp.wait_for(1).await.pop().unwrap();
        app.verify_with_link(&verification.link_starting(&app.base_url).unwrap())
            .await;
        app.submit("/account", "/account/sub-accounts", &[("name", markup)])
            .await;
        let master = app.master_of(&owner);
        let shop = app.scalar("SELECT id FROM sub_accounts");
        let invitee = format!("invitee{round}@example.com");
        let response = crate::sharing::invite_and_confirm(
            &app,
            &[
                ("email", &invitee),
                ("account_0", &master),
                ("role_0", "manager"),
                ("account_1", &format!("{master}:{shop}")),
                ("role_1", "designer"),
            ],
        )
        .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{markup}");
        let mail = app.mails_to(&invitee, 1).await.pop().unwrap();
        let html = mail.body("text/html");
        assert!(!runs_script(&html), "{markup} in the invitation mail");
        assert!(
            texts(&html, "body")[0].contains(markup.trim()),
            "{markup} shown as text in the mail"
        );
        assert!(
            mail.text().contains(markup),
            "shown as typed in the text part"
        );

        // ...and the invitee's name goes onto the owner's sharing page.
        let link = crate::sharing::invitation_link(&app, &invitee, 1).await;
        let person = app.another_visitor();
        let (_, page) = crate::sharing::open_link(&person, &link).await;
        assert!(!runs_script(&page), "{markup} on the invitation page");
        assert!(texts(&page, "h1")[0].contains(markup.trim()));
        person
            .submit(
                "/invitations/accept",
                "/invitations/accept/new-login",
                &[("name", markup), ("password", PASSWORD)],
            )
            .await;
        let (_, sharing) = app.get_html("/sharing").await;
        assert!(!runs_script(&sharing), "{markup} on the sharing page");
        assert!(
            texts(&sharing, "tbody tr")
                .iter()
                .any(|row| row.contains(markup.trim())),
            "{markup} shown as text"
        );
        let (_, accounts) = person.get_html("/accounts").await;
        assert!(
            !runs_script(&accounts),
            "{markup} in the invitee's switcher"
        );
    }
}
