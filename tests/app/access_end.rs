//! Access that ends on a date (issue 11): set when inviting or editing, shown as "until …",
//! warned of a week before, and removed by the mail worker once the day is over, whether or not
//! anyone visits, with a record in the audit log. The clock moves; nothing sleeps for days.

use std::time::Duration;

use chrono::{Days, NaiveDate};
use reqwest::StatusCode;

use crate::{
    common::{PASSWORD, attribute, spawn_app, texts},
    notifications::subjects,
    sharing::{invite, own_master},
    workspace::member,
};

const DAY: Duration = Duration::from_secs(24 * 3600);

fn in_words(day: NaiveDate) -> String {
    day.format("%-d %B %Y").to_string()
}

/// Waits for the worker's next rounds, which run every two seconds.
async fn until_true(what: &str, check: impl Fn() -> bool) {
    for _ in 0..200 {
        if check() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("never happened: {what}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn access_ends_after_its_last_day_with_a_warning_a_week_before_and_nobody_visiting() {
    let app = spawn_app().await;
    app.owner("olive@example.com", "gold-premium").await;
    let master = own_master(&app).await;
    let today = app.settings.clock.now().date_naive();
    let last_day = today.checked_add_days(Days::new(10)).unwrap();
    let ends = last_day.to_string();
    let ann = member(
        &app,
        "ann@example.com",
        &[
            ("account_0", &master),
            ("role_0", "manager"),
            ("access_ends_on", &ends),
        ],
    )
    .await;
    let master_id = app.master_of("olive@example.com");
    assert_eq!(
        ann.get(&format!("/accounts/{master_id}")).await.status(),
        StatusCode::OK
    );

    // Shown on the sharing table, in the export and on the edit form.
    let (_, html) = app.get_html("/sharing").await;
    assert_eq!(
        texts(&html, ".share-table__until"),
        [format!("until {}", in_words(last_day))]
    );
    let csv = app.get("/sharing/export.csv").await.text().await.unwrap();
    assert!(
        csv.lines()
            .nth(1)
            .unwrap()
            .contains(&format!(",\"{ends}\",")),
        "{csv}"
    );
    let id = app.scalar("SELECT id FROM members WHERE email = 'ann@example.com'");
    let (_, form) = app.get_html(&format!("/sharing/people/{id}/edit")).await;
    assert_eq!(
        attribute(&form, "#access_ends_on", "value").as_deref(),
        Some(ends.as_str())
    );

    // Four days on, the last day is a week away: Ann is warned, once, and still works.
    app.settings.clock.advance(4 * DAY);
    let mails = app.mails_to("ann@example.com", 2).await.len();
    app.outbox_settled().await;
    assert_eq!(
        subjects(&app, "ann@example.com").last().unwrap(),
        "Your access to Olive Owner's account ends in a week"
    );
    let warning = app.smtp.received().last().unwrap().text();
    assert!(
        warning.contains(&format!("until the end of {}", in_words(last_day))),
        "{warning}"
    );
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(
        subjects(&app, "ann@example.com").len(),
        mails,
        "warned once"
    );
    ann.sign_in("ann@example.com", PASSWORD).await;
    assert_eq!(
        ann.get(&format!("/accounts/{master_id}")).await.status(),
        StatusCode::OK
    );

    // On the last day itself the access still holds; the day after, the worker removes it.
    app.settings.clock.advance(6 * DAY);
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(
        app.scalar("SELECT count(*) FROM members WHERE email = 'ann@example.com'"),
        1
    );
    app.settings.clock.advance(DAY);
    until_true("the access is removed", || {
        app.scalar("SELECT count(*) FROM members WHERE email = 'ann@example.com'") == 0
    })
    .await;
    app.mails_to("ann@example.com", mails + 1).await;
    assert_eq!(
        subjects(&app, "ann@example.com").last().unwrap(),
        "Your access to Olive Owner's account has ended"
    );
    assert_eq!(
        app.scalar(
            "SELECT count(*) FROM audit_events WHERE action = 'access_expired' \
             AND actor_person_id IS NULL AND target_email = 'ann@example.com' \
             AND before -> 'access' ->> 'until' = (SELECT to_char(current_date + 10, 'YYYY-MM-DD'))"
        ),
        1
    );
    ann.sign_in("ann@example.com", PASSWORD).await;
    assert_eq!(
        ann.get(&format!("/accounts/{master_id}")).await.status(),
        StatusCode::NOT_FOUND
    );
    app.sign_in("olive@example.com", PASSWORD).await;
    let (_, html) = app
        .get_html("/sharing/activity?action=access_expired")
        .await;
    assert_eq!(
        texts(&html, ".activity-table tbody th"),
        ["Access ended on its date"]
    );
    assert!(
        texts(&html, ".activity-table tbody td")
            .iter()
            .any(|cell| cell == "The service, on the date set")
    );
}

#[tokio::test]
async fn an_end_date_to_correct_is_said_beside_the_field_and_nothing_is_saved() {
    let app = spawn_app().await;
    app.owner("olive@example.com", "gold-premium").await;
    let master = own_master(&app).await;
    let yesterday = app
        .settings
        .clock
        .now()
        .date_naive()
        .pred_opt()
        .unwrap()
        .to_string();
    for (typed, message) in [
        (
            "31/03/2027",
            "Enter the date as year-month-day, for example 2027-03-31.",
        ),
        (
            yesterday.as_str(),
            "Choose today or a later date: the access would end before it starts.",
        ),
        (
            "2999-01-01",
            "Choose a date within the next ten years, or leave the field empty for access that does not end.",
        ),
    ] {
        let response = invite(
            &app,
            &[
                ("email", "ann@example.com"),
                ("account_0", &master),
                ("role_0", "manager"),
                ("access_ends_on", typed),
                ("action", "send"),
            ],
        )
        .await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{typed}"
        );
        let html = response.text().await.unwrap();
        assert_eq!(
            texts(&html, "#access_ends_on-error"),
            [format!("Error: {message}")]
        );
        assert_eq!(
            attribute(&html, "#access_ends_on", "value").as_deref(),
            Some(typed)
        );
        assert_eq!(
            attribute(&html, "#email", "value").as_deref(),
            Some("ann@example.com")
        );
    }
    assert_eq!(app.scalar("SELECT count(*) FROM members"), 0);
    assert_eq!(
        app.scalar("SELECT count(*) FROM outbox WHERE member_id IS NOT NULL"),
        0
    );

    // Editing: the same words, and the access stays as it was.
    member(
        &app,
        "bo@example.com",
        &[("account_0", &master), ("role_0", "manager")],
    )
    .await;
    let id = app.scalar("SELECT id FROM members WHERE email = 'bo@example.com'");
    let path = format!("/sharing/people/{id}/edit");
    let response = app
        .submit(
            &path,
            &path,
            &[
                ("account_0", &master),
                ("role_0", "accountant"),
                ("access_ends_on", &yesterday),
                ("action", "send"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app.scalar(
            "SELECT count(*) FROM grants g JOIN members m ON m.id = g.member_id \
             WHERE m.email = 'bo@example.com' AND g.role = 'manager' AND m.access_ends_on IS NULL"
        ),
        1
    );
    // A date in range is kept; emptying the field again makes the access open-ended.
    let next_year = app
        .settings
        .clock
        .now()
        .date_naive()
        .checked_add_days(Days::new(365))
        .unwrap()
        .to_string();
    for (date, expected) in [(next_year.as_str(), 1), ("", 0)] {
        let response = app
            .submit(
                &path,
                &path,
                &[
                    ("account_0", &master),
                    ("role_0", "manager"),
                    ("access_ends_on", date),
                    ("action", "send"),
                ],
            )
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            app.scalar(&format!(
                "SELECT count(*) FROM members WHERE email = 'bo@example.com' \
                 AND access_ends_on IS NOT DISTINCT FROM nullif('{date}', '')::date"
            )),
            1
        );
        assert_eq!(
            app.scalar(
                "SELECT count(*) FROM members WHERE email = 'bo@example.com' \
                 AND access_ends_on IS NOT NULL"
            ),
            expected
        );
    }
}
