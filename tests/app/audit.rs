//! The audit log (issue 11, R34): every sharing and plan change recorded with the change, the
//! refused uses of a link, an Activity page for the owner with filters and pages, a person's own
//! records on My account, records that can only be added, and nothing secret in them.

use reqwest::StatusCode;

use crate::{
    common::{PASSWORD, TestApp, attribute, location, spawn_app, texts},
    sharing::{confirmation, invitation_link, invite_manager, open_link, own_master},
    workspace::member,
};

/// The actions recorded, oldest first.
fn actions(app: &TestApp) -> Vec<String> {
    use diesel::prelude::*;
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Text)]
        action: String,
    }
    diesel::sql_query("SELECT action FROM audit_events ORDER BY id")
        .load::<Row>(&mut app.connection())
        .unwrap()
        .into_iter()
        .map(|row| row.action)
        .collect()
}

/// The Activity page's rows: (what happened, person, done by, before and after).
async fn activity(app: &TestApp, query: &str) -> (StatusCode, Vec<String>, String) {
    let (status, html) = app.get_html(&format!("/sharing/activity{query}")).await;
    (status, texts(&html, ".activity-table tbody th"), html)
}

/// "Update access", then the check step's own button when one comes.
async fn edit(app: &TestApp, id: i64, fields: &[(&str, &str)]) {
    let path = format!("/sharing/people/{id}/edit");
    let mut all = fields.to_vec();
    all.push(("action", "send"));
    let mut response = app.submit(&path, &path, &all).await;
    if response.status() == StatusCode::OK {
        let confirmed = confirmation(&response.text().await.unwrap());
        all.pop();
        all.push(("action", &confirmed));
        response = app.submit(&path, &path, &all).await;
    }
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
}

