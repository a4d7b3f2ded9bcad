//! What inviting refuses (SPEC S7), forged forms (R13, R14), who may reach the sharing pages
//! (R12), and limits under concurrent requests (R4, R28-R30).

use std::sync::Arc;

use reqwest::StatusCode;

use crate::{
    common::{
        PASSWORD, Raced, Request, TestApp, at_once, csrf_token, percentile, spawn_app, texts,
    },
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

/// Sends these invitations together and returns their statuses and timings.
async fn invite_at_once(
    app: &TestApp,
    token: &str,
    invitations: Vec<Vec<(String, String)>>,
) -> Raced<StatusCode> {
    let requests: Vec<Request<StatusCode>> = invitations
        .into_iter()
        .map(|mut fields| {
            fields.push(("csrf_token".into(), token.to_owned()));
            let (client, url) = (app.client.clone(), app.url("/sharing/invite"));
            Box::pin(async move {
                client
                    .post(url)
                    .form(&fields)
                    .send()
                    .await
                    .unwrap()
                    .status()
            }) as Request<StatusCode>
        })
        .collect();
    at_once(requests).await
}

fn successes(statuses: &[StatusCode]) -> usize {
    statuses
        .iter()
        .filter(|s| **s == StatusCode::SEE_OTHER)
        .count()
}

/// What rounds of a race for the last seat showed.
struct SeatRace {
    /// Rounds in which every invitation was in flight at one moment.
    together: usize,
    /// Which of the invitations (by position) won, over the rounds.
    winners: std::collections::BTreeSet<usize>,
    latencies: Vec<std::time::Duration>,
}

/// `rounds` times: four of Crystal Premium's five seats taken, then `width` invitations at once
/// for the last one. Exactly one gets in each round (R28).
async fn race_for_the_last_seat(app: &TestApp, width: usize, rounds: usize) -> SeatRace {
    let master = app.master_of("vic@example.com");
    let (_, html) = app.get_html("/sharing").await;
    let token = csrf_token(&html);
    let mut race = SeatRace {
        together: 0,
        winners: Default::default(),
        latencies: Vec::new(),
    };
    for round in 0..rounds {
        app.delete_members_where("true");
        for i in 0..4 {
            invite_manager(app, &format!("seat{i}-{round}@example.com")).await;
        }
        let raced = invite_at_once(
            app,
            &token,
            (0..width)
                .map(|i| manager_invitation(&master, format!("race{i}-{round}@example.com")))
                .collect(),
        )
        .await;
        let statuses = &raced.results;
        assert_eq!(successes(statuses), 1, "round {round}: {statuses:?}");
        assert!(
            statuses
                .iter()
                .all(|s| *s == StatusCode::SEE_OTHER || *s == StatusCode::UNPROCESSABLE_ENTITY),
            "{statuses:?}"
        );
        assert_eq!(app.scalar("SELECT count(*) FROM members"), 5);
        race.together += usize::from(raced.together);
        race.winners.insert(
            statuses
                .iter()
                .position(|s| *s == StatusCode::SEE_OTHER)
                .unwrap(),
        );
        race.latencies.extend(raced.latencies);
    }
    race
}

fn report_seat_race(width: usize, rounds: usize, mut race: SeatRace) {
    assert!(race.together > 0, "the invitations never overlapped");
    println!(
        "R28 last seat: {rounds} rounds x {width} invitations at once, exactly 1 in every round, 0 over the cap; all {width} in flight together in {} rounds; {} different positions won; latency p50 {:?}, p95 {:?}; 0 retries (the account row is locked FOR NO KEY UPDATE, so no transaction is retried)",
        race.together,
        race.winners.len(),
        percentile(&mut race.latencies, 0.5),
        percentile(&mut race.latencies, 0.95),
    );
}

/// An owner at the edge of every cap, who may invite as often as the races need.
async fn owner_for_races() -> TestApp {
    let app = crate::common::spawn_app_with(|vars| {
        vars.insert("RATE_INVITATIONS_PER_OWNER".into(), "100000/1d".into());
        vars.insert("RATE_ACCEPT_PER_IP".into(), "100000/1h".into());
    })
    .await;
    app.owner("vic@example.com", "crystal-premium").await;
    app
}

pub fn manager_invitation(master: &str, email: String) -> Vec<(String, String)> {
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
    let app = owner_for_races().await;
    let (width, rounds) = (20, 10);
    let race = race_for_the_last_seat(&app, width, rounds).await;
    report_seat_race(width, rounds, race);
    let master = app.master_of("vic@example.com");
    let (_, html) = app.get_html("/sharing").await;
    let token = csrf_token(&html);

    // The last advanced access: 1 of 2 used, 10 premium invitations at once.
    app.delete_members_where("true");
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
    let statuses = invite_at_once(&app, &token, premium).await.results;
    assert_eq!(successes(&statuses), 1, "{statuses:?}");
    assert_eq!(
        app.scalar("SELECT count(DISTINCT member_id) FROM grants WHERE role = 'designer'"),
        2
    );

    // The same invitation twenty times at once: one row, no server error (R29).
    app.delete_members_where("true");
    let statuses = invite_at_once(
        &app,
        &token,
        (0..20)
            .map(|_| manager_invitation(&master, "twin@example.com".into()))
            .collect(),
    )
    .await
    .results;
    assert_eq!(successes(&statuses), 1, "{statuses:?}");
    assert!(statuses.iter().all(|s| !s.is_server_error()));
    assert_eq!(
        app.scalar("SELECT count(*) FROM members WHERE email = 'twin@example.com'"),
        1
    );
}

/// R28 at SECURITY.md's size: 50 invitations at once for the last seat, 100 rounds.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "long: run with ./dev bench"]
async fn bench_race_for_the_last_seat_at_full_size() {
    let app = owner_for_races().await;
    let (width, rounds) = (50, 100);
    let race = race_for_the_last_seat(&app, width, rounds).await;
    report_seat_race(width, rounds, race);
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

/// How a round starts: both requests at once, or one a few milliseconds ahead, so that every
/// ordering happens, and not only the one the scheduler prefers.
fn head_start(round: usize) -> (std::time::Duration, std::time::Duration) {
    let ahead = std::time::Duration::from_millis(1 + (round % 4) as u64);
    match round % 3 {
        0 => (std::time::Duration::ZERO, std::time::Duration::ZERO),
        1 => (std::time::Duration::ZERO, ahead),
        _ => (ahead, std::time::Duration::ZERO),
    }
}

/// `rounds` times: an invitation, opened by Zoe, accepted by her as the owner deletes it. Whoever
/// wins, the deletion stands and no access is left behind (R30).
/// A form post with only its CSRF token, sent after `after`: one side of a race.
fn post_after(
    client: reqwest::Client,
    url: String,
    token: String,
    after: std::time::Duration,
) -> Request<StatusCode> {
    Box::pin(async move {
        tokio::time::sleep(after).await;
        client
            .post(url)
            .form(&[("csrf_token", token)])
            .send()
            .await
            .unwrap()
            .status()
    })
}

async fn accept_against_delete(rounds: usize) {
    let app = owner_for_races().await;
    let invitee = app.another_visitor();
    invitee
        .sign_up("zoe@example.com", "Zoe", PASSWORD, "free")
        .await;
    invitee.sign_in("zoe@example.com", PASSWORD).await;
    let (_, html) = app.get_html("/sharing").await;
    let owner_token = csrf_token(&html);
    let (mut accepted_first, mut deleted_first, mut together) = (0, 0, 0);
    for round in 1..=rounds {
        invite_manager(&app, "zoe@example.com").await;
        let link = invitation_link(&app, "zoe@example.com", round).await;
        let (_, page) = open_link(&invitee, &link).await;
        let invitee_token = csrf_token(&page);
        let member = app.scalar("SELECT id FROM members");
        let (accept_after, delete_after) = head_start(round);
        let raced = at_once(vec![
            post_after(
                invitee.client.clone(),
                invitee.url("/invitations/accept"),
                invitee_token,
                accept_after,
            ),
            post_after(
                app.client.clone(),
                app.url(&format!("/sharing/people/{member}/delete")),
                owner_token.clone(),
                delete_after,
            ),
        ])
        .await;
        let (accept, delete) = (raced.results[0], raced.results[1]);
        assert!(
            !accept.is_server_error() && !delete.is_server_error(),
            "{accept} {delete}"
        );
        assert_eq!(
            app.scalar("SELECT count(*) FROM members"),
            0,
            "round {round}: accept {accept}, delete {delete}"
        );
        assert_eq!(app.scalar("SELECT count(*) FROM grants"), 0);
        together += usize::from(raced.together);
        if accept == StatusCode::SEE_OTHER {
            accepted_first += 1
        } else {
            assert_eq!(accept, StatusCode::GONE, "round {round}");
            deleted_first += 1
        }
    }
    assert!(
        accepted_first > 0 && deleted_first > 0,
        "both orderings: accept first {accepted_first}, delete first {deleted_first}"
    );
    println!(
        "R30 accept vs delete, {rounds} rounds: accept ran first {accepted_first} times, delete {deleted_first} times, both in flight together in {together} rounds; 0 accesses left behind"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accept_racing_delete_never_leaves_access_behind() {
    accept_against_delete(24).await;
}

/// R30 at SECURITY.md's size: 200 rounds.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "long: run with ./dev bench"]
async fn bench_accept_racing_delete_at_full_size() {
    accept_against_delete(200).await;
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

/// Declining while the owner deletes the same invitation: the decline's notice to the owner is
/// queued while it holds the invitation's row, and Delete access locks the account first. Neither
/// ever answers 500, and nothing is left behind.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn decline_racing_delete_never_fails() {
    let app = owner_for_races().await;
    let invitee = app.another_visitor();
    let (_, html) = app.get_html("/sharing").await;
    let owner_token = csrf_token(&html);
    for round in 1..=24 {
        invite_manager(&app, "yan@example.com").await;
        let link = invitation_link(&app, "yan@example.com", round).await;
        let (_, page) = open_link(&invitee, &link).await;
        let invitee_token = csrf_token(&page);
        let member = app.scalar("SELECT id FROM members");
        let (decline_after, delete_after) = head_start(round);
        let raced = at_once(vec![
            post_after(
                invitee.client.clone(),
                invitee.url("/invitations/decline"),
                invitee_token,
                decline_after,
            ),
            post_after(
                app.client.clone(),
                app.url(&format!("/sharing/people/{member}/delete")),
                owner_token.clone(),
                delete_after,
            ),
        ])
        .await;
        let (decline, delete) = (raced.results[0], raced.results[1]);
        assert!(
            !decline.is_server_error() && !delete.is_server_error(),
            "round {round}: decline {decline}, delete {delete}"
        );
        assert_eq!(
            app.scalar("SELECT count(*) FROM members"),
            0,
            "round {round}"
        );
    }
}
