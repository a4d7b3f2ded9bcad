//! Working inside shared accounts (SPEC S10) and changing plan (S11), through real HTTP.

use reqwest::StatusCode;

use crate::{
    common::{PASSWORD, Request, TestApp, at_once, csrf_token, location, spawn_app, texts},
    sharing::{invitation_link, invite, invite_and_confirm, open_link},
};

/// A person in the matrix: their address, the role fields of their invitation, the areas that
/// role must open.
type Case = (
    &'static str,
    Vec<(&'static str, &'static str)>,
    Vec<&'static str>,
);

const AREAS: [&str; 7] = [
    "campaigns",
    "transactional",
    "email_automation",
    "contacts",
    "statistics",
    "billing",
    "account_management",
];

/// Invites `email` with these fields and accepts with a new login; returns their browser.
pub async fn member(app: &TestApp, email: &str, fields: &[(&str, &str)]) -> TestApp {
    let mut all = vec![("email", email)];
    all.extend_from_slice(fields);
    let response = invite_and_confirm(app, &all).await;
    assert_eq!(
        response.status(),
        StatusCode::SEE_OTHER,
        "{email}: {}",
        response.text().await.unwrap()
    );
    let link = invitation_link(app, email, 1).await;
    let person = app.another_visitor();
    open_link(&person, &link).await;
    let response = person
        .submit(
            "/invitations/accept",
            "/invitations/accept/new-login",
            &[("name", email), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    person
}

struct Accounts {
    master: String,
    shop: String,
    news: String,
    /// How forms name the master account and Shop.
    master_value: String,
    shop_value: String,
}

async fn owner_with_two_sub_accounts(app: &TestApp, plan: &str) -> Accounts {
    app.owner("owner@example.com", plan).await;
    for name in ["Shop", "News"] {
        app.submit("/account", "/account/sub-accounts", &[("name", name)])
            .await;
    }
    let master = app.scalar("SELECT id FROM accounts").to_string();
    let id = |name: &str| {
        app.scalar(&format!(
            "SELECT id FROM sub_accounts WHERE name = '{name}'"
        ))
        .to_string()
    };
    Accounts {
        shop: format!("/accounts/{master}/sub-accounts/{}", id("Shop")),
        news: format!("/accounts/{master}/sub-accounts/{}", id("News")),
        shop_value: format!("{master}:{}", id("Shop")),
        master: format!("/accounts/{master}"),
        master_value: master,
    }
}

/// Every area of every account, asked over HTTP: 200, 403 or 404 each.
async fn answers(person: &TestApp, accounts: &Accounts) -> Vec<(String, StatusCode)> {
    let mut seen = Vec::new();
    for base in [&accounts.master, &accounts.shop, &accounts.news] {
        seen.push((base.clone(), person.get(base).await.status()));
        for area in AREAS {
            let path = format!("{base}/areas/{area}");
            seen.push((path.clone(), person.get(&path).await.status()));
        }
    }
    seen
}

/// What `answers` must say: `allowed` areas of `reached` answer 200, its other areas 403 (Billing
/// 404 on a sub-account, which has none), and every other account 404.
fn expected(
    accounts: &Accounts,
    reached: &[&String],
    allowed: &[&str],
) -> Vec<(String, StatusCode)> {
    let mut expected = Vec::new();
    for base in [&accounts.master, &accounts.shop, &accounts.news] {
        let reachable = reached.contains(&base);
        expected.push((
            base.clone(),
            if reachable {
                StatusCode::OK
            } else {
                StatusCode::NOT_FOUND
            },
        ));
        for area in AREAS {
            let status = match (reachable, allowed.contains(&area)) {
                (false, _) => StatusCode::NOT_FOUND,
                (true, _) if area == "billing" && base != &accounts.master => StatusCode::NOT_FOUND,
                (true, true) => StatusCode::OK,
                (true, false) => StatusCode::FORBIDDEN,
            };
            expected.push((format!("{base}/areas/{area}"), status));
        }
    }
    expected
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn authorization_matrix_by_role_area_and_account() {
    let app = spawn_app().await;
    let accounts = owner_with_two_sub_accounts(&app, "platinum-premium").await;
    // Enough room for every role at once: Enterprise limits, set per account by the operator.
    app.execute(
        "UPDATE accounts SET plan = 'enterprise', enterprise_seats = 50, enterprise_advanced = 50",
    );
    let mut requests = 0;

    // The owner reaches every area of every account.
    let all_areas = AREAS.to_vec();
    let seen = answers(&app, &accounts).await;
    assert_eq!(
        seen,
        expected(
            &accounts,
            &[&accounts.master, &accounts.shop, &accounts.news],
            &all_areas
        )
    );
    requests += seen.len();

    // (address, fields, account reached, areas allowed): the roles' areas written out from S3.
    let master_cases: Vec<Case> = vec![
        (
            "manager@example.com",
            vec![("role_0", "manager")],
            all_areas.clone(),
        ),
        (
            "accountant@example.com",
            vec![("role_0", "accountant")],
            vec!["billing"],
        ),
        (
            "developer@example.com",
            vec![("role_0", "developer")],
            vec!["transactional", "statistics", "account_management"],
        ),
        (
            "marketer@example.com",
            vec![("role_0", "marketer")],
            vec!["campaigns", "transactional", "email_automation", "contacts"],
        ),
        (
            "designer@example.com",
            vec![("role_0", "designer")],
            vec!["campaigns", "transactional"],
        ),
        (
            "custom1@example.com",
            vec![
                ("role_0", "custom"),
                ("area_0_contacts", "on"),
                ("area_0_statistics", "on"),
            ],
            vec!["contacts", "statistics"],
        ),
        (
            "custom2@example.com",
            vec![("role_0", "custom"), ("area_0_billing", "on")],
            vec!["billing"],
        ),
    ];
    for (email, role_fields, allowed) in &master_cases {
        let mut fields = vec![("account_0", accounts.master_value.as_str())];
        fields.extend(role_fields.iter().copied());
        let person = member(&app, email, &fields).await;
        let seen = answers(&person, &accounts).await;
        assert_eq!(
            seen,
            expected(&accounts, &[&accounts.master], allowed),
            "{email}"
        );
        requests += seen.len();
    }
    let sub_cases: Vec<Case> = vec![
        (
            "sub-manager@example.com",
            vec![("role_0", "manager")],
            all_areas.clone(),
        ),
        (
            "sub-developer@example.com",
            vec![("role_0", "developer")],
            vec!["transactional", "statistics", "account_management"],
        ),
        (
            "sub-designer@example.com",
            vec![("role_0", "designer")],
            vec!["campaigns", "transactional"],
        ),
        (
            "sub-custom@example.com",
            vec![("role_0", "custom"), ("area_0_email_automation", "on")],
            vec!["email_automation"],
        ),
    ];
    for (email, role_fields, allowed) in &sub_cases {
        let mut fields = vec![("account_0", accounts.shop_value.as_str())];
        fields.extend(role_fields.iter().copied());
        let person = member(&app, email, &fields).await;
        let seen = answers(&person, &accounts).await;
        // A sub-account collaborator never reaches the master account or the sibling.
        assert_eq!(
            seen,
            expected(&accounts, &[&accounts.shop], allowed),
            "{email}"
        );
        requests += seen.len();
    }
    println!("authorization matrix: {requests} requests, every answer as expected");

    // The 403 page says what is missing and who the owner is; navigation shows only what is open.
    let designer = app.another_visitor();
    designer.sign_in("designer@example.com", PASSWORD).await;
    let (status, html) = designer
        .get_html(&format!("{}/areas/billing", accounts.master))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(texts(&html, "h1"), ["You do not have access to Billing"]);
    assert!(
        texts(&html, "main")[0].contains("Your access to Master account does not include Billing.")
    );
    assert!(texts(&html, "main")[0].contains("Olive Owner (owner@example.com)"));
    assert_eq!(
        texts(&html, ".area-nav a"),
        ["Overview", "Campaigns", "Transactional"]
    );
    let (_, html) = designer
        .get_html(&format!("{}/areas/transactional", accounts.master))
        .await;
    assert!(
        texts(&html, "main ul li")
            .iter()
            .any(|line| line.contains("suggest changes, but not publish"))
    );
    assert_eq!(
        designer.get("/sharing").await.status(),
        StatusCode::FORBIDDEN
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_switcher_lists_and_remembers_accounts() {
    let app = spawn_app().await;
    let accounts = owner_with_two_sub_accounts(&app, "gold-premium").await;
    let person = app.another_visitor();
    person
        .sign_up("both@example.com", "Both", PASSWORD, "free")
        .await;
    let link = {
        invite_and_confirm(
            &app,
            &[
                ("email", "both@example.com"),
                ("account_0", &accounts.master_value),
                ("role_0", "accountant"),
                ("account_1", &accounts.shop_value),
                ("role_1", "marketer"),
            ],
        )
        .await;
        invitation_link(&app, "both@example.com", 1).await
    };
    person.sign_in("both@example.com", PASSWORD).await;
    let (_, html) = open_link(&person, &link).await;
    person
        .post_raw("/invitations/accept", &[("csrf_token", &csrf_token(&html))])
        .await;

    let (_, html) = person.get_html("/accounts").await;
    assert_eq!(
        texts(&html, "tbody th"),
        ["Master account", "Master account", "Shop"]
    );
    assert_eq!(
        texts(&html, "tbody td:nth-child(2)"),
        ["You", "Olive Owner", "Olive Owner"]
    );
    assert_eq!(
        texts(&html, "tbody td:nth-child(3)"),
        ["Owner", "Accountant", "Marketer"]
    );

    let response = person
        .submit(
            "/accounts",
            "/accounts/switch",
            &[("account", &accounts.shop_value)],
        )
        .await;
    assert_eq!(location(&response), accounts.shop);
    assert_eq!(
        location(&person.get("/accounts/current").await),
        accounts.shop,
        "remembered for the session"
    );
    let (_, html) = person.get_html("/accounts").await;
    assert_eq!(texts(&html, ".tag"), ["Current"]);

    // Another owner's accounts cannot be chosen, nor their sub-account under a master account
    // this person can reach; the remembered account stays.
    let stranger = app.another_visitor();
    stranger.owner("stranger@example.com", "gold-premium").await;
    stranger
        .submit("/account", "/account/sub-accounts", &[("name", "Kiosk")])
        .await;
    let kiosk = app.sub_account_value("Kiosk");
    let (_, kiosk_id) = kiosk.split_once(':').unwrap();
    for foreign in [
        app.master_of("stranger@example.com"),
        kiosk.clone(),
        format!("{}:{kiosk_id}", accounts.master_value),
    ] {
        let response = person
            .submit("/accounts", "/accounts/switch", &[("account", &foreign)])
            .await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{foreign}");
        assert_eq!(
            texts(&response.text().await.unwrap(), ".error-summary p"),
            [account_sharing::i18n::Locale::En.t(account_sharing::messages::NO_LONGER_REACHABLE)]
        );
        person
            .submit(
                "/accounts",
                "/accounts/switch",
                &[("account", &accounts.shop_value)],
            )
            .await;
    }
    assert_eq!(
        location(&person.get("/accounts/current").await),
        accounts.shop
    );
    for forged in ["abc", "-1", "1:x"] {
        assert_eq!(
            person
                .submit("/accounts", "/accounts/switch", &[("account", forged)])
                .await
                .status(),
            StatusCode::BAD_REQUEST
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edits_and_deletions_take_effect_on_the_next_request() {
    let app = spawn_app().await;
    let accounts = owner_with_two_sub_accounts(&app, "essential").await;
    let person = member(
        &app,
        "rev@example.com",
        &[("account_0", &accounts.master_value), ("role_0", "manager")],
    )
    .await;
    let contacts = format!("{}/areas/contacts", accounts.master);
    assert_eq!(person.get(&contacts).await.status(), StatusCode::OK);
    person
        .submit(
            &accounts.master,
            "/accounts/switch",
            &[("account", &accounts.master_value)],
        )
        .await;

    let id = app.scalar("SELECT id FROM members");
    let edit = format!("/sharing/people/{id}/edit");
    app.submit(
        &edit,
        &edit,
        &[
            ("account_0", &accounts.master_value),
            ("role_0", "accountant"),
            ("action", "send"),
        ],
    )
    .await;
    assert_eq!(
        person.get(&contacts).await.status(),
        StatusCode::FORBIDDEN,
        "the very next request"
    );
    assert_eq!(
        person
            .get(&format!("{}/areas/billing", accounts.master))
            .await
            .status(),
        StatusCode::OK
    );

    let delete = format!("/sharing/people/{id}/delete");
    app.submit(&delete, &delete, &[]).await;
    assert_eq!(
        person.get(&accounts.master).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        person
            .get(&format!("{}/areas/billing", accounts.master))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    // The remembered account is no longer reachable: 403, and it is forgotten.
    let response = person.get("/accounts/current").await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("You no longer have access to that account")
    );
    assert_eq!(
        location(&person.get("/accounts/current").await),
        "/accounts"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plan_upgrades_and_refused_downgrades() {
    let app = spawn_app().await;
    app.owner("plan@example.com", "silver-premium").await;
    let master = app.master_of("plan@example.com");
    for i in 0..6 {
        invite(
            &app,
            &[
                ("email", &format!("m{i}@example.com")),
                ("account_0", master.as_str()),
                ("role_0", "manager"),
                ("action", "send"),
            ],
        )
        .await;
    }
    invite_and_confirm(
        &app,
        &[
            ("email", "d@example.com"),
            ("account_0", master.as_str()),
            ("role_0", "designer"),
        ],
    )
    .await;
    assert_eq!(app.scalar("SELECT count(*) FROM members"), 7);

    let response = app
        .submit("/plan", "/plan", &[("plan", "gold-premium")])
        .await;
    assert_eq!(location(&response), "/plan");
    assert_eq!(
        app.scalar("SELECT count(*) FROM accounts WHERE plan = 'gold-premium'"),
        1
    );

    // Smaller premium plan, too many people: refused with what to reduce, nothing changed.
    let response = app
        .submit("/plan", "/plan", &[("plan", "crystal-premium")])
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert_eq!(texts(&html, "#reduce-title"), ["Reduce your sharing first"]);
    assert!(
        texts(&html, ".error-summary li")[0].starts_with(
            "Delete access for 2 people: Crystal Premium lets you share with 5 people."
        )
    );
    assert_eq!(
        app.scalar("SELECT count(*) FROM accounts WHERE plan = 'gold-premium'"),
        1
    );

    // Bronze Premium has no advanced access: the designer must go first, and is named.
    app.delete_members_where("email IN ('m0@example.com', 'm1@example.com')");
    let response = app
        .submit("/plan", "/plan", &[("plan", "bronze-premium")])
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert!(
        texts(&html, ".error-summary li")[0]
            .starts_with("Move 1 person from Developer, Marketer, Designer or Custom")
    );
    assert!(texts(&html, ".error-summary p")[1].contains("d@example.com"));
    assert_eq!(
        app.scalar("SELECT count(*) FROM accounts WHERE plan = 'gold-premium'"),
        1
    );

    // Not a plan one can choose.
    for bad in ["enterprise", "owner", ""] {
        let response = app.submit("/plan", "/plan", &[("plan", bad)]).await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{bad:?}"
        );
    }
    assert_eq!(
        app.scalar("SELECT count(*) FROM accounts WHERE plan = 'gold-premium'"),
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn premium_to_basic_with_restrictions_offers_a_choice() {
    let app = spawn_app().await;
    app.owner("basic@example.com", "crystal-premium").await;
    let master = app.master_of("basic@example.com");
    invite_and_confirm(
        &app,
        &[
            ("email", "r@example.com"),
            ("account_0", master.as_str()),
            ("role_0", "custom"),
            ("area_0_campaigns", "on"),
            ("restriction_0_no_labels", "on"),
        ],
    )
    .await;

    let response = app.submit("/plan", "/plan", &[("plan", "essential")]).await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.unwrap();
    assert_eq!(
        texts(&html, "h1"),
        ["Essential has no advanced restrictions"]
    );
    assert_eq!(
        crate::common::attribute(&html, "a.button", "href").as_deref(),
        Some("/sharing"),
        "Review permissions"
    );
    assert_eq!(texts(&html, "button.button--warning"), ["Downgrade anyway"]);
    assert_eq!(
        app.scalar("SELECT count(*) FROM accounts WHERE plan = 'crystal-premium'"),
        1,
        "nothing changed yet"
    );
    assert_eq!(app.scalar("SELECT restrictions FROM grants"), 2);

    let response = app
        .post_raw(
            "/plan",
            &[
                ("csrf_token", &csrf_token(&html)),
                ("plan", "essential"),
                ("confirm", "remove_restrictions"),
            ],
        )
        .await;
    assert_eq!(location(&response), "/plan");
    assert_eq!(
        app.scalar("SELECT count(*) FROM accounts WHERE plan = 'essential'"),
        1
    );
    assert_eq!(
        app.scalar("SELECT restrictions FROM grants"),
        0,
        "restrictions removed"
    );
    assert_eq!(
        app.scalar("SELECT count(*) FROM grants WHERE role = 'custom'"),
        1,
        "the role stays"
    );
    // The audit log has the person's access before and after, then the plan change.
    assert_eq!(
        app.scalar(
            "SELECT count(*) FROM audit_events WHERE action = 'access_edited' \
             AND (before -> 'access' -> 'accounts' -> 0 -> 'restrictions')::jsonb <> '[]'::jsonb \
             AND after -> 'access' -> 'accounts' -> 0 -> 'restrictions' IS NULL \
             AND id < (SELECT id FROM audit_events WHERE action = 'plan_changed')"
        ),
        1
    );
    // The quota line says what happened instead of "1 of 0 used".
    let (_, page) = app.get_html("/sharing").await;
    assert!(
        texts(&page, ".quota li")[1].starts_with(
            "Advanced accesses: 1 kept from an earlier plan, which had more than the 0 of yours."
        ),
        "{:?}",
        texts(&page, ".quota li")
    );

    // On the basic plan: the kept Custom role may stay as it is, not change its boxes; anyone can
    // move to a non-premium role.
    let id = app.scalar("SELECT id FROM members");
    let edit = format!("/sharing/people/{id}/edit");
    let same = [
        ("account_0", master.as_str()),
        ("role_0", "custom"),
        ("area_0_campaigns", "on"),
        ("action", "send"),
    ];
    assert_eq!(
        app.submit(&edit, &edit, &same).await.status(),
        StatusCode::SEE_OTHER
    );
    let changed = [
        ("account_0", master.as_str()),
        ("role_0", "custom"),
        ("area_0_contacts", "on"),
        ("action", "send"),
    ];
    let response = app.submit(&edit, &edit, &changed).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        texts(&response.text().await.unwrap(), "#role_0-error")[0]
            .contains("needs a plan with advanced accesses")
    );
    let manager = [
        ("account_0", master.as_str()),
        ("role_0", "manager"),
        ("action", "send"),
    ];
    assert_eq!(
        app.submit(&edit, &edit, &manager).await.status(),
        StatusCode::SEE_OTHER
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_access_only_login_has_no_account_to_fill() {
    let app = spawn_app().await;
    app.owner("own@example.com", "essential").await;
    let master = app.master_of("own@example.com");
    let person = member(
        &app,
        "only@example.com",
        &[("account_0", master.as_str()), ("role_0", "manager")],
    )
    .await;
    let (_, html) = person.get_html("/account").await;
    assert!(html.contains("Your login has no account of its own"));
    assert!(texts(&html, "form[action='/account/sub-accounts']").is_empty());
    let token = csrf_token(&html);
    let response = person
        .post_raw(
            "/account/sub-accounts",
            &[("csrf_token", &token), ("name", "Mine")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(person.get("/plan").await.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        person
            .post_raw("/plan", &[("csrf_token", &token), ("plan", "gold-premium")])
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(app.scalar("SELECT count(*) FROM sub_accounts"), 0);
    assert_eq!(app.scalar("SELECT count(*) FROM accounts"), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_downgrade_racing_an_invitation_never_overshoots() {
    let app = spawn_app().await;
    app.owner("race@example.com", "silver-premium").await;
    let master = app.master_of("race@example.com");
    let (_, html) = app.get_html("/sharing").await;
    let token = csrf_token(&html);
    let rounds = 15;
    let (mut downgraded, mut invited, mut together) = (0, 0, 0);
    for round in 0..rounds {
        app.delete_members_where("true");
        app.execute("UPDATE accounts SET plan = 'silver-premium'");
        for i in 0..5 {
            invite(
                &app,
                &[
                    ("email", &format!("s{i}-{round}@example.com")),
                    ("account_0", master.as_str()),
                    ("role_0", "manager"),
                    ("action", "send"),
                ],
            )
            .await;
        }
        // Together, or one a few milliseconds ahead, so that both orderings happen.
        let ahead = std::time::Duration::from_millis(1 + (round % 4) as u64);
        let (plan_after, sixth_after) = match round % 3 {
            0 => (std::time::Duration::ZERO, std::time::Duration::ZERO),
            1 => (std::time::Duration::ZERO, ahead),
            _ => (ahead, std::time::Duration::ZERO),
        };
        let post = |url: String, fields: Vec<(&'static str, String)>, after| {
            let client = app.client.clone();
            Box::pin(async move {
                tokio::time::sleep(after).await;
                client
                    .post(url)
                    .form(&fields)
                    .send()
                    .await
                    .unwrap()
                    .status()
            }) as Request<StatusCode>
        };
        let raced = at_once(vec![
            post(
                app.url("/plan"),
                vec![
                    ("csrf_token", token.clone()),
                    ("plan", "crystal-premium".into()),
                ],
                plan_after,
            ),
            post(
                app.url("/sharing/invite"),
                vec![
                    ("csrf_token", token.clone()),
                    ("email", format!("sixth-{round}@example.com")),
                    ("account_0", master.clone()),
                    ("role_0", "manager".into()),
                    ("action", "send".into()),
                ],
                sixth_after,
            ),
        ])
        .await;
        together += usize::from(raced.together);
        let (plan, sixth) = (raced.results[0], raced.results[1]);
        let on_crystal =
            app.scalar("SELECT count(*) FROM accounts WHERE plan = 'crystal-premium'") == 1;
        let people = app.scalar("SELECT count(*) FROM members");
        assert!(
            !(on_crystal && people > 5),
            "round {round}: plan {plan}, invitation {sixth}: {people} people on Crystal Premium"
        );
        assert!(!plan.is_server_error() && !sixth.is_server_error());
        if on_crystal {
            downgraded += 1
        } else {
            invited += 1
        }
    }
    assert!(
        downgraded > 0 && invited > 0,
        "both orderings: downgrade first {downgraded}, invitation first {invited}"
    );
    println!(
        "downgrade vs invitation, {rounds} rounds: downgrade won {downgraded}, invitation won {invited}, both in flight together in {together} rounds; 0 over the limit"
    );
}