async fn delete(app: &TestApp, id: i64) {
    let path = format!("/sharing/people/{id}/delete");
    assert_eq!(
        app.submit(&path, &path, &[]).await.status(),
        StatusCode::SEE_OTHER
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_sharing_and_plan_change_is_recorded_with_its_before_and_after() {
    let app = spawn_app().await;
    app.owner("olive@example.com", "gold-premium").await;
    let (status, rows, html) = activity(&app, "").await;
    assert_eq!(status, StatusCode::OK);
    assert!(rows.is_empty());
    assert!(texts(&html, "#no-activity")[0].starts_with("Nothing has happened yet"));
    let (_, sharing) = app.get_html("/sharing").await;
    assert_eq!(
        attribute(&sharing, ".page-links a[href='/sharing/activity']", "href").as_deref(),
        Some("/sharing/activity")
    );

    app.submit("/account", "/account/sub-accounts", &[("name", "Shop")])
        .await;
    let master = own_master(&app).await;
    let shop = app.sub_account_value("Shop");
    // Ann is invited as Manager of the master account, and the invitation is re-sent before
    // she accepts it with a new login.
    invite_manager(&app, "ann@example.com").await;
    let id = app.scalar("SELECT id FROM members WHERE email = 'ann@example.com'");
    invitation_link(&app, "ann@example.com", 1).await;
    app.outbox_settled().await;
    app.execute("UPDATE outbox SET created_at = now() - interval '1 hour'");
    let resent = app
        .submit("/sharing", &format!("/sharing/people/{id}/resend"), &[])
        .await;
    assert_eq!(resent.status(), StatusCode::SEE_OTHER);
    let link = invitation_link(&app, "ann@example.com", 2).await;
    let ann = app.another_visitor();
    open_link(&ann, &link).await;
    let accepted = ann
        .submit(
            "/invitations/accept",
            "/invitations/accept/new-login",
            &[("name", "Ann"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(accepted.status(), StatusCode::SEE_OTHER);
    // The owner makes her Accountant on the master account and a Custom designer on Shop,
    // moves plan, then deletes her access.
    edit(
        &app,
        id,
        &[
            ("account_0", &master),
            ("role_0", "accountant"),
            ("account_1", &shop),
            ("role_1", "custom"),
            ("area_1_campaigns", "on"),
            ("area_1_statistics", "on"),
        ],
    )
    .await;
    let moved = app
        .submit("/plan", "/plan", &[("plan", "platinum-premium")])
        .await;
    assert_eq!(moved.status(), StatusCode::SEE_OTHER);
    delete(&app, id).await;

    assert_eq!(
        actions(&app),
        [
            "invitation_sent",
            "invitation_resent",
            "invitation_accepted",
            "access_edited",
            "plan_changed",
            "access_deleted",
        ]
    );
    // Who, from where, about whom: the owner acts, Ann accepts; every request came from here.
    assert_eq!(
        app.scalar(
            "SELECT count(*) FROM audit_events WHERE client_ip = '127.0.0.1' \
             AND actor_email = CASE action WHEN 'invitation_accepted' THEN 'ann@example.com' \
             ELSE 'olive@example.com' END"
        ),
        6
    );
    assert_eq!(
        app.scalar(
            "SELECT count(*) FROM audit_events WHERE target_email = 'ann@example.com' \
             AND target_member_id IS NOT NULL"
        ),
        5
    );
    // Before and after as data.
    assert_eq!(
        app.scalar(
            "SELECT count(*) FROM audit_events WHERE action = 'access_edited' \
             AND before -> 'access' -> 'accounts' -> 0 ->> 'role' = 'manager' \
             AND after -> 'access' -> 'accounts' -> 0 ->> 'role' = 'accountant' \
             AND after -> 'access' -> 'accounts' -> 1 ->> 'sub_account_name' = 'Shop' \
             AND (after -> 'access' -> 'accounts' -> 1 -> 'areas')::jsonb = '[\"campaigns\", \"statistics\"]'::jsonb"
        ),
        1
    );
    assert_eq!(
        app.scalar(
            "SELECT count(*) FROM audit_events WHERE action = 'plan_changed' \
             AND before ->> 'plan' = 'gold-premium' AND after ->> 'plan' = 'platinum-premium'"
        ),
        1
    );

    // The page: newest first, in words.
    let (status, rows, html) = activity(&app, "").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        rows,
        [
            "Access deleted",
            "Plan changed",
            "Access edited",
            "Invitation accepted",
            "Invitation re-sent",
            "Invitation sent",
        ]
    );
    let details = texts(&html, ".activity-table tbody tr:nth-child(3) dd li");
    assert_eq!(
        details,
        [
            "Manager on the master account",
            "Accountant on the master account",
            "Custom (Campaigns, Statistics) on Shop",
        ]
    );
    assert_eq!(
        texts(&html, ".activity-table tbody tr:nth-child(2) dd li"),
        ["Plan: Gold Premium", "Plan: Platinum Premium"]
    );
    // A sub-account renamed since keeps the name the record gave it.
    let rename = format!(
        "/account/sub-accounts/{}/rename",
        app.scalar("SELECT id FROM sub_accounts WHERE name = 'Shop'")
    );
    app.submit(&rename, &rename, &[("name", "Shop Renamed")])
        .await;
    assert_eq!(
        app.scalar("SELECT count(*) FROM sub_accounts WHERE name = 'Shop Renamed'"),
        1
    );
    let (_, _, html) = activity(&app, "").await;
    assert_eq!(
        texts(&html, ".activity-table tbody tr:nth-child(3) dd li")[2],
        "Custom (Campaigns, Statistics) on Shop"
    );
    assert!(
        texts(&html, ".activity-table tbody tr:nth-child(4) td")
            .iter()
            .any(|cell| cell.starts_with("ann@example.com") && cell.contains("from 127.0.0.1"))
    );

    // Filters: by action, by person, by dates; the form keeps them.
    let (_, rows, html) = activity(&app, "?action=access_edited").await;
    assert_eq!(rows, ["Access edited"]);
    assert_eq!(
        attribute(&html, "#action option[selected]", "value").as_deref(),
        Some("access_edited")
    );
    invite_manager(&app, "bob@example.com").await;
    let (_, rows, _) = activity(&app, "?person=BOB%40example.com").await;
    assert_eq!(rows, ["Invitation sent"]);
    // Part of an address, or of a name, as the sharing page's search matches.
    let (_, rows, _) = activity(&app, "?person=bob%40ex").await;
    assert_eq!(rows, ["Invitation sent"]);
    let (_, part, _) = activity(&app, "?person=ann").await;
    let (_, whole, _) = activity(&app, "?person=ann%40example.com").await;
    assert!(!part.is_empty());
    assert_eq!(part, whole, "part of the address finds the same records");
    app.execute("UPDATE people SET display_name = 'Annabel Lee' WHERE email = 'ann@example.com'");
    let (_, by_name, _) = activity(&app, "?person=annabel").await;
    assert_eq!(by_name, whole, "the name finds the records of the login");
    let (_, none, _) = activity(&app, "?person=100%25").await;
    assert!(none.is_empty(), "% is looked for as typed");
    let today = chrono::Utc::now().date_naive();
    let tomorrow = today.succ_opt().unwrap();
    let (_, rows, _) = activity(&app, &format!("?from={today}&to={today}")).await;
    assert_eq!(rows.len(), 7);
    let (_, rows, html) = activity(&app, &format!("?from={tomorrow}")).await;
    assert!(rows.is_empty());
    assert_eq!(
        texts(&html, "#no-activity"),
        ["No activity matches these filters."]
    );

    // Every record is written with its states grouped for the page; a record written before
    // that (a copy without them) reads the same, its states grouped as they are read.
    assert_eq!(
        app.scalar("SELECT count(*) FROM audit_events WHERE grouped_states IS NULL"),
        0
    );
    let (_, _, html) = activity(&app, "").await;
    let grouped = texts(&html, ".activity-table tbody tr");
    app.execute(
        "INSERT INTO audit_events (master_account_id, occurred_at, actor_person_id, actor_email, \
             action, target_email, target_person_id, target_member_id, client_ip, before, after, \
             actor_token) \
         SELECT master_account_id, occurred_at, actor_person_id, actor_email, action, \
             target_email, target_person_id, target_member_id, client_ip, before, after, \
             actor_token FROM audit_events ORDER BY id",
    );
    let (_, _, html) = activity(&app, "").await;
    let both = texts(&html, ".activity-table tbody tr");
    assert!(grouped.len() > 5 && grouped.len() <= 25, "{grouped:?}");
    assert_eq!(both[..grouped.len()], grouped, "the copies, newest first");
    assert_eq!(both[grouped.len()..], grouped);
}

#[tokio::test]
async fn the_filters_say_what_is_wrong_and_refuse_what_no_form_sends() {
    let app = spawn_app().await;
    app.owner("olive@example.com", "gold-premium").await;
    // A date typed by hand in a browser without a date picker: said, and kept.
    let (status, html) = app
        .get_html("/sharing/activity?from=31%2F03%2F2027&person=ann%40example.com")
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        texts(&html, "#from-error"),
        ["Error: Enter the date as year-month-day, for example 2027-03-31."]
    );
    assert_eq!(
        attribute(&html, "#from", "value").as_deref(),
        Some("31/03/2027")
    );
    assert_eq!(
        attribute(&html, "#person", "value").as_deref(),
        Some("ann@example.com")
    );
    assert!(texts(&html, ".activity-table").is_empty());
    let (status, html) = app
        .get_html("/sharing/activity?from=2027-03-31&to=2027-03-01")
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(texts(&html, ".error-summary a").len(), 1);
    assert_eq!(
        attribute(&html, ".error-summary a", "href").as_deref(),
        Some("#to")
    );
    // What only a script sends: a clear page, nothing else.
    let long = "a".repeat(300);
    for query in [
        "?action=owner_deleted_everything".to_owned(),
        "?page=0".to_owned(),
        "?page=-1".to_owned(),
        "?page=99999999999".to_owned(),
        "?is_admin=1".to_owned(),
        "?action=access_edited&action=plan_changed".to_owned(),
        format!("?person={long}"),
        "?person=%FF".to_owned(),
    ] {
        let (status, html) = app.get_html(&format!("/sharing/activity{query}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}");
        assert!(!texts(&html, "h1").is_empty(), "{query}");
    }
    assert_eq!(app.scalar("SELECT count(*) FROM audit_events"), 0);
}

#[tokio::test]
async fn the_activity_is_paged_newest_first() {
    let app = spawn_app().await;
    app.owner("olive@example.com", "gold-premium").await;
    let master = app.master_of("olive@example.com");
    // 120 records of the past: adding is all anyone can do to the table.
    app.execute(&format!(
        "INSERT INTO audit_events (master_account_id, action, target_email, occurred_at) \
         SELECT {master}, 'invitation_sent', 'p' || n || '@example.com', \
                now() - n * interval '1 minute' \
         FROM generate_series(120, 1, -1) AS n"
    ));
    let (_, rows, html) = activity(&app, "").await;
    assert_eq!(rows.len(), 50);
    let people = texts(&html, ".activity-table tbody td:nth-child(3)");
    assert_eq!(people[0], "p1@example.com");
    assert_eq!(people[49], "p50@example.com");
    assert!(attribute(&html, ".pagination a[rel=prev]", "href").is_none());
    let older = attribute(&html, ".pagination a[rel=next]", "href").unwrap();
    assert_eq!(older, "/sharing/activity?page=2");
    let (_, _, html) = activity(&app, "?page=3&action=invitation_sent").await;
    let people = texts(&html, ".activity-table tbody td:nth-child(3)");
    assert_eq!(people.len(), 20);
    assert_eq!(people[19], "p120@example.com");
    assert!(attribute(&html, ".pagination a[rel=next]", "href").is_none());
    assert_eq!(
        attribute(&html, ".pagination a[rel=prev]", "href").as_deref(),
        Some("/sharing/activity?action=invitation_sent&page=2")
    );
    let (status, rows, html) = activity(&app, "?page=9").await;
    assert_eq!(status, StatusCode::OK);
    assert!(rows.is_empty());
    assert_eq!(
        texts(&html, "#no-activity"),
        ["No activity matches these filters."]
    );
}

#[tokio::test]
async fn records_can_only_be_added() {
    use diesel::prelude::*;
    let app = spawn_app().await;
    app.owner("olive@example.com", "gold-premium").await;
    invite_manager(&app, "ann@example.com").await;
    assert_eq!(app.scalar("SELECT count(*) FROM audit_events"), 1);
    let mut conn = app.connection();
    for sql in [
        "UPDATE audit_events SET actor_email = 'someone@else.test'",
        "DELETE FROM audit_events",
        "TRUNCATE audit_events",
    ] {
        let refused = diesel::sql_query(sql).execute(&mut conn).unwrap_err();
        assert!(
            refused.to_string().contains("append-only"),
            "{sql}: {refused}"
        );
    }
    assert_eq!(
        app.scalar(
            "SELECT count(*) FROM audit_events WHERE actor_email = 'olive@example.com' \
             AND action = 'invitation_sent'"
        ),
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_uses_of_a_link_are_recorded_once_each_and_declines_too() {
    let app = spawn_app().await;
    app.owner("olive@example.com", "gold-premium").await;
    let master = own_master(&app).await;
    let fields = [("account_0", master.as_str()), ("role_0", "manager")];
    // Ann accepts; her link is then replayed three times.
    member(&app, "ann@example.com", &fields).await;
    let ann_link = invitation_link(&app, "ann@example.com", 1).await;
    for _ in 0..3 {
        let replay = app.another_visitor();
        let (status, _) = open_link(&replay, &ann_link).await;
        assert_eq!(status, StatusCode::GONE);
    }
    // Bob's link is opened and accepted by Ann, signed in: refused, as she is not Bob.
    invite_manager(&app, "bob@example.com").await;
    let bob_link = invitation_link(&app, "bob@example.com", 1).await;
    let ann = app.another_visitor();
    ann.sign_in("ann@example.com", PASSWORD).await;
    open_link(&ann, &bob_link).await;
    let refused = ann
        .submit("/invitations/accept", "/invitations/accept", &[])
        .await;
    assert_eq!(refused.status(), StatusCode::OK);
    // Cy's link expires before Cy opens it; Dee declines hers.
    invite_manager(&app, "cy@example.com").await;
    let cy_link = invitation_link(&app, "cy@example.com", 1).await;
    app.execute(
        "UPDATE members SET invitation_expires_at = now() - interval '1 minute' \
         WHERE email = 'cy@example.com'",
    );
    open_link(&app.another_visitor(), &cy_link).await;
    invite_manager(&app, "dee@example.com").await;
    let dee_link = invitation_link(&app, "dee@example.com", 1).await;
    let dee = app.another_visitor();
    open_link(&dee, &dee_link).await;
    let declined = dee
        .submit("/invitations/decline", "/invitations/decline", &[])
        .await;
    assert_eq!(location(&declined), "/invitations/declined");
    // A link that never existed names no account: nothing to record.
    open_link(
        &app.another_visitor(),
        &format!(
            "{}/invitations/accept?token={}",
            app.base_url,
            "A".repeat(43)
        ),
    )
    .await;

    let refusals: Vec<String> = actions(&app)
        .into_iter()
        .filter(|action| action.starts_with("accept_refused") || action.ends_with("declined"))
        .collect();
    assert_eq!(
        refusals,
        [
            "accept_refused_used",
            "accept_refused_wrong_person",
            "accept_refused_expired",
            "invitation_declined",
        ]
    );
    assert_eq!(
        app.scalar(
            "SELECT count(*) FROM audit_events WHERE action = 'accept_refused_wrong_person' \
             AND actor_email = 'ann@example.com' AND target_email = 'bob@example.com'"
        ),
        1
    );
    let (_, rows, html) = activity(&app, "?action=refused").await;
    assert_eq!(
        rows,
        [
            "Refused: the link had expired",
            "Refused: signed in as someone else",
            "Refused: the link was already used",
        ]
    );
    assert_eq!(texts(&html, ".activity-table .tag--yellow").len(), 3);
    let (_, _, html) = activity(&app, "?action=invitation_declined").await;
    assert!(
        texts(&html, ".activity-table tbody td")
            .iter()
            .any(|cell| cell.starts_with("Someone with the invitation link"))
    );

    // Ann sees what happened to her own access, not who else tried a link, nor from where.
    let (_, html) = ann.get_html("/account").await;
    let own: Vec<String> = texts(&html, "#your-access-history ~ div tbody th");
    assert_eq!(
        own,
        [
            "Refused: the link was already used",
            "Invitation accepted",
            "Invitation sent"
        ]
    );
    assert!(!html.contains("127.0.0.1"));
    let (_, html) = app.another_visitor().get_html("/account").await;
    assert!(texts(&html, "#your-access-history").is_empty());
}

#[tokio::test]
async fn only_the_owner_sees_the_activity() {
    let app = spawn_app().await;
    app.owner("olive@example.com", "gold-premium").await;
    let master = own_master(&app).await;
    let designer = member(
        &app,
        "dee@example.com",
        &[("account_0", &master), ("role_0", "designer")],
    )
    .await;
    let (status, _) = designer.get_html("/sharing/activity").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let stranger = app.another_visitor();
    let response = stranger.get("/sharing/activity").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(location(&response).starts_with("/sign-in?next="));
    // A second owner sees their own log, empty: never Olive's.
    let second = app.another_visitor();
    second.owner("sam@example.com", "gold-premium").await;
    let (status, rows, _) = activity(&second, "").await;
    assert_eq!(status, StatusCode::OK);
    assert!(rows.is_empty());
}

/// R34: after every flow that records, no token, password or session key is in the table, raw,
/// hashed or encoded.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_token_password_or_session_key_is_ever_recorded() {
    let app = spawn_app().await;
    let (owner, jar) = app.another_visitor_with_jar();
    owner.owner("olive@example.com", "gold-premium").await;
    let master = own_master(&owner).await;
    let fields = [("account_0", master.as_str()), ("role_0", "manager")];
    let ann = member(&owner, "ann@example.com", &fields).await;
    let id = app.scalar("SELECT id FROM members WHERE email = 'ann@example.com'");
    edit(
        &owner,
        id,
        &[("account_0", &master), ("role_0", "accountant")],
    )
    .await;
    invite_manager(&owner, "bob@example.com").await;
    let bob = invitation_link(&app, "bob@example.com", 1).await;
    open_link(&ann, &bob).await;
    ann.submit("/invitations/accept", "/invitations/accept", &[])
        .await;
    open_link(
        &app.another_visitor(),
        &invitation_link(&app, "ann@example.com", 1).await,
    )
    .await;
    owner
        .submit("/plan", "/plan", &[("plan", "platinum-premium")])
        .await;
    delete(&owner, id).await;
    app.outbox_settled().await;
    assert!(app.scalar("SELECT count(*) FROM audit_events") >= 7);

    let mut secrets: Vec<String> = vec![PASSWORD.to_owned()];
    let session_key = app.cookie_in(&jar, "session").expect("the session cookie");
    assert!(session_key.len() >= 20, "{session_key}");
    secrets.push(session_key);
    for mail in app.smtp.received() {
        let text = mail.text();
        for token in text.split("token=").skip(1) {
            let token: String = token
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .collect();
            let hash = account_sharing::secrets::token_hash(&token);
            let hex: String = hash.iter().map(|byte| format!("{byte:02x}")).collect();
            use base64::Engine;
            let encoded = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&hash);
            secrets.extend([token, hex, encoded]);
        }
    }
    assert!(secrets.len() >= 8, "{secrets:?}");
    for secret in &secrets {
        let escaped = secret.replace('\'', "''");
        assert_eq!(
            app.scalar(&format!(
                "SELECT count(*) FROM audit_events e WHERE position('{escaped}' IN e::text) > 0"
            )),
            0,
            "{secret} is in the audit log"
        );
    }
}
