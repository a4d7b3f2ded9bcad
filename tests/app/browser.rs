//! A real headless Chromium, driven over WebDriver: the invite form with JavaScript on, and
//! axe-core on every page state the form goes through, with JavaScript on and off (UX.md).

use std::{process::Stdio, time::Duration};

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;

use crate::{
    common::{PASSWORD, TestApp, spawn_app},
    sharing::invitation_link,
};

/// A browser of its own: chromedriver on a free port, a fresh profile, closed on drop.
struct Browser {
    client: Client,
    _driver: tokio::process::Child,
    profile: std::path::PathBuf,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

async fn start_browser(javascript: bool) -> Browser {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let driver = tokio::process::Command::new("chromedriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("chromedriver is installed: `./dev test` installs Debian's chromium-driver");
    let profile = std::env::temp_dir().join(format!(
        "chromium-{}",
        account_sharing::secrets::random_token()
    ));
    let mut options = json!({
        "binary": "/usr/bin/chromium",
        "args": [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-extensions", "--disable-default-apps", "--window-size=1280,900",
            format!("--user-data-dir={}", profile.display()),
        ],
    });
    if !javascript {
        // Page scripts stop; WebDriver's own scripts (axe) still run.
        options["prefs"] = json!({ "profile.managed_default_content_settings.javascript": 2 });
    }
    let mut capabilities = serde_json::Map::new();
    capabilities.insert("goog:chromeOptions".into(), options);
    let url = format!("http://127.0.0.1:{port}");
    for _ in 0..100 {
        match ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities.clone())
            .connect(&url)
            .await
        {
            Ok(client) => {
                return Browser {
                    client,
                    _driver: driver,
                    profile,
                };
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
    panic!("chromedriver did not start");
}

/// axe-core's violations on the current page, as "rule: help (where)" lines.
async fn axe_violations(client: &Client) -> Vec<String> {
    let path = std::env::var("AXE_CORE_JS")
        .expect("AXE_CORE_JS is not set: run the tests with `./dev test`, which installs axe-core");
    let source = std::fs::read_to_string(&path).expect("axe-core's axe.min.js");
    client.execute(&source, vec![]).await.expect("axe loads");
    let script = r#"
        const done = arguments[arguments.length - 1];
        axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } })
          .then(r => done(r.violations.map(v => v.id + ': ' + v.help + ' (' + v.nodes.map(n => n.target.join(' ')).join(', ') + ')')))
          .catch(e => done(['axe failed: ' + e]));
    "#;
    let result = client
        .execute_async(script, vec![])
        .await
        .expect("axe runs");
    serde_json::from_value(result).unwrap()
}

async fn assert_accessible(client: &Client, state: &str) {
    let violations = axe_violations(client).await;
    assert!(
        violations.is_empty(),
        "axe on {state}:\n{}",
        violations.join("\n")
    );
}

/// Audits the page `page` shows now, as it is without JavaScript: its DOM, scripts removed, is
/// written into `auditor` (a browser with JavaScript, on the same origin so styles load), where
/// axe can run. axe cannot run in `page` itself: with JavaScript off its callbacks never fire.
async fn assert_accessible_without_javascript(
    page: &Client,
    auditor: &Client,
    app: &TestApp,
    state: &str,
) {
    let html = page.source().await.unwrap();
    auditor.goto(&app.url("/static/app.css")).await.unwrap();
    let script = "document.open(); document.write(arguments[0].replace(/<script[\\s\\S]*?<\\/script>/gi, '')); document.close();";
    auditor.execute(script, vec![json!(html)]).await.unwrap();
    let scripts = auditor
        .execute("return document.scripts.length;", vec![])
        .await
        .unwrap();
    assert_eq!(scripts, json!(0));
    assert_accessible(auditor, state).await;
}

async fn css(client: &Client, selector: &str) -> fantoccini::elements::Element {
    client
        .find(Locator::Css(selector))
        .await
        .unwrap_or_else(|e| panic!("{selector}: {e}"))
}

/// Clicks something that loads a new page, and waits until the new page has fully loaded.
async fn click_and_load(client: &Client, selector: &str) {
    client
        .execute("window.__oldPage = true;", vec![])
        .await
        .unwrap();
    css(client, selector).await.click().await.unwrap();
    for _ in 0..200 {
        let loaded = client
            .execute(
                "return window.__oldPage === undefined && document.readyState === 'complete';",
                vec![],
            )
            .await;
        if matches!(loaded, Ok(serde_json::Value::Bool(true))) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("clicking {selector} loaded no new page");
}

async fn text(client: &Client, selector: &str) -> String {
    css(client, selector).await.text().await.unwrap()
}

async fn sign_in(browser: &Browser, app: &TestApp, email: &str) {
    let client = &browser.client;
    client.goto(&app.url("/sign-in")).await.unwrap();
    css(client, "#email").await.send_keys(email).await.unwrap();
    css(client, "#password")
        .await
        .send_keys(PASSWORD)
        .await
        .unwrap();
    click_and_load(client, "main form button[type=submit]").await;
    let url = client.current_url().await.unwrap();
    assert_eq!(
        url.path(),
        "/accounts",
        "{}",
        client.source().await.unwrap()
    );
}

/// An owner on Gold Premium with two sub-accounts, made over plain HTTP.
async fn owner_with_sub_accounts(app: &TestApp) -> (String, String) {
    app.owner("owner@example.com", "gold-premium").await;
    for name in ["Shop", "News"] {
        app.submit("/account", "/account/sub-accounts", &[("name", name)])
            .await;
    }
    let id = |name: &str| {
        app.scalar(&format!(
            "SELECT id FROM sub_accounts WHERE name = '{name}'"
        ))
        .to_string()
    };
    (id("Shop"), id("News"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invite_with_javascript_then_accept_as_the_invitee() {
    let app = spawn_app().await;
    let (shop, news) = owner_with_sub_accounts(&app).await;
    let browser = start_browser(true).await;
    let client = &browser.client;
    sign_in(&browser, &app, "owner@example.com").await;

    client.goto(&app.url("/sharing")).await.unwrap();
    assert_accessible(client, "the share page (JavaScript on)").await;
    client.goto(&app.url("/sharing/invite")).await.unwrap();
    assert_accessible(client, "the empty invite form (JavaScript on)").await;

    // Sending an empty form: the errors, on the page again.
    click_and_load(client, ".button-group button[value=send]").await;
    assert_eq!(
        text(client, ".error-summary h2").await,
        "There is a problem"
    );
    assert_accessible(client, "the invite form with errors (JavaScript on)").await;

    css(client, "#email")
        .await
        .send_keys("dana@example.com")
        .await
        .unwrap();
    for account in ["master", shop.as_str(), news.as_str()] {
        css(client, "#add_account")
            .await
            .select_by_value(account)
            .await
            .unwrap();
        click_and_load(client, "button[value=add]").await;
    }
    let titles = client
        .find_all(Locator::Css(".account-row__title"))
        .await
        .unwrap();
    assert_eq!(titles.len(), 3);
    assert_eq!(
        css(client, "#email")
            .await
            .prop("value")
            .await
            .unwrap()
            .as_deref(),
        Some("dana@example.com")
    );

    // Custom on the master account reveals its boxes at once, without a round trip.
    assert!(
        !css(client, "[data-row='0'] .js-custom")
            .await
            .is_displayed()
            .await
            .unwrap()
    );
    css(client, "label[for=role_0_custom]")
        .await
        .click()
        .await
        .unwrap();
    assert!(
        css(client, "[data-row='0'] .js-custom")
            .await
            .is_displayed()
            .await
            .unwrap()
    );
    assert_accessible(client, "the invite form with Custom open (JavaScript on)").await;
    for area in ["contacts", "statistics", "billing"] {
        css(client, &format!("label[for=area_0_{area}]"))
            .await
            .click()
            .await
            .unwrap();
    }
    css(client, ".js-copy-down").await.click().await.unwrap();
    assert_eq!(
        client.current_url().await.unwrap().path(),
        "/sharing/invite",
        "copied in the page"
    );
    for row in [1, 2] {
        assert!(
            css(client, &format!("#role_{row}_custom"))
                .await
                .is_selected()
                .await
                .unwrap()
        );
        assert!(
            css(client, &format!("[data-row='{row}'] .js-custom"))
                .await
                .is_displayed()
                .await
                .unwrap()
        );
        for (area, ticked) in [
            ("contacts", true),
            ("statistics", true),
            ("campaigns", false),
        ] {
            let id = if area == "campaigns" {
                format!("#area_{row}")
            } else {
                format!("#area_{row}_{area}")
            };
            assert_eq!(
                css(client, &id).await.is_selected().await.unwrap(),
                ticked,
                "row {row} {area}"
            );
        }
    }
    assert!(
        text(client, "#form-status")
            .await
            .contains("copied to 2 sub-accounts")
    );

    // Send: the advanced access is summed up first, then the invitation goes.
    click_and_load(client, ".button-group button[value=send]").await;
    assert!(
        text(client, ".notice")
            .await
            .contains("After sending, 1 of your plan's 2 advanced accesses will be left.")
    );
    click_and_load(client, ".button-group button[value=send]").await;
    assert_eq!(client.current_url().await.unwrap().path(), "/sharing");
    let accesses = text(client, "tbody tr:nth-child(2) td").await;
    for line in [
        "Master account: Custom (Contacts, Statistics, Billing)",
        "Shop: Custom (Contacts, Statistics)",
        "News: Custom (Contacts, Statistics)",
    ] {
        assert!(accesses.contains(line), "{line} in {accesses}");
    }
    assert_accessible(
        client,
        "the share page with a Pending person (JavaScript on)",
    )
    .await;

    // The Manage menu by keyboard: Enter opens it, Tab reaches Edit (UX.md rule 10).
    let summary = "document.querySelector('tbody tr:nth-child(2) summary').focus();";
    client.execute(summary, vec![]).await.unwrap();
    client
        .active_element()
        .await
        .unwrap()
        .send_keys("\u{E007}")
        .await
        .unwrap();
    let is_open = "return document.querySelector('tbody tr:nth-child(2) details').open;";
    assert_eq!(
        client.execute(is_open, vec![]).await.unwrap(),
        json!(true),
        "Enter opens Manage"
    );
    client
        .active_element()
        .await
        .unwrap()
        .send_keys("\u{E004}")
        .await
        .unwrap();
    let focused = client.active_element().await.unwrap().text().await.unwrap();
    assert!(
        focused.starts_with("Edit"),
        "Tab reaches Edit, not {focused:?}"
    );

    // The invitee, in a browser of their own, from the link in the mail.
    let link = invitation_link(&app, "dana@example.com", 1).await;
    let invitee = start_browser(true).await;
    let client = &invitee.client;
    client.goto(&link).await.unwrap();
    assert_eq!(
        client.current_url().await.unwrap().path(),
        "/invitations/accept"
    );
    assert!(
        client.current_url().await.unwrap().query().is_none(),
        "the token left the address bar"
    );
    assert_accessible(client, "the accept page (JavaScript on)").await;
    css(client, "#name").await.send_keys("Dana").await.unwrap();
    css(client, "#password")
        .await
        .send_keys(PASSWORD)
        .await
        .unwrap();
    click_and_load(client, "main form button[type=submit]").await;
    assert_eq!(client.current_url().await.unwrap().path(), "/accounts");
    assert!(
        text(client, "main").await.contains("Olive Owner"),
        "the switcher lists the shared account"
    );
    assert_accessible(client, "the account switcher (JavaScript on)").await;
    click_and_load(client, "tbody form button").await;
    assert_accessible(client, "a shared account's home (JavaScript on)").await;
    click_and_load(client, ".area-nav a[href$='/areas/contacts']").await;
    assert_eq!(text(client, "h1").await, "Contacts");
    assert_accessible(client, "an area page (JavaScript on)").await;
    assert_eq!(
        app.scalar("SELECT count(*) FROM members WHERE accepted_at IS NOT NULL"),
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_state_is_accessible_without_javascript() {
    let app = spawn_app().await;
    let (shop, _) = owner_with_sub_accounts(&app).await;
    let browser = start_browser(false).await;
    let auditor = start_browser(true).await;
    let client = &browser.client;
    sign_in(&browser, &app, "owner@example.com").await;

    client.goto(&app.url("/sharing")).await.unwrap();
    assert_accessible_without_javascript(
        client,
        &auditor.client,
        &app,
        "the share page (JavaScript off)",
    )
    .await;
    client.goto(&app.url("/sharing/invite")).await.unwrap();
    assert_accessible_without_javascript(
        client,
        &auditor.client,
        &app,
        "the empty invite form (JavaScript off)",
    )
    .await;

    // Without JavaScript every step is a form post, and the server shows what changed.
    css(client, "#email")
        .await
        .send_keys("eve@example.com")
        .await
        .unwrap();
    css(client, "#add_account")
        .await
        .select_by_value("master")
        .await
        .unwrap();
    click_and_load(client, "button[value=add]").await;
    css(client, "#add_account")
        .await
        .select_by_value(&shop)
        .await
        .unwrap();
    click_and_load(client, "button[value=add]").await;
    css(client, "label[for=role_0_custom]")
        .await
        .click()
        .await
        .unwrap();
    assert!(
        !css(client, "[data-row='0'] .js-custom")
            .await
            .is_displayed()
            .await
            .unwrap(),
        "no script: boxes wait for the server"
    );
    click_and_load(client, ".button-group button[value=send]").await;
    assert!(
        css(client, "[data-row='0'] .js-custom")
            .await
            .is_displayed()
            .await
            .unwrap(),
        "the server shows Custom's boxes"
    );
    assert!(
        text(client, ".error-summary")
            .await
            .contains("Select at least one area for Master account")
    );
    assert_accessible_without_javascript(
        client,
        &auditor.client,
        &app,
        "the invite form with errors and Custom open (JavaScript off)",
    )
    .await;

    css(client, "label[for=area_0_contacts]")
        .await
        .click()
        .await
        .unwrap();
    click_and_load(client, ".js-copy-down").await;
    assert!(
        css(client, "#area_1_contacts")
            .await
            .is_selected()
            .await
            .unwrap(),
        "copied by the server"
    );

    // And the accept page.
    app.submit(
        "/sharing/invite",
        "/sharing/invite",
        &[
            ("email", "fin@example.com"),
            ("account_0", "master"),
            ("role_0", "manager"),
            ("action", "send"),
        ],
    )
    .await;
    let link = invitation_link(&app, "fin@example.com", 1).await;
    let invitee = start_browser(false).await;
    invitee.client.goto(&link).await.unwrap();
    assert_eq!(
        invitee.client.current_url().await.unwrap().path(),
        "/invitations/accept"
    );
    assert_accessible_without_javascript(
        &invitee.client,
        &auditor.client,
        &app,
        "the accept page (JavaScript off)",
    )
    .await;
}
