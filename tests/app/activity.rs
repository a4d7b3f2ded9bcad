//! Last activity (issue 11): the last request a person made inside this owner's accounts, on
//! the sharing table beside Last sign-in, sortable, written at most once every 5 minutes per
//! person and account, so most page views write nothing.

use std::time::Duration;

use reqwest::StatusCode;

use crate::{
    common::{spawn_app, texts},
    sharing::own_master,
    workspace::member,
};

/// The last-activity cell of each person's row on the sharing page, owner first.
async fn activity_cells(owner: &crate::common::TestApp, query: &str) -> Vec<(String, String)> {
    let (status, html) = owner.get_html(&format!("/sharing{query}")).await;
    assert_eq!(status, StatusCode::OK);
    let people = texts(&html, "tbody th[scope=row]");
    let activity = texts(&html, "tbody td[data-label='Last activity']");
    people
        .into_iter()
        .map(|person| person.split_whitespace().next().unwrap().to_owned())
        .zip(activity)
        .collect()
}

#[tokio::test]
async fn last_activity_is_kept_to_5_minutes_shown_and_sortable() {
    let app = spawn_app().await;
    app.owner("olive@example.com", "gold-premium").await;
    let master = own_master(&app).await;
    let fields = [("account_0", master.as_str()), ("role_0", "manager")];
    let ann = member(&app, "ann@example.com", &fields).await;
    let _bob = member(&app, "bob@example.com", &fields).await;
    // Their acceptances are mailed to the owner; the outbox must be still while we compare.
    app.outbox_settled().await;
    let activity = |email: &str| {
        app.scalar(&format!(
            "SELECT coalesce(extract(epoch FROM last_activity_at)::bigint, 0) FROM members \
             WHERE email = '{email}'"
        ))
    };
    // Accepting is not activity inside the account; opening it is.
    assert_eq!(activity("ann@example.com"), 0);
    let home = format!("/accounts/{master}");
    assert_eq!(ann.get(&home).await.status(), StatusCode::OK);
    let first = activity("ann@example.com");
    assert!(first > 0);

    // Within 5 minutes page views write nothing. (The first one after the clock moved slides
    // the session's idle limit, which is written at most once a minute.)
    app.settings.clock.advance(Duration::from_secs(4 * 60));
    assert_eq!(ann.get(&home).await.status(), StatusCode::OK);
    let before = app.database_fingerprint();
    for page in [home.clone(), format!("{home}/areas/contacts")] {
        assert_eq!(ann.get(&page).await.status(), StatusCode::OK, "{page}");
    }
    app.assert_unchanged_since(&before, "page views within 5 minutes of the last record");
    assert_eq!(activity("ann@example.com"), first);

    // Past 5 minutes the next one moves it, once.
    app.settings.clock.advance(Duration::from_secs(2 * 60));
    assert_eq!(ann.get(&home).await.status(), StatusCode::OK);
    let second = activity("ann@example.com");
    assert!(second >= first + 6 * 60, "{first} then {second}");

    // The owner sees it beside Last sign-in; Bob never opened an account.
    let cells = activity_cells(&app, "").await;
    assert_eq!(cells[1].0, "ann@example.com");
    assert_ne!(cells[1].1, "Never");
    assert_eq!(cells[2], ("bob@example.com".to_owned(), "Never".to_owned()));

    // Sorted by activity: most recent first, never-active last; the header links to each order.
    let _carl = member(&app, "carl@example.com", &fields).await;
    let (_, html) = app.get_html("/sharing").await;
    assert_eq!(
        crate::common::attribute(&html, "th[scope=col] a[href*=sort]", "href").as_deref(),
        Some("/sharing?sort=activity")
    );
    let sorted = activity_cells(&app, "?sort=activity").await;
    let order: Vec<&str> = sorted.iter().map(|(email, _)| email.as_str()).collect();
    assert_eq!(
        order,
        [
            "olive@example.com",
            "ann@example.com",
            "bob@example.com",
            "carl@example.com"
        ]
    );
    let (_, html) = app.get_html("/sharing?sort=activity").await;
    assert_eq!(
        crate::common::attribute(&html, "th[aria-sort=descending] a", "href").as_deref(),
        Some("/sharing")
    );
    // An order the page does not offer is refused in words.
    let (status, html) = app.get_html("/sharing?sort=salary").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        texts(&html, "main p")
            .iter()
            .any(|p| p.starts_with("That filter is not one the page offers")),
        "{html}"
    );
}
