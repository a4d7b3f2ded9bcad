//! The sharing table as a spreadsheet (issue 11): GET /sharing/export.csv with the page's
//! filters, one row per person and account, UTF-8 with a BOM, formulas neutralised, in the
//! owner's language, and for the owner alone.

use reqwest::StatusCode;

use crate::{
    common::{PASSWORD, TestApp, attribute, spawn_app},
    sharing::{invitation_link, invite_and_confirm, open_link, own_master},
    workspace::member,
};

async fn export(app: &TestApp, query: &str) -> (StatusCode, String, String, String) {
    let response = app.get(&format!("/sharing/export.csv{query}")).await;
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .map(|value| value.to_str().unwrap().to_owned())
            .unwrap_or_default()
    };
    let (content_type, disposition) = (header("content-type"), header("content-disposition"));
    (
        response.status(),
        content_type,
        disposition,
        response.text().await.unwrap(),
    )
}

#[tokio::test]
async fn the_export_has_a_row_per_person_and_account_honours_filters_and_neutralises_formulas() {
    let app = spawn_app().await;
    app.owner("olive@example.com", "gold-premium").await;
    app.submit("/account", "/account/sub-accounts", &[("name", "Shop")])
        .await;
    let master = own_master(&app).await;
    let shop = app.sub_account_value("Shop");

    // Ann: Manager on both accounts, active. Mallory: a name that is a formula. Pat: pending.
    let both = [
        ("account_0", master.as_str()),
        ("role_0", "manager"),
        ("account_1", shop.as_str()),
        ("role_1", "manager"),
    ];
    let ann = member(&app, "ann@example.com", &both).await;
    let one = [("account_0", master.as_str()), ("role_0", "accountant")];
    let mut fields = vec![("email", "mallory@example.com")];
    fields.extend_from_slice(&one);
    invite_and_confirm(&app, &fields).await;
    let link = invitation_link(&app, "mallory@example.com", 1).await;
    let mallory = app.another_visitor();
    open_link(&mallory, &link).await;
    mallory
        .submit(
            "/invitations/accept",
            "/invitations/accept/new-login",
            &[
                ("name", "=HYPERLINK(\"http://evil.test\")"),
                ("password", PASSWORD),
            ],
        )
        .await;
    let mut fields = vec![("email", "pat@example.com")];
    fields.extend_from_slice(&one);
    invite_and_confirm(&app, &fields).await;

    // The sharing page links to the export of what it shows.
    let (_, html) = app.get_html("/sharing?status=pending").await;
    assert_eq!(
        attribute(&html, "a[download]", "href").as_deref(),
        Some("/sharing/export.csv?status=pending")
    );

    let (status, content_type, disposition, body) = export(&app, "").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(content_type, "text/csv; charset=utf-8");
    assert_eq!(disposition, "attachment; filename=\"sharing.csv\"");
    assert!(
        body.starts_with('\u{feff}'),
        "a BOM, so spreadsheets read UTF-8"
    );
    let lines: Vec<&str> = body.trim_start_matches('\u{feff}').split("\r\n").collect();
    assert_eq!(
        lines[0],
        "\"Email address\",\"Name\",\"Status\",\"Account\",\"Role\",\"Areas\",\"Restrictions\",\
         \"Invited at (UTC)\",\"Accepted at (UTC)\",\"Last sign-in (UTC)\",\"Last activity (UTC)\",\
         \"Access ends\",\"Two-factor authentication\""
    );
    // Whether each login has a second factor: known once they have one (issue 22).
    assert!(lines[1].ends_with(",\"No\""), "{}", lines[1]);
    let rows: Vec<&str> = lines[1..]
        .iter()
        .copied()
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(rows.len(), 4, "Ann twice, Mallory and Pat once: {rows:#?}");
    assert!(rows[0].starts_with("\"ann@example.com\",\"ann@example.com\",\"Active\",\"Master account\",\"Manager\",\"Campaigns; "));
    assert!(
        rows[1]
            .starts_with("\"ann@example.com\",\"ann@example.com\",\"Active\",\"Shop\",\"Manager\"")
    );
    assert!(
        rows[2].starts_with(
            "\"mallory@example.com\",\"'=HYPERLINK(\"\"http://evil.test\"\")\",\"Active\""
        ),
        "{}",
        rows[2]
    );
    assert!(rows[3].starts_with(
        "\"pat@example.com\",\"\",\"Pending\",\"Master account\",\"Accountant\",\"Billing\""
    ));

    // The page's filters hold.
    let (_, _, _, pending) = export(&app, "?status=pending").await;
    assert_eq!(
        pending.matches("\r\n").count(),
        2,
        "the header and Pat: {pending}"
    );
    assert!(pending.contains("pat@example.com") && !pending.contains("ann@example.com"));
    let (status, _, _, _) = export(&app, "?role=king").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    // In the owner's language.
    app.submit(
        "/sharing",
        "/language",
        &[("lang", "fr"), ("back", "/sharing")],
    )
    .await;
    let (_, _, _, french) = export(&app, "").await;
    assert!(
        french
            .trim_start_matches('\u{feff}')
            .starts_with("\"Adresse email\",\"Nom\",\"Statut\""),
        "{french}"
    );
    assert!(french.contains("\"Compte principal\",\"Administrateur\""));

    // The owner's alone: a person with access gets 403, a visitor is sent to sign in.
    let (status, _, _, _) = export(&ann, "").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _, _) = export(&app.another_visitor(), "").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
}
