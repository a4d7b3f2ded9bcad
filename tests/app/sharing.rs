//! Sharing: invite, accept, edit, delete access, re-send (SPEC S6-S9), through real HTTP and
//! real mail.

use reqwest::StatusCode;

use crate::common::{PASSWORD, TestApp, attribute, csrf_token, location, spawn_app, texts};

/// Sends the invite form with these fields (the page's CSRF token added).
pub async fn invite(app: &TestApp, fields: &[(&str, &str)]) -> reqwest::Response {
    app.submit("/sharing/invite", "/sharing/invite", fields)
        .await
}

/// How forms name the master account of the owner signed in to `app`: their own accounts come
/// first in the switcher, which goes straight into the only one.
pub async fn own_master(app: &TestApp) -> String {
    let response = app.get("/accounts").await;
    if response.status() == StatusCode::SEE_OTHER {
        let home = location(&response);
        return home.trim_start_matches("/accounts/").to_owned();
    }
    attribute(
        &response.text().await.unwrap(),
        "input[name=account]",
        "value",
    )
    .expect("the switcher lists the owner's account")
}

/// Invites `email` as Manager of the owner's master account.
pub async fn invite_manager(app: &TestApp, email: &str) -> reqwest::Response {
    let master = own_master(app).await;
    invite(
        app,
        &[
            ("email", email),
            ("account_0", &master),
            ("role_0", "manager"),
            ("action", "send"),
        ],
    )
    .await
}

/// Sends the invite form as an owner does: "Send invitation", then the check step's own Send
/// when one comes. `fields` holds no `action`.
pub async fn invite_and_confirm(app: &TestApp, fields: &[(&str, &str)]) -> reqwest::Response {
    let mut all = fields.to_vec();
    all.push(("action", "send"));
    let response = invite(app, &all).await;
    if response.status() != StatusCode::OK {
        return response;
    }
    let confirmed = confirmation(&response.text().await.unwrap());
    all.pop();
    all.push(("action", &confirmed));
    invite(app, &all).await
}

/// The fingerprint the check step's Send button carries: what pressing it confirms.
pub fn confirmation(html: &str) -> String {
    attribute(html, "#check button[value^=confirm]", "value").expect("a check step with its Send")
}

