//! The pages issue 20 made faster render the same HTML, byte for byte, as before it: both seeds,
//! the clock stopped, the data's times set to fixed values, and only the per-session form token
//! masked. The pages as they were are kept in `tests/golden/`; `GOLDEN_UPDATE=1` rewrites them
//! (for a change that means to alter a page), and a difference is written to `target/golden/`
//! for `diff`.

use std::path::PathBuf;

use account_sharing::services::seed::{AGENCY, ENTERPRISE, SEED_PASSWORD, Shape};
use chrono::{DateTime, TimeZone, Utc};
use reqwest::StatusCode;

use crate::common::{TestApp, spawn_app};

fn stopped_at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2030, 1, 15, 12, 0, 0).unwrap()
}

/// Times written by PostgreSQL's `now()` (column defaults) rather than the stopped clock are
/// years before it: they become one fixed time, two days before the clock.
fn fix_the_times(app: &TestApp) {
    #[derive(diesel::QueryableByName)]
    struct Column {
        #[diesel(sql_type = diesel::sql_types::Text)]
        table_name: String,
        #[diesel(sql_type = diesel::sql_types::Text)]
        column_name: String,
    }
    use diesel::RunQueryDsl;
    let mut conn = app.connection();
    // The audit log refuses updates by trigger; this connection sets times, not records.
    diesel::sql_query("SET session_replication_role = replica")
        .execute(&mut conn)
        .unwrap();
    let columns: Vec<Column> = diesel::sql_query(
        "SELECT table_name::text, column_name::text FROM information_schema.columns \
         WHERE table_schema = 'public' AND data_type = 'timestamp with time zone'",
    )
    .load(&mut conn)
    .unwrap();
    let at = stopped_at();
    for Column {
        table_name,
        column_name,
    } in columns
    {
        diesel::sql_query(format!(
            "UPDATE {table_name} SET {column_name} = '{at}'::timestamptz - interval '2 days' \
             WHERE {column_name} < '{at}'::timestamptz - interval '300 days'"
        ))
        .execute(&mut conn)
        .unwrap();
    }
}

/// The page with its form tokens (one per session) masked.
fn comparable(html: &str) -> String {
    let marker = "name=\"csrf_token\" value=\"";
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(marker) {
        let (before, after) = rest.split_at(at + marker.len());
        out.push_str(before);
        out.push_str("CSRF");
        rest = &after[after.find('"').unwrap()..];
    }
    out.push_str(rest);
    out
}

async fn pages_of(app: &TestApp, shape: &Shape, name: &str) -> Vec<(String, String)> {
    let owner = app.another_visitor();
    owner.sign_in(shape.owner_email, SEED_PASSWORD).await;
    let master = app.master_of(shape.owner_email);
    let everywhere = app.scalar(&format!(
        "SELECT m.id FROM members m WHERE m.master_account_id = {master} \
         ORDER BY (SELECT count(*) FROM grants g WHERE g.member_id = m.id) DESC, m.id LIMIT 1"
    ));
    let pages = [
        ("sharing", "/sharing".to_owned()),
        ("sharing-page-2", "/sharing?page=2".to_owned()),
        (
            "sharing-search",
            "/sharing?q=person00&status=active".to_owned(),
        ),
        (
            "sharing-role",
            "/sharing?role=developer&sort=activity".to_owned(),
        ),
        ("invite", "/sharing/invite".to_owned()),
        ("edit", format!("/sharing/people/{everywhere}/edit")),
        ("activity", "/sharing/activity".to_owned()),
        ("account", format!("/accounts/{master}")),
        ("sharing-de", "/sharing".to_owned()),
        ("activity-de", "/sharing/activity".to_owned()),
    ];
    let pages_in_english = pages
        .iter()
        .filter(|(page, _)| !page.ends_with("-de"))
        .count();
    let mut rendered = Vec::new();
    for (page, path) in pages {
        if page.ends_with("-de") && rendered.len() == pages_in_english {
            let switched = (owner)
                .submit(
                    "/sharing",
                    "/language",
                    &[("lang", "de"), ("back", "/sharing")],
                )
                .await;
            assert_eq!(switched.status(), StatusCode::SEE_OTHER);
        }
        let response = owner.get(&path).await;
        // The agency has one page of people: its page 2 is a redirect, and that is compared.
        let html = match response.status() {
            StatusCode::OK => response.text().await.unwrap(),
            StatusCode::SEE_OTHER => format!("303 {}", crate::common::location(&response)),
            status => panic!("{path}: {status}"),
        };
        rendered.push((format!("{name}-{page}.html"), comparable(&html)));
    }
    rendered
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_faster_pages_render_the_same_html_as_before() {
    let app = spawn_app().await;
    app.settings.clock.stop_at(stopped_at());
    app.seed(&AGENCY).await;
    app.seed(&ENTERPRISE).await;
    app.outbox_settled().await;
    fix_the_times(&app);
    let mut rendered = pages_of(&app, &AGENCY, "agency").await;
    rendered.extend(pages_of(&app, &ENTERPRISE, "enterprise").await);

    let golden = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let update = std::env::var("GOLDEN_UPDATE").is_ok_and(|v| v == "1");
    let differing = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/golden");
    let mut differences = Vec::new();
    for (file, html) in &rendered {
        let path = golden.join(file);
        if update {
            std::fs::create_dir_all(&golden).unwrap();
            std::fs::write(&path, html).unwrap();
            continue;
        }
        let before = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e} (GOLDEN_UPDATE=1 writes it)", path.display()));
        if &before != html {
            std::fs::create_dir_all(&differing).unwrap();
            std::fs::write(differing.join(file), html).unwrap();
            let line = before
                .lines()
                .zip(html.lines())
                .position(|(was, is)| was != is)
                .map_or(before.lines().count().min(html.lines().count()), |n| n);
            differences.push(format!("{file} (from line {})", line + 1));
        }
    }
    assert!(
        differences.is_empty(),
        "pages differ from tests/golden/ (the new ones are in target/golden/): {differences:?}"
    );
}
