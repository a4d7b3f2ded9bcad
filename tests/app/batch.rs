//! "Invite several people" (issue 11): up to 50 pasted addresses with the same access, decided
//! under the account's lock, with a line per address saying what became of it.

use reqwest::StatusCode;

use crate::{
    common::{TestApp, attribute, csrf_token, spawn_app, texts},
    sharing::{confirmation, invite_manager, own_master},
    workspace::member,
};

/// Sends the batch form as a person does, with the check step's own Send when one comes.
async fn send_batch(app: &TestApp, emails: &str, role: &str) -> (StatusCode, String) {
    let master = own_master(app).await;
    let mut fields = vec![
        ("emails", emails),
        ("account_0", master.as_str()),
        ("role_0", role),
        ("action", "send"),
    ];
    let page = "/sharing/invite/many";
    let response = app.submit(page, page, &fields).await;
    let status = response.status();
    let html = response.text().await.unwrap();
    if status != StatusCode::OK || texts(&html, "#check").is_empty() {
        return (status, html);
    }
    let confirmed = confirmation(&html);
    fields.pop();
    fields.push(("action", &confirmed));
    let response = app.submit(page, page, &fields).await;
    (response.status(), response.text().await.unwrap())
}

/// The result page's lines: (address, what became of it).
fn lines(html: &str) -> Vec<(String, String)> {
    texts(html, ".batch-table tbody th")
        .into_iter()
        .zip(texts(html, ".batch-table tbody td"))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_pasted_address_gets_a_line_saying_what_became_of_it() {
    let app = spawn_app().await;
    app.owner("olive@example.com", "gold-premium").await;
    invite_manager(&app, "bob@example.com").await;
    let (_, sharing) = app.get_html("/sharing").await;
    assert_eq!(
        attribute(&sharing, "a[href='/sharing/invite/many']", "href").as_deref(),
        Some("/sharing/invite/many")
    );

    let pasted = "ann@example.com, BOB@example.com;\r\ncy@example.com\nnot an address\n\nann@example.com\nolive@example.com\n";
    let (status, html) = send_batch(&app, pasted, "manager").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(texts(&html, "h1"), ["Invitations"]);
    assert_eq!(
        texts(&html, "#batch-summary"),
        ["2 of 6 addresses invited."]
    );
    let got = lines(&html);
    let expected = [
        ("ann@example.com", "Invited"),
        (
            "BOB@example.com",
            "Already has access, or an invitation: use Manage on the sharing page",
        ),
        ("cy@example.com", "Invited"),
        ("not an address", ""),
        ("ann@example.com", "Listed twice: invited once at most"),
        (
            "olive@example.com",
            "Your own address: you already own every account",
        ),
    ];
    assert_eq!(got.len(), expected.len(), "{got:?}");
    for ((address, outcome), (want_address, want_outcome)) in got.iter().zip(expected) {
        assert_eq!(address, want_address);
        if want_outcome.is_empty() {
            assert!(outcome.starts_with("Enter an email address"), "{outcome}");
        } else {
            assert_eq!(outcome, want_outcome);
        }
    }
    assert_eq!(texts(&html, "#not-invited"), ["not an address"]);
    assert_eq!(
        app.scalar("SELECT count(*) FROM members"),
        3,
        "Bob, Ann and Cy"
    );
    assert_eq!(
        app.scalar("SELECT count(*) FROM audit_events WHERE action = 'invitation_sent'"),
        3
    );
    app.mails_to("ann@example.com", 1).await;
    app.mails_to("cy@example.com", 1).await;
    app.outbox_settled().await;
    assert_eq!(
        app.scalar(
            "SELECT count(*) FROM outbox WHERE recipient IN ('ann@example.com', 'cy@example.com')"
        ),
        2
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_plan_caps_a_batch_and_two_batches_at_once_never_pass_it() {
    let app = spawn_app().await;
    // Crystal Premium: 5 people, 2 advanced accesses.
    app.owner("olive@example.com", "crystal-premium").await;
    let master = own_master(&app).await;
    let (_, form) = app.get_html("/sharing/invite/many").await;
    let token = csrf_token(&form);
    let batch = |names: &[&str]| {
        let emails = names
            .iter()
            .map(|name| format!("{name}@example.com"))
            .collect::<Vec<_>>()
            .join("\n");
        vec![
            ("csrf_token", token.clone()),
            ("emails", emails),
            ("account_0", master.clone()),
            ("role_0", "accountant".to_owned()),
            ("action", "send".to_owned()),
        ]
    };
    let post = |fields: Vec<(&'static str, String)>| {
        let app = app.clone();
        async move {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let response = app.post_raw("/sharing/invite/many", &fields).await;
            assert_eq!(response.status(), StatusCode::OK);
            response.text().await.unwrap()
        }
    };
    // Each batch's check step first, naming its four addresses; then both Sends at once.
    let confirmed = |mut fields: Vec<(&'static str, String)>, check: String| {
        fields.pop();
        fields.push(("action", confirmation(&check)));
        fields
    };
    let (a, b) = (
        batch(&["a1", "a2", "a3", "a4"]),
        batch(&["b1", "b2", "b3", "b4"]),
    );
    let check_a = post(a.clone()).await;
    assert_eq!(
        texts(&check_a, "#check-recipients"),
        [
            "For these 4 people, each the same: a1@example.com, a2@example.com, a3@example.com, a4@example.com"
        ]
    );
    assert_eq!(
        texts(
            &check_a,
            "button[value^=confirm], button[value=send]:not(.default-submit)"
        )
        .len(),
        2,
        "one Send, and a button to check again"
    );
    let check_b = post(b.clone()).await;
    assert_eq!(
        app.scalar("SELECT count(*) FROM members"),
        0,
        "nothing sent before its Send"
    );
    let (first, second) = tokio::join!(post(confirmed(a, check_a)), post(confirmed(b, check_b)));
    let (first, second) = (lines(&first), lines(&second));
    let everything: Vec<_> = first.iter().chain(&second).collect();
    let invited = everything
        .iter()
        .filter(|(_, outcome)| outcome == "Invited")
        .count();
    let over: Vec<_> = everything
        .iter()
        .filter(|(_, outcome)| outcome.starts_with("Not invited: "))
        .collect();
    assert_eq!(invited, 5, "{everything:?}");
    assert_eq!(over.len(), 3, "{everything:?}");
    assert!(over[0].1.contains('5'), "{}", over[0].1);
    assert_eq!(app.scalar("SELECT count(*) FROM members"), 5);

    // Advanced accesses: two Designers fit, the third does not; the check step comes first.
    let other = spawn_app().await;
    other.owner("olive@example.com", "gold-premium").await;
    let (status, html) = send_batch(
        &other,
        "d1@example.com\nd2@example.com\nd3@example.com",
        "designer",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let outcomes: Vec<String> = lines(&html)
        .into_iter()
        .map(|(_, outcome)| outcome)
        .collect();
    assert_eq!(outcomes[..2], ["Invited", "Invited"]);
    assert!(outcomes[2].starts_with("Not invited: "), "{outcomes:?}");
    assert_eq!(texts(&html, "#not-invited"), ["d3@example.com"]);
}

#[tokio::test]
async fn a_batch_to_correct_keeps_what_was_pasted_and_sends_nothing() {
    let app = spawn_app().await;
    app.owner("olive@example.com", "gold-premium").await;
    let many: String = (0..51).map(|i| format!("p{i}@example.com\n")).collect();
    for (pasted, message) in [
        (
            many.as_str(),
            "Error: You can invite up to 50 people at once; this list has 51. Send the rest in another batch.",
        ),
        (
            " ;\n, ",
            "Error: Enter the email addresses of the people to invite.",
        ),
    ] {
        let (status, html) = send_batch(&app, pasted, "manager").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(texts(&html, "#emails-error"), [message]);
        let kept = pasted.split_whitespace().collect::<Vec<_>>().join(" ");
        assert_eq!(texts(&html, "textarea#emails"), [kept]);
        assert_eq!(
            texts(&html, ".error-summary a"),
            [&message["Error: ".len()..]]
        );
    }
    assert_eq!(app.scalar("SELECT count(*) FROM members"), 0);
    assert_eq!(app.scalar("SELECT count(*) FROM audit_events"), 0);

    // Someone with access but no right to share: 403, whatever they send.
    let master = own_master(&app).await;
    let designer = member(
        &app,
        "dee@example.com",
        &[("account_0", &master), ("role_0", "designer")],
    )
    .await;
    assert_eq!(
        designer.get("/sharing/invite/many").await.status(),
        StatusCode::FORBIDDEN
    );
    let (_, page) = designer.get_html("/account").await;
    let response = designer
        .post_raw(
            "/sharing/invite/many",
            &[
                ("csrf_token", &csrf_token(&page)),
                ("emails", "eve@example.com"),
                ("account_0", &master),
                ("role_0", "manager"),
                ("action", "send"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.scalar("SELECT count(*) FROM members"), 1);
}

/// What stands in a batch's way (the addresses that already have access, the plan's room) is
/// read once for the whole batch, so each address invited adds only its own statements: the
/// owner's invitation count, the member, their grants, the recount of the usage the account's row
/// keeps, the recipient's language, the mail and the audit record.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_address_of_a_batch_adds_only_its_own_statements() {
    const STATEMENTS_PER_INVITATION: i64 = 7;
    let app = spawn_app().await;
    app.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
    // Gold Premium: 15 people.
    app.owner("olive@example.com", "gold-premium").await;
    invite_manager(&app, "bob@example.com").await;
    // A first batch, not counted: what only the first does (the session's idle limit moved out,
    // say) stays out of the comparison.
    let mut statements = Vec::new();
    for names in [0..1, 1..4, 4..10] {
        let mut emails: Vec<String> = names.map(|n| format!("p{n}@example.com")).collect();
        // Someone who has access already, and the owner: refused in words, without a lookup each.
        emails.push("bob@example.com".to_owned());
        emails.push("olive@example.com".to_owned());
        let before = app.statements_so_far();
        let (status, html) = send_batch(&app, &emails.join("\n"), "manager").await;
        assert_eq!(status, StatusCode::OK);
        let invited = lines(&html)
            .iter()
            .filter(|(_, outcome)| outcome == "Invited")
            .count();
        assert_eq!(invited, emails.len() - 2, "{:?}", lines(&html));
        statements.push(app.statements_so_far() - before);
    }
    println!(
        "batch statements: {} with 3 invited, {} with 6 invited",
        statements[1], statements[2]
    );
    assert_eq!(statements[2] - statements[1], 3 * STATEMENTS_PER_INVITATION);
}