/// The accept link of the newest invitation mail to `email`.
pub async fn invitation_link(app: &TestApp, email: &str, nth: usize) -> String {
    for _ in 0..200 {
        let invitations: Vec<_> = app
            .smtp
            .received()
            .into_iter()
            .filter(|mail| mail.envelope_to.iter().any(|to| to == email))
            // Whatever the language: an invitation is the mail with an accept link.
            .filter_map(|mail| {
                mail.link_starting(&format!("{}/invitations/accept?token=", app.base_url))
            })
            .collect();
        if let Some(link) = invitations.get(nth - 1) {
            return link.clone();
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("no invitation number {nth} to {email}");
}

/// Opens the link in this visitor's browser: a redirect to the clean URL, then the page.
pub async fn open_link(visitor: &TestApp, link: &str) -> (StatusCode, String) {
    let response = visitor.client.get(link).send().await.unwrap();
    if response.status() != StatusCode::SEE_OTHER {
        return (response.status(), response.text().await.unwrap());
    }
    assert_eq!(location(&response), "/invitations/accept");
    visitor.get_html("/invitations/accept").await
}

fn member_status(app: &TestApp, email: &str) -> String {
    match app.scalar(&format!("SELECT coalesce((SELECT CASE WHEN accepted_at IS NULL THEN 1 ELSE 2 END FROM members WHERE email = '{email}'), 0)")) {
        0 => "none".into(),
        1 => "pending".into(),
        _ => "active".into(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invite_without_sub_accounts_and_accept_with_a_new_login() {
    let app = spawn_app().await;
    app.owner("olive@example.com", "crystal-premium").await;
    let (_, form) = app.get_html("/sharing/invite").await;
    assert_eq!(texts(&form, "h1"), ["Invite user"]);
    assert!(
        texts(&form, "#add_account").is_empty(),
        "no account list without sub-accounts"
    );
    assert_eq!(
        attribute(&form, "input[name=account_0]", "value"),
        Some(app.master_of("olive@example.com"))
    );
    assert_eq!(
        texts(&form, "select#role_0 option"),
        [
            "Choose a role",
            "Manager",
            "Accountant",
            "Developer (advanced access)",
            "Marketer (advanced access)",
            "Designer (advanced access)",
            "Custom (advanced access)"
        ],
        "the role of each account is a drop-down"
    );

    let response = invite_manager(&app, " Ann@Example.com ").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/sharing");
    let (_, page) = app.get_html("/sharing").await;
    assert_eq!(
        texts(&page, ".banner__body"),
        ["Invitation sent to ann@example.com."]
    );
    let rows = texts(&page, "tbody tr th");
    assert_eq!(rows[0], "olive@example.com Olive Owner");
    assert_eq!(rows[1], "ann@example.com");
    assert_eq!(
        texts(&page, "tbody tr:nth-child(2) td")[0],
        "Manager on the master account"
    );
    assert_eq!(texts(&page, "tbody tr:nth-child(2) .tag"), ["Pending"]);
    assert!(texts(&page, ".quota li")[0].contains("1 of 5"));

    let link = invitation_link(&app, "ann@example.com", 1).await;
    let mail = app.mails_to("ann@example.com", 1).await.remove(0);
    assert_eq!(
        mail.subject(),
        "Olive Owner invited you to their email account"
    );
    assert!(
        mail.text().contains("- Manager on the master account"),
        "{}",
        mail.text()
    );
    assert!(
        !app.database_contains(link.split_once("token=").unwrap().1),
        "only the token's hash is stored"
    );

    let invitee = app.another_visitor();
    let (status, html) = open_link(&invitee, &link).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        texts(&html, "h1"),
        ["Olive Owner invited you to their email account"]
    );
    assert_eq!(
        texts(&html, ".offered li"),
        ["Manager on the master account"]
    );
    assert_eq!(
        texts(&html, "main form button"),
        ["Create login and accept"]
    );
    assert!(
        !texts(&html, "header a").contains(&"Create an account".to_owned()),
        "an invitee is not sent to the owners' sign-up"
    );

    // Refusals keep what was typed.
    let response = invitee
        .submit(
            "/invitations/accept",
            "/invitations/accept/new-login",
            &[("name", "Ann"), ("password", "short")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert_eq!(
        texts(&html, ".error-summary a"),
        ["Password must be 8 characters or more"]
    );
    assert_eq!(
        attribute(&html, "input#name", "value").as_deref(),
        Some("Ann")
    );
    assert_eq!(member_status(&app, "ann@example.com"), "pending");

    let response = invitee
        .submit(
            "/invitations/accept",
            "/invitations/accept/new-login",
            &[("name", "Ann Smith"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/accounts");
    // One account to work in: straight into it, with the news.
    let response = invitee.get("/accounts").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let home = location(&response);
    let (_, html) = invitee.get_html(&home).await;
    assert_eq!(
        texts(&html, ".banner__body"),
        ["You have accepted the invitation."]
    );
    let (_, html) = invitee.get_html("/account").await;
    assert!(html.contains("Your login has no account of its own"));
    assert_eq!(texts(&html, "main h3"), ["Olive Owner olive@example.com"]);
    assert_eq!(member_status(&app, "ann@example.com"), "active");
    assert_eq!(app.scalar("SELECT count(*) FROM people WHERE email = 'ann@example.com' AND email_verified_at IS NOT NULL"), 1);
    assert_eq!(app.scalar("SELECT count(*) FROM accounts a JOIN people p ON p.id = a.owner_id WHERE p.email = 'ann@example.com'"), 0);

    let (_, page) = app.get_html("/sharing").await;
    assert_eq!(texts(&page, "tbody tr:nth-child(2) .tag"), ["Active"]);
    assert_eq!(
        texts(&page, "tbody tr:nth-child(2) th"),
        ["ann@example.com Ann Smith"]
    );
    assert_ne!(
        texts(&page, "tbody tr:nth-child(2) td")[2],
        "Never",
        "accepting with a new login is a sign-in"
    );
    // The link is used up.
    let (status, _) = open_link(&app.another_visitor(), &link).await;
    assert_eq!(status, StatusCode::GONE);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_sub_accounts_pick_accounts_copy_to_all_below_and_confirm_the_advanced_access() {
    let app = spawn_app().await;
    app.owner("gus@example.com", "gold-premium").await;
    for name in ["Shop", "News"] {
        app.submit("/account", "/account/sub-accounts", &[("name", name)])
            .await;
    }
    let master = app.master_of("gus@example.com");
    let shop = app.sub_account_value("Shop");
    let news = app.sub_account_value("News");
    let (_, form) = app.get_html("/sharing/invite").await;
    assert!(
        texts(&form, ".access-row").is_empty(),
        "the owner picks accounts first"
    );
    assert_eq!(
        texts(&form, "#add_account option"),
        [
            "Choose an account",
            "All sub-accounts (2)",
            "Master account",
            "News",
            "Shop"
        ]
    );

    // Add the master account, then a sub-account, then every one left, one press at a time.
    let fields: Vec<(&str, &str)> = vec![
        ("email", "dana@example.com"),
        ("add_account", &master),
        ("action", "add"),
    ];
    let html = invite(&app, &fields).await.text().await.unwrap();
    assert_eq!(texts(&html, ".access-row__account"), ["Master account"]);
    assert_eq!(
        texts(&html, "#changed"),
        ["Master account added: choose a role for it."]
    );
    let fields = vec![
        ("email", "dana@example.com"),
        ("account_0", master.as_str()),
        ("add_account", &shop),
        ("action", "add"),
    ];
    let html = invite(&app, &fields).await.text().await.unwrap();
    assert_eq!(
        texts(&html, ".access-row__account"),
        ["Master account", "Shop"]
    );
    assert_eq!(
        texts(&html, "#add_account option"),
        ["Choose an account", "News"],
        "the picker offers only accounts not yet added"
    );
    let fields = vec![
        ("email", "dana@example.com"),
        ("account_0", master.as_str()),
        ("account_1", &shop),
        ("role_1", "manager"),
        ("add_account", "all"),
        ("action", "add"),
    ];
    let html = invite(&app, &fields).await.text().await.unwrap();
    assert_eq!(
        texts(&html, ".access-row__account"),
        ["Master account", "Shop", "News"]
    );
    assert_eq!(
        attribute(&html, "input#email", "value").as_deref(),
        Some("dana@example.com"),
        "input kept"
    );
    assert_eq!(
        attribute(&html, "#role_1 option[selected]", "value").as_deref(),
        Some("manager"),
        "roles kept"
    );
    assert_eq!(
        texts(&html, "#role_2 option"),
        [
            "Choose a role",
            "Manager",
            "Developer (advanced access)",
            "Marketer (advanced access)",
            "Designer (advanced access)",
            "Custom (advanced access)"
        ],
        "Accountant opens Billing, which sub-accounts do not have"
    );

    // Without JavaScript, a role changed to Custom shows its boxes after "Update roles", as typed.
    let fields = [
        ("email", "dana@example.com"),
        ("account_0", master.as_str()),
        ("role_0", "custom"),
        ("area_0_contacts", "on"),
        ("account_1", shop.as_str()),
        ("account_2", news.as_str()),
        ("action", "update"),
    ];
    let response = invite(&app, &fields).await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.unwrap();
    assert_eq!(
        texts(&html, "#changed"),
        ["Roles updated. Tick the areas of each account set to Custom."]
    );
    assert_eq!(
        texts(&html, "[data-row='0'] .js-area + label").len(),
        7,
        "the master account's seven areas"
    );
    assert!(attribute(&html, "#area_0_contacts", "checked").is_some());
    assert!(texts(&html, "[data-row='1'] .js-area").is_empty());

    // Custom on the master account with boxes ticked and "Copy to all below": without
    // JavaScript, "Update roles" shows the sub-accounts following.
    let copy = [
        ("email", "dana@example.com"),
        ("account_0", master.as_str()),
        ("role_0", "custom"),
        ("area_0_contacts", "on"),
        ("area_0_billing", "on"),
        ("area_0_statistics", "on"),
        ("restriction_0_no_labels", "on"),
        ("copy_to_all_below", "on"),
        ("account_1", shop.as_str()),
        ("account_2", news.as_str()),
        ("role_2", "manager"),
    ];
    let mut fields = copy.to_vec();
    fields.push(("action", "update"));
    let html = invite(&app, &fields).await.text().await.unwrap();
    assert!(attribute(&html, "#copy_to_all_below", "checked").is_some());
    for row in ["1", "2"] {
        assert_eq!(
            attribute(&html, &format!("#role_{row} option[selected]"), "value").as_deref(),
            Some("custom")
        );
        assert!(
            attribute(&html, &format!("#role_{row}"), "disabled").is_some(),
            "a row following the master account is not set on its own"
        );
        assert!(
            attribute(
                &html,
                &format!("input[type=hidden][name=area_{row}_contacts]"),
                "value"
            )
            .is_some(),
            "what the row follows travels with the form"
        );
        assert!(
            attribute(&html, &format!("input[name=area_{row}_billing]"), "name").is_none(),
            "sub-accounts have no Billing"
        );
        assert!(
            attribute(
                &html,
                &format!("input[type=hidden][name=restriction_{row}_no_labels]"),
                "value"
            )
            .is_some()
        );
    }
    assert_eq!(
        texts(&html, ".following-note"),
        [
            "Follows the Master account (Copy to all below): Contacts, Statistics.",
            "Follows the Master account (Copy to all below): Contacts, Statistics."
        ]
    );

    // Sending: the check step says what was copied and what remains, and stores nothing.
    let mut fields = copy.to_vec();
    fields.push(("action", "send"));
    let response = invite(&app, &fields).await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.unwrap();
    assert_eq!(texts(&html, "#check h2"), ["Check before sending"]);
    assert_eq!(
        texts(&html, "#check li"),
        [
            "Custom (Contacts, Statistics, Billing) on the master account Restricted: no labels",
            "Custom (Contacts, Statistics) on Shop and News Restricted: no labels"
        ]
    );
    assert_eq!(
        texts(&html, "#check p"),
        [
            "For dana@example.com:",
            "Copied from the Master account to the 2 sub-accounts below: Contacts, Statistics. Billing is not copied: sub-accounts do not have it. Restrictions copied too: no labels.",
            "This uses 1 advanced access. Afterwards, 1 of your plan's 2 advanced accesses will be left."
        ]
    );
    assert_eq!(
        texts(&html, "#check .button-group > *"),
        ["Send invitation", "Back to the form"]
    );
    assert_eq!(
        app.scalar("SELECT count(*) FROM members"),
        0,
        "nothing stored before confirmation"
    );
    // The check confirms what it showed: changed since, it is shown again.
    let confirmed = confirmation(&html);
    let mut changed = copy.to_vec();
    changed.retain(|(key, _)| *key != "area_0_statistics");
    changed.push(("action", confirmed.as_str()));
    let html = invite(&app, &changed).await.text().await.unwrap();
    assert_eq!(texts(&html, "#check h2"), ["Check before sending"]);
    assert_eq!(app.scalar("SELECT count(*) FROM members"), 0);
    fields.pop();
    fields.push(("action", confirmed.as_str()));
    assert_eq!(invite(&app, &fields).await.status(), StatusCode::SEE_OTHER);

    assert_eq!(
        app.scalar("SELECT count(*) FROM grants WHERE role = 'custom'"),
        3
    );
    assert_eq!(
        app.scalar("SELECT areas FROM grants WHERE sub_account_id IS NULL"),
        (1 << 3) | (1 << 4) | (1 << 5)
    );
    assert_eq!(
        app.scalar("SELECT count(*) FROM grants WHERE sub_account_id IS NOT NULL AND areas = 24 AND restrictions = 2"),
        2
    );
    let (_, page) = app.get_html("/sharing").await;
    assert!(texts(&page, ".quota li")[1].contains("1 of 2"));
    let mail = app.mails_to("dana@example.com", 1).await.remove(0);
    for line in [
        "- Custom (Contacts, Statistics, Billing) on the master account",
        "- Custom (Contacts, Statistics) on Shop and News",
        "Restricted: no labels",
    ] {
        assert!(mail.text().contains(line), "{line} in {}", mail.text());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn someone_with_a_login_signs_in_and_comes_back_to_accept() {
    let app = spawn_app().await;
    app.owner("hana@example.com", "essential").await;
    let bob = app.another_visitor();
    bob.sign_up("bob@example.com", "Bob", PASSWORD, "free")
        .await;
    invite_manager(&app, "bob@example.com").await;
    let link = invitation_link(&app, "bob@example.com", 1).await;

    let (_, html) = open_link(&bob, &link).await;
    assert_eq!(
        attribute(&html, "main a.button", "href").as_deref(),
        Some("/sign-in?next=%2Finvitations%2Faccept&email=bob%40example.com"),
        "the invited address comes along, to be filled in"
    );
    let response = bob
        .submit(
            "/sign-in?next=%2Finvitations%2Faccept",
            "/sign-in",
            &[
                ("email", "bob@example.com"),
                ("password", PASSWORD),
                ("next", "/invitations/accept"),
            ],
        )
        .await;
    assert_eq!(location(&response), "/invitations/accept");
    let (_, html) = bob.get_html("/invitations/accept").await;
    assert_eq!(texts(&html, "main form button"), ["Accept invitation"]);
    // Opening the page changes nothing: only the button does.
    assert_eq!(member_status(&app, "bob@example.com"), "pending");
    let response = bob
        .post_raw("/invitations/accept", &[("csrf_token", &csrf_token(&html))])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(member_status(&app, "bob@example.com"), "active");
    // Bob's own account is untouched; the shared one is listed beside it.
    let (_, html) = bob.get_html("/account").await;
    assert!(texts(&html, "dd").iter().any(|t| t == "Free"));
    assert_eq!(texts(&html, "main h3"), ["Olive Owner hana@example.com"]);
    // Two accounts now: the switcher stays.
    let (status, html) = bob.get_html("/accounts").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(texts(&html, "tbody tr").len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_invited_address_can_accept() {
    let app = spawn_app().await;
    app.owner("ivan@example.com", "essential").await;
    let carl = app.another_visitor();
    carl.sign_up("carl@example.com", "Carl", PASSWORD, "free")
        .await;
    carl.sign_in("carl@example.com", PASSWORD).await;
    invite_manager(&app, "dina@example.com").await;
    let link = invitation_link(&app, "dina@example.com", 1).await;

    let (_, html) = open_link(&carl, &link).await;
    assert_eq!(
        texts(&html, ".notice h2"),
        ["This invitation is for another address"]
    );
    assert!(
        texts(&html, ".notice p")[0]
            .contains("sent to dina@example.com, but you are signed in as carl@example.com")
    );
    let response = carl
        .post_raw("/invitations/accept", &[("csrf_token", &csrf_token(&html))])
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(member_status(&app, "dina@example.com"), "pending");
    assert_eq!(
        app.scalar("SELECT count(*) FROM members WHERE person_id IS NOT NULL"),
        0
    );

    // "Sign out and continue" keeps the invitation on screen for the right person.
    let response = carl
        .post_raw(
            "/invitations/accept/switch",
            &[("csrf_token", &csrf_token(&html))],
        )
        .await;
    assert_eq!(location(&response), "/invitations/accept");
    let (_, html) = carl.get_html("/invitations/accept").await;
    assert_eq!(
        texts(&html, "main form button"),
        ["Create login and accept"]
    );
    assert_eq!(
        carl.get("/account").await.status(),
        StatusCode::SEE_OTHER,
        "Carl is signed out"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dead_links_show_a_clear_page_and_change_nothing() {
    let app = spawn_app().await;
    app.owner("jade@example.com", "essential").await;
    invite_manager(&app, "eli@example.com").await;
    let link = invitation_link(&app, "eli@example.com", 1).await;
    let visitor = app.another_visitor();

    // Scanners opening the link (GET, HEAD) use nothing up (R7).
    for _ in 0..3 {
        assert_eq!(
            visitor.client.get(&link).send().await.unwrap().status(),
            StatusCode::SEE_OTHER
        );
        assert_eq!(
            visitor.client.head(&link).send().await.unwrap().status(),
            StatusCode::SEE_OTHER
        );
    }
    assert_eq!(member_status(&app, "eli@example.com"), "pending");

    let forged = format!(
        "{}/invitations/accept?token={}",
        app.base_url,
        account_sharing::secrets::random_token()
    );
    let long = format!(
        "{}/invitations/accept?token={}",
        app.base_url,
        "x".repeat(10_000)
    );
    for dead in [
        forged,
        long,
        format!("{link}%00"),
        format!("{}/invitations/accept?token=", app.base_url),
    ] {
        let (status, html) = open_link(&app.another_visitor(), &dead).await;
        assert_eq!(status, StatusCode::GONE, "{}", &dead[..dead.len().min(80)]);
        assert_eq!(texts(&html, "h1"), ["This invitation link does not work"]);
    }
    // Expired (R3).
    app.execute("UPDATE members SET invitation_expires_at = now() - interval '1 second'");
    let (status, _) = open_link(&visitor, &link).await;
    assert_eq!(status, StatusCode::GONE);
    let (_, page) = app.get_html("/sharing").await;
    assert_eq!(texts(&page, "tbody tr:nth-child(2) .tag"), ["Expired"]);
    assert!(
        texts(&page, "tbody tr:nth-child(2) .manage button")[0].starts_with("Re-send invitation")
    );
    assert_eq!(member_status(&app, "eli@example.com"), "pending");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resend_kills_the_old_link_and_resets_the_expiry() {
    let app = spawn_app().await;
    app.owner("kai@example.com", "essential").await;
    invite_manager(&app, "fay@example.com").await;
    let first = invitation_link(&app, "fay@example.com", 1).await;
    app.execute("UPDATE members SET invitation_expires_at = now() + interval '1 hour'");
    let id = app.scalar("SELECT id FROM members");

    let response = app
        .submit("/sharing", &format!("/sharing/people/{id}/resend"), &[])
        .await;
    assert_eq!(location(&response), "/sharing");
    let second = invitation_link(&app, "fay@example.com", 2).await;
    assert_ne!(first, second);
    assert!(
        app.scalar(
            "SELECT count(*) FROM members WHERE invitation_expires_at > now() + interval '6 days'"
        ) == 1,
        "expiry starts again"
    );
    let (status, _) = open_link(&app.another_visitor(), &first).await;
    assert_eq!(status, StatusCode::GONE);
    let (status, _) = open_link(&app.another_visitor(), &second).await;
    assert_eq!(status, StatusCode::OK);
    let (_, page) = app.get_html("/sharing").await;
    assert_eq!(
        texts(&page, ".banner__body"),
        ["Invitation re-sent to fay@example.com. Only the link in the new email works."]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edit_access_pending_or_active() {
    let app = spawn_app().await;
    app.owner("lea@example.com", "crystal-premium").await;
    invite_manager(&app, "gil@example.com").await;
    let id = app.scalar("SELECT id FROM members");
    let path = format!("/sharing/people/{id}/edit");
    let (status, html) = app.get_html(&path).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(texts(&html, "h1"), ["Edit access for gil@example.com"]);
    assert_eq!(
        attribute(&html, "#role_0 option[selected]", "value").as_deref(),
        Some("manager")
    );
    assert!(
        attribute(&html, "input#email", "name").is_none(),
        "the address cannot be changed"
    );

    // Same checks as inviting: Custom needs boxes.
    let master = app.master_of("lea@example.com");
    let response = app
        .submit(
            &path,
            &path,
            &[
                ("account_0", &master),
                ("role_0", "custom"),
                ("action", "send"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert_eq!(
        texts(&html, ".error-summary a"),
        ["Select at least one area for Master account"]
    );
    assert_eq!(
        attribute(&html, ".error-summary a", "href").as_deref(),
        Some("#area_0")
    );

    // A new advanced access is checked first, as when inviting.
    let designer = [
        ("account_0", master.as_str()),
        ("role_0", "designer"),
        ("restriction_0_drafts_only", "on"),
    ];
    let mut fields = designer.to_vec();
    fields.push(("action", "send"));
    let response = app.submit(&path, &path, &fields).await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.unwrap();
    assert_eq!(texts(&html, "#check h2"), ["Check before updating"]);
    let confirmed = confirmation(&html);
    let mut fields = designer.to_vec();
    fields.push(("action", &confirmed));
    let response = app.submit(&path, &path, &fields).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.scalar("SELECT count(*) FROM grants WHERE role = 'designer' AND restrictions = 1"),
        1
    );
    let (_, page) = app.get_html("/sharing").await;
    assert_eq!(
        texts(&page, ".banner__body"),
        ["Access updated for gil@example.com."]
    );
    assert_eq!(
        texts(&page, "tbody tr:nth-child(2) td")[0],
        "Designer on the master account Restricted: drafts only, no publishing"
    );
    assert!(texts(&page, ".quota li")[1].contains("1 of 2"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delete_access_asks_first_then_kills_the_link_and_the_access() {
    let app = spawn_app().await;
    app.owner("max@example.com", "essential").await;
    invite_manager(&app, "hal@example.com").await;
    invite_manager(&app, "ida@example.com").await;
    let hal_link = invitation_link(&app, "hal@example.com", 1).await;
    let ida_link = invitation_link(&app, "ida@example.com", 1).await;
    let ida = app.another_visitor();
    open_link(&ida, &ida_link).await;
    ida.submit(
        "/invitations/accept",
        "/invitations/accept/new-login",
        &[("name", "Ida"), ("password", PASSWORD)],
    )
    .await;
    assert_eq!(member_status(&app, "ida@example.com"), "active");

    let hal_id = app.scalar("SELECT id FROM members WHERE email = 'hal@example.com'");
    let (status, html) = app
        .get_html(&format!("/sharing/people/{hal_id}/delete"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        texts(&html, "h1"),
        ["Are you sure you want to delete access for hal@example.com?"]
    );
    assert_eq!(texts(&html, "main form button"), ["Delete access"]);
    assert_eq!(
        member_status(&app, "hal@example.com"),
        "pending",
        "the page itself deletes nothing"
    );
    let response = app
        .post_raw(
            &format!("/sharing/people/{hal_id}/delete"),
            &[("csrf_token", &csrf_token(&html))],
        )
        .await;
    assert_eq!(location(&response), "/sharing");
    assert_eq!(member_status(&app, "hal@example.com"), "none");
    let (status, _) = open_link(&app.another_visitor(), &hal_link).await;
    assert_eq!(
        status,
        StatusCode::GONE,
        "a deleted invitation's link dies (R9)"
    );

    let ida_id = app.scalar("SELECT id FROM members WHERE email = 'ida@example.com'");
    app.submit(
        &format!("/sharing/people/{ida_id}/delete"),
        &format!("/sharing/people/{ida_id}/delete"),
        &[],
    )
    .await;
    // Ida's very next request no longer shows the account.
    let (_, html) = ida.get_html("/account").await;
    assert!(texts(&html, "main h3").is_empty());
    let (_, page) = app.get_html("/sharing").await;
    assert_eq!(
        texts(&page, ".banner__body"),
        ["Access deleted for ida@example.com."]
    );
    assert_eq!(texts(&page, "tbody tr").len(), 1, "only the owner is left");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_double_clicked_resend_sends_one_mail() {
    // The relay is down, so the re-sent mail is still waiting when the second click comes.
    let (app, _) = crate::common::spawn_app_with_relay_down().await;
    app.sign_up("ned@example.com", "Ned", PASSWORD, "essential")
        .await;
    // The verification mail waits behind the relay too: the address counts as proven here.
    app.execute("UPDATE people SET email_verified_at = now()");
    app.sign_in("ned@example.com", PASSWORD).await;
    invite_manager(&app, "ola@example.com").await;
    let id = app.scalar("SELECT id FROM members");
    // An hour later the owner re-sends, and the click arrives twice.
    app.execute("UPDATE outbox SET created_at = now() - interval '1 hour'");
    let (_, html) = app.get_html("/sharing").await;
    let token = csrf_token(&html);
    for _ in 0..2 {
        let response = app
            .post_raw(
                &format!("/sharing/people/{id}/resend"),
                &[("csrf_token", &token)],
            )
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
    }
    assert_eq!(app.scalar("SELECT count(*) FROM outbox WHERE member_id IS NOT NULL AND created_at > now() - interval '1 minute'"), 1);
    assert_eq!(app.scalar("SELECT token_version FROM members"), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invitation_links_ignore_the_host_header() {
    let app = spawn_app().await;
    app.owner("pam@example.com", "essential").await;
    let (_, html) = app.get_html("/sharing/invite").await;
    let fields = [
        ("csrf_token", csrf_token(&html)),
        ("email", "quentin@example.com".into()),
        ("account_0", app.master_of("pam@example.com")),
        ("role_0", "manager".into()),
        ("action", "send".into()),
    ];
    let response = app
        .client
        .post(app.url("/sharing/invite"))
        .header("host", "evil.test")
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let mail = app.mails_to("quentin@example.com", 1).await.remove(0);
    assert!(
        mail.text()
            .contains(&format!("{}/invitations/accept?token=", app.base_url))
    );
    assert!(!mail.text().contains("evil.test") && !mail.body("text/html").contains("evil.test"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invitee_can_decline_which_frees_the_seat_and_tells_the_owner() {
    let app = spawn_app().await;
    app.owner("rita@example.com", "essential").await;
    for i in 0..5 {
        invite_manager(&app, &format!("p{i}@example.com")).await;
    }
    let (_, page) = app.get_html("/sharing").await;
    assert!(
        !texts(&page, "#plan-full").is_empty(),
        "5 of 5: the plan is full"
    );
    let link = invitation_link(&app, "p0@example.com", 1).await;
    let invitee = app.another_visitor();
    let (_, html) = open_link(&invitee, &link).await;
    assert_eq!(
        attribute(&html, ".decline-link a", "href").as_deref(),
        Some("/invitations/decline")
    );

    // Declining asks first; the question changes nothing.
    let (status, html) = invitee.get_html("/invitations/decline").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        texts(&html, "h1"),
        ["Are you sure you want to decline the invitation from Olive Owner?"]
    );
    assert_eq!(member_status(&app, "p0@example.com"), "pending");
    let token = csrf_token(&html);
    let response = invitee
        .post_raw("/invitations/decline", &[("csrf_token", &token)])
        .await;
    assert_eq!(location(&response), "/invitations/declined");
    let (_, html) = invitee.get_html("/invitations/declined").await;
    assert_eq!(
        texts(&html, ".banner__body"),
        [
            "You have declined the invitation. Its owner has been told, and the link no longer works."
        ]
    );
    assert_eq!(member_status(&app, "p0@example.com"), "none");
    let mail = app.mails_to("rita@example.com", 2).await.pop().unwrap();
    assert_eq!(mail.subject(), "p0@example.com declined your invitation");
    assert!(
        mail.text()
            .contains("the place it took in your plan is free again")
    );

    // The seat is free again, and the link is dead.
    let (_, page) = app.get_html("/sharing").await;
    assert!(texts(&page, "#plan-full").is_empty());
    assert!(texts(&page, ".quota li")[0].contains("4 of 5"));
    let (status, _) = open_link(&app.another_visitor(), &link).await;
    assert_eq!(status, StatusCode::GONE);
    let response = invitee
        .post_raw("/invitations/decline", &[("csrf_token", &token)])
        .await;
    assert_eq!(response.status(), StatusCode::GONE, "declined once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn error_pages_keep_the_signed_in_frame_and_lead_back_to_the_accounts() {
    let app = spawn_app().await;
    app.owner("sam@example.com", "essential").await;
    invite_manager(&app, "ted@example.com").await;
    let link = invitation_link(&app, "ted@example.com", 1).await;
    let ted = app.another_visitor();
    open_link(&ted, &link).await;
    ted.submit(
        "/invitations/accept",
        "/invitations/accept/new-login",
        &[("name", "Ted"), ("password", PASSWORD)],
    )
    .await;

    // 403: an access-only login on the sharing page.
    let (status, html) = ted.get_html("/sharing").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        texts(&html, "header nav a"),
        ["Accounts", "My account"],
        "the signed-in header, without the owners' Share your account"
    );
    assert_eq!(texts(&html, "header nav button"), ["Sign out"]);
    assert_eq!(
        attribute(&html, "main a", "href").as_deref(),
        Some("/accounts")
    );
    // 404, and the 410 of a used link, the same way.
    let (status, html) = ted.get_html("/sharing/nowhere").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(texts(&html, "main a"), ["Go to your accounts"]);
    let (status, html) = open_link(&ted, &link).await;
    assert_eq!(status, StatusCode::GONE);
    assert!(texts(&html, "header nav a").contains(&"My account".to_owned()));
    assert_eq!(
        attribute(&html, "main a", "href").as_deref(),
        Some("/accounts")
    );
    // Signed out, the start page and sign-in are where to go.
    let (status, html) = app.another_visitor().get_html("/nowhere").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(texts(&html, "main a"), ["Go to the start page"]);
}

/// R3: the link is checked when the form is sent, not only when it is opened. Both people
/// opened the page while the link worked; it ran out before they pressed the button.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_link_that_runs_out_while_its_page_is_open_accepts_nothing() {
    let app = spawn_app().await;
    app.owner("rex@example.com", "essential").await;
    invite_manager(&app, "sam@example.com").await;
    invite_manager(&app, "tia@example.com").await;
    let link = invitation_link(&app, "sam@example.com", 1).await;

    // Tia has no login yet: her page offers to make one.
    let new_login = app.another_visitor();
    let (status, page) = open_link(
        &new_login,
        &invitation_link(&app, "tia@example.com", 1).await,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let new_login_token = csrf_token(&page);
    // Sam signs up, then opens his link signed in.
    let signed_in = app.another_visitor();
    signed_in
        .sign_up("sam@example.com", "Sam", PASSWORD, "free")
        .await;
    let verification = app.mails_to("sam@example.com", 2).await.pop().unwrap();
    signed_in
        .verify_with_link(&verification.link_starting(&app.base_url).unwrap())
        .await;
    let (status, page) = open_link(&signed_in, &link).await;
    assert_eq!(status, StatusCode::OK);
    let token = csrf_token(&page);

    app.execute("UPDATE members SET invitation_expires_at = now() - interval '1 second'");
    let answers = [
        signed_in
            .post_raw("/invitations/accept", &[("csrf_token", &token)])
            .await,
        new_login
            .post_raw(
                "/invitations/accept/new-login",
                &[
                    ("csrf_token", &new_login_token),
                    ("name", "Tia"),
                    ("password", PASSWORD),
                ],
            )
            .await,
    ];
    for response in answers {
        assert_eq!(response.status(), StatusCode::GONE);
        let html = response.text().await.unwrap();
        assert_eq!(texts(&html, "h1"), ["This invitation link does not work"]);
        assert!(
            texts(&html, "p")
                .iter()
                .any(|p| p
                    .starts_with("Ask the person who invited you to send the invitation again"))
        );
    }
    assert_eq!(member_status(&app, "sam@example.com"), "pending");
    assert_eq!(member_status(&app, "tia@example.com"), "pending");
    assert_eq!(
        app.scalar("SELECT count(*) FROM people WHERE email = 'tia@example.com'"),
        0,
        "no login was made"
    );
}
