//! My account: the plan, and sub-accounts created and renamed.

use reqwest::StatusCode;

use crate::common::{attribute, location, spawn_app, texts};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_a_sub_account_and_see_its_api_key_once() {
    let app = spawn_app().await;
    app.owner("sam@example.com", "silver-premium").await;
    let (_, html) = app.get_html("/account").await;
    assert_eq!(
        texts(&html, ".summary-list dd")[2..],
        ["Silver Premium", "10", "2"]
    );
    assert!(html.contains("You have no sub-accounts yet"));

    let response = app
        .submit(
            "/account",
            "/account/sub-accounts",
            &[("name", "  Spring sale ")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let html = response.text().await.unwrap();
    assert_eq!(texts(&html, "h1"), ["Sub-account “Spring sale” created"]);
    let key = attribute(&html, "input#api-key", "value").unwrap();
    assert!(key.starts_with("as_") && key.len() > 40, "{key}");

    // Stored as a fingerprint only: no table, session or queued mail holds the key.
    assert!(!app.database_contains(&key));
    assert!(!app.database_contains(&key[3..]));
    assert_eq!(
        app.scalar("SELECT length(api_key_hash) FROM sub_accounts"),
        32
    );
    let (_, html) = app.get_html("/account").await;
    assert!(!html.contains(&key));
    assert_eq!(texts(&html, "table tbody th"), ["Spring sale"]);
    assert_eq!(
        texts(&html, "table tbody td code"),
        [key[key.len() - 4..].to_owned()]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rename_a_sub_account() {
    let app = spawn_app().await;
    app.owner("tia@example.com", "free").await;
    app.submit("/account", "/account/sub-accounts", &[("name", "Old name")])
        .await;
    app.submit("/account", "/account/sub-accounts", &[("name", "Other")])
        .await;
    let id = app.scalar("SELECT id FROM sub_accounts WHERE name = 'Old name'");
    let path = format!("/account/sub-accounts/{id}/rename");

    let (status, html) = app.get_html(&path).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        attribute(&html, "input#name", "value").as_deref(),
        Some("Old name")
    );

    // Refusals keep what was typed, say why, and change nothing.
    for (typed, message) in [
        ("   ", "Enter a name for the sub-account"),
        (
            "other",
            "You already have a sub-account with this name: choose another name",
        ),
        (
            &"n".repeat(101),
            "Sub-account name must be 100 characters or fewer",
        ),
        (
            "Line\r\nbreak",
            "Sub-account name must not contain line breaks or invisible characters",
        ),
    ] {
        let response = app.submit(&path, &path, &[("name", typed)]).await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{typed:?}"
        );
        let html = response.text().await.unwrap();
        assert_eq!(texts(&html, ".error-summary a"), [message]);
        // HTML parsing turns CR LF in attribute values into LF.
        assert_eq!(
            attribute(&html, "input#name", "value"),
            Some(typed.replace("\r\n", "\n"))
        );
        assert_eq!(
            app.scalar("SELECT count(*) FROM sub_accounts WHERE name = 'Old name'"),
            1
        );
    }

    let response = app.submit(&path, &path, &[("name", "New name")]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/account");
    let (_, html) = app.get_html("/account").await;
    assert_eq!(
        texts(&html, ".banner__body"),
        ["The sub-account is renamed."]
    );
    assert_eq!(texts(&html, "table tbody th"), ["New name", "Other"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn creating_a_sub_account_with_a_bad_or_taken_name_keeps_the_form() {
    let app = spawn_app().await;
    app.owner("uma@example.com", "free").await;
    app.submit("/account", "/account/sub-accounts", &[("name", "Shop")])
        .await;
    let response = app
        .submit("/account", "/account/sub-accounts", &[("name", "SHOP")])
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert_eq!(
        texts(&html, "#name-error"),
        ["Error: You already have a sub-account with this name: choose another name"]
    );
    assert_eq!(
        attribute(&html, "input#name", "value").as_deref(),
        Some("SHOP")
    );
    assert!(texts(&html, "title")[0].starts_with("Error: My account"));

    let script = "<script>alert(1)</script>";
    let response = app
        .submit("/account", "/account/sub-accounts", &[("name", script)])
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let (_, html) = app.get_html("/account").await;
    assert!(!html.contains(script));
    assert_eq!(texts(&html, "table tbody th"), [script, "Shop"]);
    assert_eq!(app.scalar("SELECT count(*) FROM sub_accounts"), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_name_sent_twice_at_once_makes_one_sub_account() {
    let app = spawn_app().await;
    app.owner("val@example.com", "free").await;
    let (_, html) = app.get_html("/account").await;
    let token = crate::common::csrf_token(&html);
    let requests = (0..10).map(|_| {
        app.client
            .post(app.url("/account/sub-accounts"))
            .form(&[("csrf_token", token.as_str()), ("name", "Twin")])
            .send()
    });
    let statuses: Vec<StatusCode> = futures_util_join_all(requests).await;
    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == StatusCode::CREATED)
            .count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses
            .iter()
            .all(|s| *s == StatusCode::CREATED || *s == StatusCode::UNPROCESSABLE_ENTITY),
        "{statuses:?}"
    );
    assert_eq!(app.scalar("SELECT count(*) FROM sub_accounts"), 1);
}

async fn futures_util_join_all<F>(requests: impl Iterator<Item = F>) -> Vec<StatusCode>
where
    F: std::future::Future<Output = reqwest::Result<reqwest::Response>> + Send + 'static,
{
    let handles: Vec<_> = requests.map(tokio::spawn).collect();
    let mut statuses = Vec::new();
    for handle in handles {
        statuses.push(handle.await.unwrap().unwrap().status());
    }
    statuses
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sub_accounts_are_found_from_sharing_and_shared_right_after_creating_one() {
    let app = spawn_app().await;
    app.owner("uma@example.com", "gold-premium").await;
    let master = app.master_of("uma@example.com");

    // Before there are any: the sharing page, the invite form and Account Management say where.
    let (_, sharing) = app.get_html("/sharing").await;
    assert_eq!(
        attribute(&sharing, "#sub-accounts-link", "href").as_deref(),
        Some("/account#sub-accounts")
    );
    let (_, form) = app.get_html("/sharing/invite").await;
    assert_eq!(
        attribute(&form, "#no-sub-accounts a", "href").as_deref(),
        Some("/account#sub-accounts")
    );
    let (status, area) = app
        .get_html(&format!("/accounts/{master}/areas/account_management"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        attribute(&area, "#sub-accounts-link", "href").as_deref(),
        Some("/account#sub-accounts")
    );
    let (_, account) = app.get_html("/account").await;
    assert_eq!(texts(&account, "h2#sub-accounts").len(), 1);

    // Created: its key with a Copy button (shown by the script), and "Share" it.
    let created = app
        .submit(
            "/account",
            "/account/sub-accounts",
            &[("name", "Spring sale")],
        )
        .await;
    let html = created.text().await.unwrap();
    assert_eq!(
        attribute(&html, "button[data-copy=api-key]", "hidden").as_deref(),
        Some(""),
        "hidden until the script shows it"
    );
    let share = attribute(&html, "a[href^='/sharing/invite?account=']", "href").unwrap();
    assert_eq!(
        share,
        format!(
            "/sharing/invite?account={}",
            app.sub_account_value("Spring sale")
        )
    );
    let (_, form) = app.get_html(&share).await;
    assert_eq!(texts(&form, ".access-row__account"), ["Spring sale"]);
    let (_, sharing) = app.get_html("/sharing").await;
    assert_eq!(
        texts(&sharing, "#sub-accounts-link"),
        ["Your sub-account: create, rename and share"]
    );
    // Another owner's sub-account in the link is ignored, never shown.
    let (status, form) = app.get_html("/sharing/invite?account=99999:88888").await;
    assert_eq!(status, StatusCode::OK);
    assert!(texts(&form, ".access-row__account").is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn my_account_changes_the_name_people_see() {
    let app = spawn_app().await;
    app.owner("vic@example.com", "free").await;
    let (_, form) = app.get_html("/account/name").await;
    assert_eq!(
        attribute(&form, "input#name", "value").as_deref(),
        Some("Olive Owner")
    );
    let refused = app
        .submit("/account/name", "/account/name", &[("name", "   ")])
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let changed = app
        .submit(
            "/account/name",
            "/account/name",
            &[("name", "Victoria Owen")],
        )
        .await;
    assert_eq!(location(&changed), "/account");
    let (_, account) = app.get_html("/account").await;
    assert_eq!(texts(&account, "#person-name"), ["Victoria Owen"]);
    assert_eq!(
        app.scalar("SELECT count(*) FROM people WHERE display_name = 'Victoria Owen'"),
        1
    );
}
