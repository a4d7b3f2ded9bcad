//! What inviting refuses (SPEC S7), forged forms (R13, R14), who may reach the sharing pages
//! (R12), and limits under concurrent requests (R4, R28-R30).

use std::sync::Arc;

use reqwest::StatusCode;

use crate::{
    common::{PASSWORD, TestApp, csrf_token, spawn_app, texts},
    sharing::{
        confirmation, invitation_link, invite, invite_and_confirm, invite_manager, open_link,
    },
};

fn stored(app: &TestApp) -> (i64, i64, i64) {
    (
        app.scalar("SELECT count(*) FROM members"),
        app.scalar("SELECT count(*) FROM grants"),
        app.scalar("SELECT count(*) FROM outbox WHERE member_id IS NOT NULL"),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refusals_keep_the_form_say_why_and_store_nothing() {
    let app = spawn_app().await;
    app.owner("nora@example.com", "crystal-premium").await;
    let master = app.master_of("nora@example.com");
    invite_manager(&app, "taken@example.com").await;
    for (email, role) in [
        ("d1@example.com", "designer"),
        ("d2@example.com", "developer"),
    ] {
        let response = invite_and_confirm(
            &app,
            &[("email", email), ("account_0", &master), ("role_0", role)],
        )
        .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
    }
    let before = stored(&app);
    assert_eq!(before.0, 3);

    // (fields typed, where the message shows, the message)
    type Case<'a> = (Vec<(&'a str, &'a str)>, &'a str, &'a str);
    let cases: Vec<Case> = vec![
        (
            vec![("email", "NORA@example.com"), ("role_0", "manager")],
            "#email-error",
            "This is your own address: you already own this account",
        ),
        (
            vec![("email", "taken@example.com"), ("role_0", "manager")],
            "#email-error",
            "taken@example.com already has access to your account: use Manage, then Edit, on the sharing page to change it",
        ),
        (
            vec![("email", "a@@b.co"), ("role_0", "manager")],
            "#email-error",
            "Enter an email address in the correct format, like name@example.com",
        ),
        (
            vec![("email", "x@example.com")],
            "#role_0-error",
            "Select a role for the Master account",
        ),
        (
            vec![("email", "x@example.com"), ("role_0", "custom")],
            "#area_0-error",
            "Select at least one area for Master account",
        ),
        (
            vec![("email", "x@example.com"), ("role_0", "marketer")],
            "#role_0-error",
            "All 2 advanced accesses of your plan are in use: choose Manager or Accountant, free an advanced access, or upgrade your plan",
        ),
    ];
    for (fields, selector, message) in cases {
        let mut all = vec![("account_0", master.as_str()), ("action", "send")];
        all.extend(fields.iter().copied());
        let response = invite(&app, &all).await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{fields:?}"
        );
        let html = response.text().await.unwrap();
        assert_eq!(
            texts(&html, selector),
            [format!("Error: {message}")],
            "{fields:?}"
        );
        assert_eq!(texts(&html, ".error-summary a"), [message]);
        assert!(texts(&html, "title")[0].starts_with("Error: Invite user"));
        let typed = fields
            .iter()
            .find(|(k, _)| *k == "email")
            .map(|(_, v)| *v)
            .unwrap();
        assert_eq!(
            crate::common::attribute(&html, "input#email", "value").as_deref(),
            Some(typed)
        );
        if let Some((_, role)) = fields.iter().find(|(k, _)| *k == "role_0") {
            assert_eq!(
                crate::common::attribute(&html, "#role_0 option[selected]", "value").as_deref(),
                Some(*role)
            );
        }
    }
    assert_eq!(stored(&app), before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plans_cap_seats_and_premium_roles() {
    let app = spawn_app().await;
    app.owner("omar@example.com", "free").await;
    let response = invite_manager(&app, "a@example.com").await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        texts(&response.text().await.unwrap(), "#email-error")[0]
            .contains("does not include account sharing")
    );

    let app = spawn_app().await;
    app.owner("pia@example.com", "essential").await;
    let master = app.master_of("pia@example.com");
    // Premium roles are shown unavailable, with the reason and the way to get them.
    let (_, html) = app.get_html("/sharing/invite").await;
    assert_eq!(
        crate::common::attribute(&html, "#role_0 option[value=developer]", "disabled").as_deref(),
        Some("")
    );
    assert!(texts(&html, "#role_0 option")[3].ends_with("(not on your plan)"));
    assert!(texts(&html, "#premium-note")[0].contains("Your plan has no advanced accesses"));
    assert_eq!(
        crate::common::attribute(&html, "#premium-note a", "href").as_deref(),
        Some("/plan")
    );
    assert!(texts(&html, ".js-restrictions").is_empty());
    // The server still refuses a forged one.
    let response = invite(
        &app,
        &[
            ("email", "dev@example.com"),
            ("account_0", &master),
            ("role_0", "developer"),
        ],
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        texts(&response.text().await.unwrap(), "#role_0-error"),
        [
            "Error: The Developer role needs a plan with advanced accesses (Crystal Premium or above)"
        ]
    );
    for i in 0..5 {
        assert_eq!(
            invite_manager(&app, &format!("p{i}@example.com"))
                .await
                .status(),
            StatusCode::SEE_OTHER
        );
    }
    let response = invite_manager(&app, "sixth@example.com").await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        texts(&response.text().await.unwrap(), "#email-error"),
        [
            "Error: Your plan lets you share with 5 people and every place is taken: delete an access or upgrade your plan"
        ]
    );
    assert_eq!(app.scalar("SELECT count(*) FROM members"), 5);
    // A full plan says so, instead of opening a form that can only fail.
    let (_, page) = app.get_html("/sharing").await;
    assert!(texts(&page, "main a.button").is_empty(), "no Invite user");
    assert!(texts(&page, "#plan-full")[0].contains("Every place of your plan is taken"));
    let (status, html) = app.get_html("/sharing/invite").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        texts(&html, ".notice h2"),
        ["Every place of your plan is taken"]
    );
    assert!(texts(&html, "main form").is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forged_invite_forms_are_refused_and_change_nothing() {
    let app = spawn_app().await;
    app.owner("quin@example.com", "gold-premium").await;
    app.submit("/account", "/account/sub-accounts", &[("name", "Mine")])
        .await;
    let intruder = app.another_visitor();
    intruder.owner("rex@example.com", "gold-premium").await;
    intruder
        .submit("/account", "/account/sub-accounts", &[("name", "Theirs")])
        .await;
    let theirs = app.sub_account_value("Theirs");
    let master = app.master_of("quin@example.com");
    let their_id = theirs.split_once(':').unwrap().1;
    let mine_and_theirs = format!("{master}:{their_id}");
    let before = stored(&app);

    let base = [
        ("email", "x@example.com"),
        ("account_0", master.as_str()),
        ("action", "send"),
    ];
    let forged: Vec<Vec<(&str, &str)>> = vec![
        vec![("role_0", "owner")],
        vec![("role_0", "manager"), ("role_0", "custom")],
        vec![("role_0", "custom"), ("area_0_sharing", "on")],
        vec![("role_0", "designer"), ("restriction_0_all", "on")],
        vec![("role_0", "manager"), ("account_id", "1")],
        vec![("role_0", "manager"), ("account_1", "-1")],
        vec![("role_0", "manager"), ("account_1", "9223372036854775808")],
        vec![("role_0", "manager"), ("account_1", "abc")],
        vec![("role_0", "manager"), ("role_1", "manager")],
        vec![("role_0", "manager"), ("account_1", "master")],
        vec![("role_0", "manager"), ("action", "confirm:0123")],
    ];
    for extra in forged {
        let mut fields = base.to_vec();
        fields.extend(extra.iter().copied());
        let status = invite(&app, &fields).await.status();
        assert!(status == StatusCode::BAD_REQUEST, "{extra:?}: {status}");
    }
    // A role the select does not offer on a sub-account, a box it does not have, a "Copy to all
    // below" with no master row: forged, 400.
    let mine = app.sub_account_value("Mine");
    for extra in [
        vec![("account_0", mine.as_str()), ("role_0", "accountant")],
        vec![
            ("account_0", mine.as_str()),
            ("role_0", "custom"),
            ("area_0_billing", "on"),
        ],
        vec![
            ("account_0", mine.as_str()),
            ("role_0", "manager"),
            ("copy_to_all_below", "on"),
        ],
    ] {
        let mut fields = vec![("email", "x@example.com"), ("action", "send")];
        fields.extend(extra.iter().copied());
        let status = invite(&app, &fields).await.status();
        assert_eq!(status, StatusCode::BAD_REQUEST, "{extra:?}");
    }
    // "Copy to all below" ticked while the master account's role is not Custom: said beside it.
    let response = invite(
        &app,
        &[
            ("email", "x@example.com"),
            ("account_0", &master),
            ("role_0", "manager"),
            ("copy_to_all_below", "on"),
            ("account_1", &mine),
            ("role_1", "manager"),
            ("action", "send"),
        ],
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert_eq!(
        texts(&html, ".error-summary a"),
        [
            "Copy to all below copies the Master account's Custom areas: choose Custom for the Master account, or untick Copy to all below"
        ]
    );
    assert_eq!(
        crate::common::attribute(&html, ".error-summary a", "href").as_deref(),
        Some("#copy_to_all_below")
    );
    assert!(crate::common::attribute(&html, "#copy_to_all_below", "checked").is_some());

    // Another owner's sub-account, whether added or sent directly.
    let status = invite(
        &app,
        &[
            ("email", "x@example.com"),
            ("add_account", &theirs),
            ("action", "add"),
        ],
    )
    .await
    .status();
    assert_eq!(status, StatusCode::NOT_FOUND);
    let status = invite(
        &app,
        &[
            ("email", "x@example.com"),
            ("account_0", &theirs),
            ("role_0", "manager"),
            ("action", "send"),
        ],
    )
    .await
    .status();
    assert_eq!(status, StatusCode::NOT_FOUND);
    // Their sub-account's id under this owner's master account is not found either (R12).
    let status = invite(
        &app,
        &[
            ("email", "x@example.com"),
            ("account_0", &mine_and_theirs),
            ("role_0", "manager"),
            ("action", "send"),
        ],
    )
    .await
    .status();
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(stored(&app), before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_owner_reaches_sharing_and_other_owners_ids_are_not_found() {
    let app = spawn_app().await;
    app.owner("sia@example.com", "essential").await;
    invite_manager(&app, "tom@example.com").await;
    let member = app.scalar("SELECT id FROM members");
    let link = invitation_link(&app, "tom@example.com", 1).await;
    let tom = app.another_visitor();
    open_link(&tom, &link).await;
    tom.submit(
        "/invitations/accept",
        "/invitations/accept/new-login",
        &[("name", "Tom"), ("password", PASSWORD)],
    )
    .await;

    // An access-only login: no sharing pages (S3: sharing is the owner's alone).
    for path in [
        "/sharing",
        "/sharing/invite",
        &format!("/sharing/people/{member}/edit"),
    ] {
        let (status, html) = tom.get_html(path).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
        assert_eq!(texts(&html, "h1"), ["You do not have access to this page"]);
    }

    // Another owner: every id of this owner's is simply not found (R12).
    let other = app.another_visitor();
    other.owner("uma@example.com", "essential").await;
    let (_, html) = other.get_html("/sharing").await;
    let token = csrf_token(&html);
    for path in [
        format!("/sharing/people/{member}/edit"),
        format!("/sharing/people/{member}/delete"),
    ] {
        assert_eq!(
            other.get(&path).await.status(),
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    for path in [
        format!("/sharing/people/{member}/delete"),
        format!("/sharing/people/{member}/resend"),
    ] {
        assert_eq!(
            other
                .post_raw(&path, &[("csrf_token", &token)])
                .await
                .status(),
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let edit = format!("/sharing/people/{member}/edit");
    let their_master = other.master_of("uma@example.com");
    let response = other
        .post_raw(
            &edit,
            &[
                ("csrf_token", &token),
                ("account_0", &their_master),
                ("role_0", "manager"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        app.scalar("SELECT count(*) FROM members WHERE accepted_at IS NOT NULL"),
        1
    );
    assert_eq!(
        app.scalar("SELECT count(*) FROM outbox WHERE member_id IS NOT NULL"),
        1,
        "no re-send went out"
    );
}

/// Fires `count` invitations at once and returns their statuses.
async fn invite_at_once(
    app: &TestApp,
    token: &str,
    invitations: Vec<Vec<(String, String)>>,
) -> Vec<StatusCode> {
    let barrier = Arc::new(tokio::sync::Barrier::new(invitations.len()));
    let tasks: Vec<_> = invitations
        .into_iter()
        .map(|mut fields| {
            fields.push(("csrf_token".into(), token.to_owned()));
            let (client, url, barrier) = (
                app.client.clone(),
                app.url("/sharing/invite"),
                barrier.clone(),
            );
            tokio::spawn(async move {
                barrier.wait().await;
                client
                    .post(url)
                    .form(&fields)
                    .send()
                    .await
                    .unwrap()
                    .status()
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap());
    }
    statuses
}

fn manager_invitation(master: &str, email: String) -> Vec<(String, String)> {
    [
        ("email", email.as_str()),
        ("account_0", master),
        ("role_0", "manager"),
        ("action", "send"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_invitations_never_pass_the_caps_or_duplicate_a_person() {
    let app = spawn_app().await;
    app.owner("vic@example.com", "crystal-premium").await;
    let master = app.master_of("vic@example.com");
    let (_, html) = app.get_html("/sharing").await;
    let token = csrf_token(&html);
    let rounds = 10;
    let mut retries_seen = 0;
    for round in 0..rounds {
        // The last seat: 4 of 5 taken, 20 invitations at once, exactly one gets in.
        app.execute("DELETE FROM members");
        for i in 0..4 {
            invite_manager(&app, &format!("seat{i}-{round}@example.com")).await;
        }
        let statuses = invite_at_once(
            &app,
            &token,
            (0..20)
                .map(|i| manager_invitation(&master, format!("race{i}-{round}@example.com")))
                .collect(),
        )
        .await;
        assert_eq!(
            statuses
                .iter()
                .filter(|s| **s == StatusCode::SEE_OTHER)
                .count(),
            1,
            "round {round}: {statuses:?}"
        );
        assert!(
            statuses
                .iter()
                .all(|s| *s == StatusCode::SEE_OTHER || *s == StatusCode::UNPROCESSABLE_ENTITY),
            "{statuses:?}"
        );
        assert_eq!(app.scalar("SELECT count(*) FROM members"), 5);
        retries_seen += statuses.len() - 1;
    }
    // The last advanced access: 1 of 2 used, 10 premium invitations at once.
    app.execute("DELETE FROM members");
    invite_and_confirm(
        &app,
        &[
            ("email", "first@example.com"),
            ("account_0", &master),
            ("role_0", "designer"),
        ],
    )
    .await;
    // Each owner saw their check step ("1 of 2 left"), and all confirm at the same instant.
    let mut premium = Vec::new();
    for i in 0..10 {
        let mut fields = manager_invitation(&master, format!("premium{i}@example.com"));
        fields[2].1 = "designer".into();
        let borrowed: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let html = invite(&app, &borrowed).await.text().await.unwrap();
        fields[3].1 = confirmation(&html);
        premium.push(fields);
    }
    let statuses = invite_at_once(&app, &token, premium).await;
    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == StatusCode::SEE_OTHER)
            .count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        app.scalar("SELECT count(DISTINCT member_id) FROM grants WHERE role = 'designer'"),
        2
    );

    // The same invitation twenty times at once: one row, no server error (R29).
    app.execute("DELETE FROM members");
    let statuses = invite_at_once(
        &app,
        &token,
        (0..20)
            .map(|_| manager_invitation(&master, "twin@example.com".into()))
            .collect(),
    )
    .await;
    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == StatusCode::SEE_OTHER)
            .count(),
        1,
        "{statuses:?}"
    );
    assert!(statuses.iter().all(|s| !s.is_server_error()));
    assert_eq!(
        app.scalar("SELECT count(*) FROM members WHERE email = 'twin@example.com'"),
        1
    );
    println!("{rounds} rounds at the last seat, {retries_seen} refused as expected");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invitation_link_is_accepted_once_however_many_try_at_once() {
    // Twenty tries of one link at once would meet its rate limit; here the race is the point.
    let app = crate::common::spawn_app_with(|vars| {
        vars.insert("RATE_ACCEPT_PER_LINK".into(), "1000/1h".into());
        vars.insert("RATE_ACCEPT_PER_IP".into(), "1000/1h".into());
    })
    .await;
    app.owner("wes@example.com", "essential").await;
    invite_manager(&app, "yara@example.com").await;
    let link = invitation_link(&app, "yara@example.com", 1).await;
    let yara = app.another_visitor();
    yara.sign_up("yara@example.com", "Yara", PASSWORD, "free")
        .await;
    yara.sign_in("yara@example.com", PASSWORD).await;
    let (_, html) = open_link(&yara, &link).await;
    let token = csrf_token(&html);
    let barrier = Arc::new(tokio::sync::Barrier::new(20));
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let (client, url, token, barrier) = (
                yara.client.clone(),
                yara.url("/invitations/accept"),
                token.clone(),
                barrier.clone(),
            );
            tokio::spawn(async move {
                barrier.wait().await;
                let response = client
                    .post(url)
                    .form(&[("csrf_token", token)])
                    .send()
                    .await
                    .unwrap();
                (response.status(), crate::common::location(&response))
            })
        })
        .collect();
    let mut answers = Vec::new();
    for task in tasks {
        answers.push(task.await.unwrap());
    }
    // One accepts; the others find the link used (410), or, coming after the winner renewed
    // the session key (R18), are sent to sign in again.
    let accepted = answers
        .iter()
        .filter(|(status, to)| *status == StatusCode::SEE_OTHER && to == "/accounts")
        .count();
    assert_eq!(accepted, 1, "{answers:?}");
    assert!(
        answers
            .iter()
            .all(|(status, to)| *status == StatusCode::GONE
                || (*status == StatusCode::SEE_OTHER
                    && (to == "/accounts" || to.starts_with("/sign-in")))),
        "{answers:?}"
    );
    assert_eq!(
        app.scalar("SELECT count(*) FROM members WHERE accepted_at IS NOT NULL"),
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accept_racing_delete_never_leaves_access_behind() {
    let app = spawn_app().await;
    app.owner("xan@example.com", "essential").await;
    let invitee = app.another_visitor();
    invitee
        .sign_up("zoe@example.com", "Zoe", PASSWORD, "free")
        .await;
    invitee.sign_in("zoe@example.com", PASSWORD).await;
    let (_, html) = app.get_html("/sharing").await;
    let owner_token = csrf_token(&html);
    let rounds = 25;
    let (mut accepted_first, mut deleted_first) = (0, 0);
    for round in 1..=rounds {
        invite_manager(&app, "zoe@example.com").await;
        let link = invitation_link(&app, "zoe@example.com", round).await;
        let (_, page) = open_link(&invitee, &link).await;
        let invitee_token = csrf_token(&page);
        let member = app.scalar("SELECT id FROM members");
        let accept = {
            let (client, url) = (invitee.client.clone(), invitee.url("/invitations/accept"));
            tokio::spawn(async move {
                client
                    .post(url)
                    .form(&[("csrf_token", invitee_token)])
                    .send()
                    .await
                    .unwrap()
                    .status()
            })
        };
        let delete = {
            let (client, url, token) = (
                app.client.clone(),
                app.url(&format!("/sharing/people/{member}/delete")),
                owner_token.clone(),
            );
            tokio::spawn(async move {
                client
                    .post(url)
                    .form(&[("csrf_token", token)])
                    .send()
                    .await
                    .unwrap()
                    .status()
            })
        };
        let (accept, delete) = (accept.await.unwrap(), delete.await.unwrap());
        assert!(
            !accept.is_server_error() && !delete.is_server_error(),
            "{accept} {delete}"
        );
        // Whoever won, the deletion stands: no access is left behind (R30).
        assert_eq!(
            app.scalar("SELECT count(*) FROM members"),
            0,
            "round {round}: accept {accept}, delete {delete}"
        );
        assert_eq!(app.scalar("SELECT count(*) FROM grants"), 0);
        if accept == StatusCode::SEE_OTHER {
            accepted_first += 1
        } else {
            deleted_first += 1
        }
    }
    println!(
        "accept vs delete, {rounds} rounds: accept ran first {accepted_first} times, delete {deleted_first} times, 0 accesses left behind"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unverified_owner_sends_no_mail_to_anyone() {
    let app = spawn_app().await;
    app.sign_up(
        "una@example.com",
        "Totally Your Bank",
        PASSWORD,
        "gold-premium",
    )
    .await;
    app.sign_in("una@example.com", PASSWORD).await;
    let master = app.master_of("una@example.com");
    let verification = app.smtp.wait_for(1).await.remove(0);

    // The sharing page says why, and offers the link again.
    let (_, page) = app.get_html("/sharing").await;
    assert!(texts(&page, "#unverified")[0].contains("Verify your email address to share"));
    assert_eq!(texts(&page, "#unverified button"), ["Send the link again"]);
    assert!(texts(&page, "main a.button").is_empty(), "no Invite user");
    let (status, html) = app.get_html("/sharing/invite").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        texts(&html, ".notice h2"),
        ["Verify your email address first"]
    );

    // A forged send is refused with the reason, and nothing is stored or queued.
    let before = stored(&app);
    let response = invite(
        &app,
        &[
            ("email", "victim@example.com"),
            ("account_0", &master),
            ("role_0", "manager"),
            ("action", "send"),
        ],
    )
    .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        texts(&response.text().await.unwrap(), "h1"),
        ["Verify your email address first"]
    );
    assert_eq!(stored(&app), before);
    assert_eq!(
        app.scalar("SELECT count(*) FROM outbox"),
        1,
        "only the verification mail"
    );

    // Verified, the same invitation goes out.
    let link = verification.link_starting(&app.base_url).unwrap();
    app.verify_with_link(&link).await;
    let response = invite(
        &app,
        &[
            ("email", "colleague@example.com"),
            ("account_0", &master),
            ("role_0", "manager"),
            ("action", "send"),
        ],
    )
    .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
}
