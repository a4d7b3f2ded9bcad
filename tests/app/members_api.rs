//! The members API and personal access tokens (issue 19; INTEGRATION.md S16, S17): a token
//! made in My account, shown once; every route driven over real HTTP; the same rules as the
//! pages (quotas under the lock, the audit log, mail); the IDOR matrix; Idempotency-Key.

use std::collections::BTreeMap;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::{
    common::{Request, TestApp, at_once, attribute, csrf_token, spawn_app, texts},
    sharing::invite_manager,
    sharing_rules::manager_invitation,
    workspace::member,
};

/// Makes a token in My account → API tokens as a person does, and reads it off the page.
pub async fn make_token(person: &TestApp, account: &str, name: &str, scopes: &[&str]) -> String {
    let mut fields = vec![("name", name), ("account", account), ("lifetime", "30")];
    for scope in scopes {
        fields.push(match *scope {
            "people:read" => ("scope_people_read", "on"),
            "people:write" => ("scope_people_write", "on"),
            "activity:read" => ("scope_activity_read", "on"),
            other => panic!("no such scope {other}"),
        });
    }
    let response = person
        .submit("/account/tokens", "/account/tokens", &fields)
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let html = response.text().await.unwrap();
    attribute(&html, "#token", "value").expect("the token is shown once")
}

/// One API call with a bearer token; the answer's status and JSON (`Null` for none).
pub async fn call(
    app: &TestApp,
    token: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut request = reqwest::Client::new()
        .request(method, app.url(path))
        .header("Authorization", format!("Bearer {token}"));
    if let Some(body) = body {
        request = request
            .header("Content-Type", "application/json")
            .body(body.to_string());
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

fn people_path(master: &str) -> String {
    format!("/api/v1/accounts/{master}/people")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_made_in_my_account_drives_every_route_of_the_members_api() {
    let app = spawn_app().await;
    app.owner("olive@example.com", "gold-premium").await;
    let master = app.master_of("olive@example.com");
    app.submit("/account", "/account/sub-accounts", &[("name", "Shop")])
        .await;
    let shop = app.scalar("SELECT id FROM sub_accounts WHERE name = 'Shop'");

    // The form offers the owner's account and the three scopes; the token is shown once.
    let (status, form) = app.get_html("/account/tokens").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        texts(&form, "#account option").len(),
        1,
        "one account: {form}"
    );
    let token = make_token(
        &app,
        &master,
        "onboarding script",
        &["people:read", "people:write", "activity:read"],
    )
    .await;
    assert!(token.starts_with("asp_") && token.len() == 47, "{token}");
    assert!(!app.database_contains(&token), "only its hash is stored");
    let (_, list) = app.get_html("/account/tokens").await;
    assert!(!list.contains(&token), "never shown again");
    assert!(list.contains(&token[..8]), "its hint names it");

    // Invite: 201 with the person, in exactly S17's shape.
    let (status, person) = call(
        &app,
        &token,
        Method::POST,
        &people_path(&master),
        Some(json!({
            "email": "Ada@Example.com",
            "accesses": [
                {"account": format!("{master}/{shop}"), "role": "custom", "areas": ["campaigns", "statistics"]},
                {"account": master, "role": "marketer", "restrictions": ["drafts_only"]},
            ],
            "ends_on": "2030-03-31"
        })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{person}");
    let id = person["id"].as_i64().unwrap();
    assert_eq!(person["email"], "ada@example.com");
    assert_eq!(person["status"], "pending");
    assert_eq!(person["ends_on"], "2030-03-31");
    assert_eq!(person["last_sign_in"], Value::Null);
    assert_eq!(
        person["accesses"],
        json!([
            {"account": master, "role": "marketer", "restrictions": ["drafts_only"]},
            {"account": format!("{master}/{shop}"), "role": "custom", "areas": ["campaigns", "statistics"]},
        ])
    );
    app.smtp.wait_for(2).await;
    assert!(
        app.smtp
            .received()
            .iter()
            .any(|mail| mail.envelope_to.iter().any(|to| to == "ada@example.com")),
        "the invitation mail went out as from the page"
    );

    // List, with filters and cursor paging; show.
    for email in ["bea@example.com", "cy@example.com"] {
        let (status, _) = call(
            &app,
            &token,
            Method::POST,
            &people_path(&master),
            Some(json!({"email": email, "accesses": [{"account": master, "role": "manager"}]})),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED);
    }
    let (status, page) = call(
        &app,
        &token,
        Method::GET,
        &format!("{}?limit=2", people_path(&master)),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(page["people"].as_array().unwrap().len(), 2);
    let next = page["next"].as_str().unwrap().to_owned();
    let (_, rest) = call(
        &app,
        &token,
        Method::GET,
        &format!("{}?limit=2&after={next}", people_path(&master)),
        None,
    )
    .await;
    assert_eq!(rest["people"][0]["email"], "cy@example.com");
    assert_eq!(rest["next"], Value::Null);
    let (_, managers) = call(
        &app,
        &token,
        Method::GET,
        &format!("{}?role=manager&q=bea", people_path(&master)),
        None,
    )
    .await;
    assert_eq!(managers["people"].as_array().unwrap().len(), 1);
    let (status, shown) = call(
        &app,
        &token,
        Method::GET,
        &format!("{}/{id}", people_path(&master)),
        None,
    )
    .await;
    assert_eq!(
        (status, &shown["email"]),
        (StatusCode::OK, &json!("ada@example.com"))
    );

    // Edit: the end date alone, then the accesses; what is left out stays.
    let (status, edited) = call(
        &app,
        &token,
        Method::PATCH,
        &format!("{}/{id}", people_path(&master)),
        Some(json!({"ends_on": null})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{edited}");
    assert_eq!(edited["ends_on"], Value::Null);
    assert_eq!(edited["accesses"].as_array().unwrap().len(), 2);
    let (status, edited) = call(
        &app,
        &token,
        Method::PATCH,
        &format!("{}/{id}", people_path(&master)),
        Some(json!({"accesses": [{"account": master, "role": "developer"}]})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{edited}");
    assert_eq!(
        edited["accesses"],
        json!([{"account": master, "role": "developer"}])
    );

    // Re-send, then the activity log names the token that acted.
    let (status, resent) = call(
        &app,
        &token,
        Method::POST,
        &format!("{}/{id}/resend", people_path(&master)),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{resent}");
    let (status, activity) = call(
        &app,
        &token,
        Method::GET,
        &format!("/api/v1/accounts/{master}/activity?limit=2"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{activity}");
    assert_eq!(activity["events"][0]["action"], "invitation_resent");
    assert_eq!(activity["events"][1]["action"], "access_edited");
    let acted = activity["events"][0]["actor_token"].as_str().unwrap();
    assert!(
        acted.starts_with("onboarding script (asp_") && !acted.contains(&token),
        "{acted}"
    );
    assert!(activity["next"].is_string());
    let (_, page) = app.get_html("/sharing/activity").await;
    assert!(
        page.contains("through the API token onboarding script (asp_"),
        "the Activity page says which token acted"
    );

    // Delete access: 204, then not found.
    let (status, _) = call(
        &app,
        &token,
        Method::DELETE,
        &format!("{}/{id}", people_path(&master)),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, problem) = call(
        &app,
        &token,
        Method::GET,
        &format!("{}/{id}", people_path(&master)),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(problem["status"], 404);

    // Last used: when and from where, on the list.
    let (_, list) = app.get_html("/account/tokens").await;
    assert!(list.contains("127.0.0.1"), "{list}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_are_problem_documents_per_field_in_the_token_owners_language() {
    let app = spawn_app().await;
    app.owner("olive@example.com", "gold-premium").await;
    let master = app.master_of("olive@example.com");
    let token = make_token(&app, &master, "script", &["people:write"]).await;
    let (status, problem) = call(
        &app,
        &token,
        Method::POST,
        &people_path(&master),
        Some(json!({
            "email": "not an address",
            "accesses": [{"account": "999999", "role": "boss"}, {"account": master, "role": "superuser"}],
            "ends_on": "2001-01-01"
        })),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let pointers: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["pointer"].as_str().unwrap())
        .collect();
    assert_eq!(
        pointers,
        [
            "/email",
            "/ends_on",
            "/accesses/0/account",
            "/accesses/1/role"
        ]
    );
    assert_eq!(app.scalar("SELECT count(*) FROM members"), 0);

    // The owner reads French: so do the API's details.
    app.execute("UPDATE people SET locale = 'fr'");
    let (_, problem) = call(
        &app,
        &token,
        Method::POST,
        &people_path(&master),
        Some(json!({"email": "x", "accesses": [{"account": master, "role": "manager"}]})),
    )
    .await;
    let detail = problem["errors"][0]["detail"].as_str().unwrap();
    assert!(detail.contains("adresse"), "a French message: {detail}");

    // Unknown fields, duplicate keys, the wrong type: refused, nothing written.
    for body in [
        r#"{"email": "a@example.com", "accesses": [], "admin": true}"#,
        r#"{"email": "a@example.com", "email": "b@example.com", "accesses": []}"#,
        r#"{"email": 7, "accesses": []}"#,
    ] {
        let response = reqwest::Client::new()
            .post(app.url(&people_path(&master)))
            .header("Authorization", format!("Bearer {token}"))
            .header("Content-Type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(
            response.headers()["content-type"],
            "application/problem+json"
        );
    }
    assert_eq!(app.scalar("SELECT count(*) FROM members"), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_idempotency_key_answers_the_first_answer_and_never_invites_twice() {
    let app = spawn_app().await;
    app.owner("olive@example.com", "gold-premium").await;
    let master = app.master_of("olive@example.com");
    let token = make_token(&app, &master, "script", &["people:write"]).await;
    let send = |key: &'static str, email: &'static str| {
        let (url, token, master) = (
            app.url(&people_path(&master)),
            token.clone(),
            master.clone(),
        );
        async move {
            let response = reqwest::Client::new()
                .post(url)
                .header("Authorization", format!("Bearer {token}"))
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", key)
                .body(
                    json!({"email": email, "accesses": [{"account": master, "role": "manager"}]})
                        .to_string(),
                )
                .send()
                .await
                .unwrap();
            let replayed = response.headers().contains_key("idempotent-replayed");
            (response.status(), replayed, response.text().await.unwrap())
        }
    };
    let (first, replayed, body) = send("k-1", "ada@example.com").await;
    assert_eq!((first, replayed), (StatusCode::CREATED, false));
    let (again, replayed, same) = send("k-1", "ada@example.com").await;
    assert_eq!((again, replayed), (StatusCode::CREATED, true));
    assert_eq!(body, same);
    assert_eq!(app.scalar("SELECT count(*) FROM members"), 1);
    let (other, _, _) = send("k-1", "bea@example.com").await;
    assert_eq!(
        other,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a key reused for another request"
    );
    assert_eq!(app.scalar("SELECT count(*) FROM members"), 1);

    // Ten retries at once under one key: one invitation, the rest the same answer or "under way".
    let requests: Vec<Request<(StatusCode, bool, String)>> = (0..10)
        .map(|_| Box::pin(send("k-2", "cy@example.com")) as Request<_>)
        .collect();
    let raced = at_once(requests).await;
    assert!(
        raced
            .results
            .iter()
            .all(|(status, ..)| *status == StatusCode::CREATED || *status == StatusCode::CONFLICT),
        "{:?}",
        raced.results
    );
    assert_eq!(
        app.scalar("SELECT count(*) FROM members WHERE email = 'cy@example.com'"),
        1
    );
}

/// Every route of the members API, with a body a writer would send.
fn routes(master: &str, id: i64) -> Vec<(Method, String, Option<Value>)> {
    let people = people_path(master);
    let access = json!([{"account": master, "role": "manager"}]);
    vec![
        (Method::GET, people.clone(), None),
        (
            Method::POST,
            people.clone(),
            Some(json!({"email": "new@example.com", "accesses": access})),
        ),
        (
            Method::POST,
            format!("{people}/batch"),
            Some(json!({"emails": ["new2@example.com"], "accesses": access})),
        ),
        (Method::GET, format!("{people}/{id}"), None),
        (
            Method::PATCH,
            format!("{people}/{id}"),
            Some(json!({"ends_on": null})),
        ),
        (Method::POST, format!("{people}/{id}/resend"), None),
        (
            Method::GET,
            format!("/api/v1/accounts/{master}/activity"),
            None,
        ),
        (Method::DELETE, format!("{people}/{id}"), None),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_idor_matrix_covers_every_route() {
    let all = ["people:read", "people:write", "activity:read"];
    let app = spawn_app().await;
    app.owner("olive@example.com", "gold-premium").await;
    let olive = app.master_of("olive@example.com");
    let manager = member(
        &app,
        "max@example.com",
        &[("account_0", olive.as_str()), ("role_0", "manager")],
    )
    .await;
    let max_access = app.scalar("SELECT id FROM members WHERE email = 'max@example.com'");
    invite_manager(&app, "pat@example.com").await;
    let pat = app.scalar("SELECT id FROM members WHERE email = 'pat@example.com'");
    let olives = make_token(&app, &olive, "olive", &all).await;
    let reader = make_token(&app, &olive, "reader", &["people:read"]).await;
    let max = make_token(&manager, &olive, "max", &all).await;

    let other = app.another_visitor();
    other.owner("tom@example.com", "gold-premium").await;
    let tom = app.master_of("tom@example.com");
    let toms = make_token(&other, &tom, "tom", &all).await;
    let (status, toms_person) = call(
        &other,
        &toms,
        Method::POST,
        &people_path(&tom),
        Some(json!({"email": "tp@example.com", "accesses": [{"account": tom, "role": "manager"}]})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let toms_person = toms_person["id"].as_i64().unwrap();
    app.outbox_settled().await;
    // What a refused call may change: its token's "last used", and the count of writes tried
    // through it (an id guessed is a write tried).
    let data = |app: &TestApp| -> Vec<(String, i64, String)> {
        app.database_fingerprint()
            .into_iter()
            .filter(|(table, ..)| table != "personal_tokens" && table != "rate_limits")
            .collect()
    };
    let before = data(&app);

    for (method, path, body) in routes(&olive, pat) {
        let (status, problem) = call(&app, &toms, method.clone(), &path, body.clone()).await;
        assert_eq!(
            status,
            StatusCode::NOT_FOUND,
            "another owner's token: {method} {path}"
        );
        assert_eq!(problem["status"], 404);
        let (status, _) = call(&app, &max, method.clone(), &path, body.clone()).await;
        assert_eq!(
            status,
            StatusCode::FORBIDDEN,
            "a Manager's token: {method} {path}"
        );
        if method != Method::GET {
            let (status, _) = call(&app, &reader, method.clone(), &path, body.clone()).await;
            assert_eq!(
                status,
                StatusCode::FORBIDDEN,
                "people:read only: {method} {path}"
            );
        }
        let (status, _) = call(&app, "asp_not-a-token", method.clone(), &path, body.clone()).await;
        assert_eq!(
            status,
            StatusCode::UNAUTHORIZED,
            "no token: {method} {path}"
        );
    }
    // Olive's own token, on Tom's person by id, through her account: not found, as on the pages.
    for (method, path, body) in routes(&olive, toms_person)
        .into_iter()
        .filter(|(_, path, _)| path.contains(&format!("/{toms_person}")))
    {
        let (status, _) = call(&app, &olives, method.clone(), &path, body).await;
        assert_eq!(
            status,
            StatusCode::NOT_FOUND,
            "another owner's person: {method} {path}"
        );
    }
    assert_eq!(data(&app), before, "refused calls changed nothing");

    // Delete access: the Manager's token dies with it (401, no longer 403).
    let (status, _) = call(
        &app,
        &olives,
        Method::DELETE,
        &format!("{}/{max_access}", people_path(&olive)),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    for (method, path, body) in routes(&olive, pat) {
        let (status, _) = call(&app, &max, method.clone(), &path, body).await;
        assert_eq!(
            status,
            StatusCode::UNAUTHORIZED,
            "after Delete access: {method} {path}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_dies_when_revoked_or_expired() {
    let app = spawn_app().await;
    app.owner("olive@example.com", "gold-premium").await;
    let master = app.master_of("olive@example.com");
    let token = make_token(&app, &master, "short-lived", &["people:read"]).await;
    let list = people_path(&master);
    assert_eq!(
        call(&app, &token, Method::GET, &list, None).await.0,
        StatusCode::OK
    );
    app.execute("UPDATE personal_tokens SET expires_at = now() - interval '1 second'");
    assert_eq!(
        call(&app, &token, Method::GET, &list, None).await.0,
        StatusCode::UNAUTHORIZED
    );
    let (_, page) = app.get_html("/account/tokens").await;
    assert!(page.contains("Expired"), "{page}");

    let token = make_token(&app, &master, "to revoke", &["people:read"]).await;
    let id = app.scalar("SELECT max(id) FROM personal_tokens");
    let (status, confirm) = app.get_html(&format!("/account/tokens/{id}/revoke")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(texts(&confirm, "h1"), ["Revoke the token “to revoke”?"]);
    let response = app
        .post_raw(
            &format!("/account/tokens/{id}/revoke"),
            &[("csrf_token", &csrf_token(&confirm))],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        call(&app, &token, Method::GET, &list, None).await.0,
        StatusCode::UNAUTHORIZED
    );
    // Someone else's token cannot be revoked from here.
    let other = app.another_visitor();
    other.owner("tom@example.com", "free").await;
    let (status, _) = other
        .get_html(&format!("/account/tokens/{id}/revoke"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_token_form_keeps_what_was_typed_and_says_what_is_wrong() {
    let app = spawn_app().await;
    app.owner("olive@example.com", "gold-premium").await;
    let response = app
        .submit(
            "/account/tokens",
            "/account/tokens",
            &[("name", "  "), ("account", "999"), ("lifetime", "3650")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert_eq!(
        texts(&html, ".error-summary a"),
        [
            "Enter a name for the token",
            "Choose the account the token works on",
            "Choose at least one thing the token may do",
            "Choose when the token expires",
        ]
    );
    assert_eq!(app.scalar("SELECT count(*) FROM personal_tokens"), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_api_and_fifty_page_invitations_at_the_last_seat_admit_exactly_one() {
    let app = spawn_app().await;
    app.owner("vic@example.com", "crystal-premium").await;
    let master = app.master_of("vic@example.com");
    let token = make_token(&app, &master, "race", &["people:write"]).await;
    for i in 0..4 {
        invite_manager(&app, &format!("seat{i}@example.com")).await;
    }
    let (_, html) = app.get_html("/sharing").await;
    let csrf = csrf_token(&html);
    let mut requests: Vec<Request<StatusCode>> = Vec::new();
    for i in 0..50 {
        let (url, token, account) = (
            app.url(&people_path(&master)),
            token.clone(),
            master.clone(),
        );
        requests.push(Box::pin(async move {
            reqwest::Client::new()
                .post(url)
                .header("Authorization", format!("Bearer {token}"))
                .header("Content-Type", "application/json")
                .body(json!({"email": format!("api{i}@example.com"), "accesses": [{"account": account, "role": "manager"}]}).to_string())
                .send()
                .await
                .unwrap()
                .status()
        }));
        let mut fields = manager_invitation(&master, format!("page{i}@example.com"));
        fields.push(("csrf_token".into(), csrf.clone()));
        let (client, url) = (app.client.clone(), app.url("/sharing/invite"));
        requests.push(Box::pin(async move {
            client
                .post(url)
                .form(&fields)
                .send()
                .await
                .unwrap()
                .status()
        }));
    }
    let raced = at_once(requests).await;
    let admitted = raced
        .results
        .iter()
        .filter(|s| **s == StatusCode::CREATED || **s == StatusCode::SEE_OTHER)
        .count();
    assert_eq!(admitted, 1, "{:?}", raced.results);
    assert!(
        raced.results.iter().all(|s| [
            StatusCode::CREATED,
            StatusCode::SEE_OTHER,
            StatusCode::UNPROCESSABLE_ENTITY
        ]
        .contains(s)),
        "{:?}",
        raced.results
    );
    assert_eq!(app.scalar("SELECT count(*) FROM members"), 5);
}

#[test]
fn every_api_route_is_in_the_openapi_document() {
    let described = account_sharing::routes::openapi::described_paths();
    let api: Vec<_> = account_sharing::routes::endpoints(false)
        .into_iter()
        .filter(|endpoint| endpoint.path.starts_with("/api/"))
        .collect();
    assert!(api.len() >= 9, "{api:?}");
    for endpoint in api {
        assert!(
            described.contains(&(endpoint.method.to_string(), endpoint.path.to_owned())),
            "{} {} is not in /api/v1/openapi.json",
            endpoint.method,
            endpoint.path
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_openapi_document_is_valid_openapi_3_1() {
    let app = spawn_app().await;
    let response = app.get("/api/v1/openapi.json").await;
    assert_eq!(response.status(), StatusCode::OK);
    let document = response.text().await.unwrap();
    let parsed: Value = serde_json::from_str(&document).unwrap();
    assert_eq!(parsed["openapi"], "3.1.0");
    let path = std::env::temp_dir().join(format!("openapi-{}.json", std::process::id()));
    std::fs::write(&path, &document).unwrap();
    let validator = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(".data/venv/bin/openapi-spec-validator");
    let output = std::process::Command::new(&validator)
        .arg(&path)
        .output()
        .unwrap_or_else(|e| panic!("{} (./dev test installs it): {e}", validator.display()));
    let _ = std::fs::remove_file(&path);
    assert!(
        output.status.success(),
        "openapi-spec-validator: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// One bad request to the members API: method, path, headers, body bytes.
struct BadCall {
    what: String,
    method: Method,
    path: String,
    headers: Vec<(&'static str, String)>,
    body: Option<Vec<u8>>,
}

/// The members API's bad-input corpus: every body field, query parameter, path id and header
/// a script at the edge gets wrong.
fn bad_calls(master: &str, sub: i64, member: i64, token: &str) -> Vec<BadCall> {
    let people = people_path(master);
    let json = |what: String, method: Method, path: &str, body: String| BadCall {
        what,
        method,
        path: path.to_owned(),
        headers: vec![("Content-Type", "application/json".to_owned())],
        body: Some(body.into_bytes()),
    };
    let mut calls = Vec::new();
    // One field of an invitation wrong at a time.
    let invitation = |field: &str, value: &str| -> String {
        let mut object = vec![
            ("email", "\"new@example.com\"".to_owned()),
            (
                "accesses",
                format!(r#"[{{"account": "{master}", "role": "manager"}}]"#),
            ),
        ];
        match object.iter_mut().find(|(name, _)| *name == field) {
            Some((_, old)) => *old = value.to_owned(),
            None => object.push((
                Box::leak(field.to_owned().into_boxed_str()),
                value.to_owned(),
            )),
        }
        let inner: Vec<String> = object
            .iter()
            .map(|(name, value)| format!("\"{name}\": {value}"))
            .collect();
        format!("{{{}}}", inner.join(", "))
    };
    let long_address = format!("\"{}@example.com\"", "a".repeat(300));
    let emails: Vec<&str> = vec![
        "\"\"",
        "\" \"",
        "\"a\"",
        "\"a@\"",
        "\"@example.com\"",
        "\"a@b\"",
        "\"a@@example.com\"",
        "\"a@[127.0.0.1]\"",
        "\"a@127.0.0.1\"",
        "\"a\\n@example.com\"",
        "\"a@example.com\\r\\nBcc: x@example.com\"",
        "\"a\\u0000@example.com\"",
        "\"a\\u200b@example.com\"",
        "\"a b@example.com\"",
        "7",
        "null",
        "[]",
        "{}",
        "true",
        "[\"a@example.com\"]",
        &long_address,
    ];
    for value in emails {
        calls.push(json(
            format!("email {value:.40}"),
            Method::POST,
            &people,
            invitation("email", value),
        ));
    }
    let access = |fields: &str| format!("[{{{fields}}}]");
    let long_account = format!("\"{}\"", "1".repeat(5_000));
    let accesses: Vec<String> = vec![
        "[]".into(),
        "null".into(),
        "\"manager\"".into(),
        "{}".into(),
        "[{}]".into(),
        "[null]".into(),
        "[1]".into(),
        access(&format!("\"account\": \"{master}\"")),
        access("\"role\": \"manager\""),
        access("\"account\": \"999999\", \"role\": \"manager\""),
        access(&format!(
            "\"account\": \"{master}/999999\", \"role\": \"manager\""
        )),
        access("\"account\": \"0\", \"role\": \"manager\""),
        access("\"account\": \"-1\", \"role\": \"manager\""),
        access(&format!(
            "\"account\": \"{master}/\", \"role\": \"manager\""
        )),
        access(&format!("\"account\": \"/{sub}\", \"role\": \"manager\"")),
        access(&format!(
            "\"account\": \"{master}:{sub}\", \"role\": \"manager\""
        )),
        access(&format!(
            "\"account\": \" {master}\", \"role\": \"manager\""
        )),
        access(&format!(
            "\"account\": \"+{master}\", \"role\": \"manager\""
        )),
        access(&format!(
            "\"account\": \"0{master}\", \"role\": \"manager\""
        )),
        access(&format!("\"account\": {master}, \"role\": \"manager\"")),
        access(&format!(
            "\"account\": {long_account}, \"role\": \"manager\""
        )),
        access("\"account\": null, \"role\": \"manager\""),
        access(&format!(
            "\"account\": \"{master}/{sub}/1\", \"role\": \"manager\""
        )),
        access(&format!("\"account\": \"{master}\", \"role\": \"\"")),
        access(&format!("\"account\": \"{master}\", \"role\": \"Manager\"")),
        access(&format!("\"account\": \"{master}\", \"role\": \"owner\"")),
        access(&format!("\"account\": \"{master}\", \"role\": \"admin\"")),
        access(&format!("\"account\": \"{master}\", \"role\": null")),
        access(&format!("\"account\": \"{master}\", \"role\": 1")),
        access(&format!("\"account\": \"{master}\", \"role\": \"custom\"")),
        access(&format!(
            "\"account\": \"{master}\", \"role\": \"custom\", \"areas\": []"
        )),
        access(&format!(
            "\"account\": \"{master}\", \"role\": \"custom\", \"areas\": [\"nope\"]"
        )),
        access(&format!(
            "\"account\": \"{master}\", \"role\": \"custom\", \"areas\": [1]"
        )),
        access(&format!(
            "\"account\": \"{master}\", \"role\": \"custom\", \"areas\": \"campaigns\""
        )),
        access(&format!(
            "\"account\": \"{master}/{sub}\", \"role\": \"custom\", \"areas\": [\"billing\"]"
        )),
        access(&format!(
            "\"account\": \"{master}/{sub}\", \"role\": \"accountant\""
        )),
        access(&format!(
            "\"account\": \"{master}\", \"role\": \"manager\", \"areas\": [\"campaigns\"]"
        )),
        access(&format!(
            "\"account\": \"{master}\", \"role\": \"accountant\", \"restrictions\": [\"drafts_only\"]"
        )),
        access(&format!(
            "\"account\": \"{master}\", \"role\": \"designer\", \"restrictions\": [\"nope\"]"
        )),
        access(&format!(
            "\"account\": \"{master}\", \"role\": \"designer\", \"restrictions\": \"drafts_only\""
        )),
        access(&format!(
            "\"account\": \"{master}\", \"role\": \"manager\", \"permissions\": [\"campaigns\"]"
        )),
        access(&format!(
            "\"account\": \"{master}\", \"account\": \"{master}\", \"role\": \"manager\""
        )),
        format!(
            r#"[{{"account": "{master}", "role": "manager"}}, {{"account": "{master}", "role": "designer"}}]"#
        ),
    ];
    for value in &accesses {
        calls.push(json(
            format!("accesses {value:.60}"),
            Method::POST,
            &people,
            invitation("accesses", value),
        ));
    }
    for value in [
        "\"2020-01-01\"",
        "\"2026-13-01\"",
        "\"2027-02-30\"",
        "\"31/03/2027\"",
        "\"+2027-03-01\"",
        "\"2027-3-1\"",
        "\"9999-12-31\"",
        "\"tomorrow\"",
        "20270301",
        "true",
        "[]",
        "{}",
    ] {
        calls.push(json(
            format!("ends_on {value}"),
            Method::POST,
            &people,
            invitation("ends_on", value),
        ));
    }
    // The body as a whole.
    let good = invitation("email", "\"new@example.com\"");
    let deep = format!("{}{}", "[".repeat(300), "]".repeat(300));
    let huge = format!(
        r#"{{"email": "new@example.com", "accesses": [], "x": "{}"}}"#,
        "a".repeat(300_000)
    );
    for (what, body) in [
        ("an unknown field", invitation("admin", "true")),
        (
            "a key twice",
            good.replacen('{', "{\"email\": \"other@example.com\", ", 1),
        ),
        ("an array", format!("[{good}]")),
        ("nested 300 deep", deep),
        ("truncated", good[..good.len() - 3].to_owned()),
        ("trailing garbage", format!("{good} x")),
        ("two objects", format!("{good}{good}")),
        ("a comment", format!("/* hi */ {good}")),
        ("single quotes", good.replace('"', "'")),
        ("NaN", invitation("ends_on", "NaN")),
        ("empty", String::new()),
        ("null", "null".to_owned()),
        ("a string", "\"new@example.com\"".to_owned()),
        ("a byte order mark", format!("\u{feff}{good}")),
        ("over 256 KiB", huge),
    ] {
        calls.push(json(format!("body: {what}"), Method::POST, &people, body));
    }
    let mut latin1 = good.clone().into_bytes();
    latin1.extend_from_slice(b"\xe9\xff");
    calls.push(BadCall {
        what: "body: not UTF-8".into(),
        method: Method::POST,
        path: people.clone(),
        headers: vec![("Content-Type", "application/json".into())],
        body: Some(latin1),
    });
    for content_type in [
        "",
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/xml",
        "application/jsonp",
        "json",
    ] {
        calls.push(BadCall {
            what: format!("content type {content_type:?}"),
            method: Method::POST,
            path: people.clone(),
            headers: if content_type.is_empty() {
                Vec::new()
            } else {
                vec![("Content-Type", content_type.to_owned())]
            },
            body: Some(good.clone().into_bytes()),
        });
    }
    // Idempotency-Key and Authorization at the edge.
    for key in [String::new(), "k".repeat(256), "a\tb".into(), " ".repeat(3)] {
        let mut call = json(
            format!("Idempotency-Key {key:.20}"),
            Method::POST,
            &people,
            good.clone(),
        );
        call.headers.push(("Idempotency-Key", key));
        if call.headers.last().is_some_and(|(_, key)| key.is_ascii()) {
            calls.push(call);
        }
    }
    let mut twice = json(
        "Idempotency-Key twice".into(),
        Method::POST,
        &people,
        good.clone(),
    );
    twice.headers.push(("Idempotency-Key", "a".into()));
    twice.headers.push(("Idempotency-Key", "b".into()));
    calls.push(twice);
    for authorization in [
        String::new(),
        "Bearer".into(),
        "Bearer ".into(),
        format!("bearer {token}"),
        format!("Basic {token}"),
        format!("Token {token}"),
        format!("Bearer {token}x"),
        format!("Bearer {}", &token[..token.len() - 1]),
        format!("Bearer asv_{}", &token[4..]),
        format!("Bearer {}", token.to_uppercase()),
        "Bearer asp_".into(),
    ] {
        let mut call = json(
            format!("Authorization {authorization:.12}"),
            Method::GET,
            &people,
            String::new(),
        );
        call.body = None;
        call.headers = vec![("Authorization", authorization)];
        calls.push(call);
    }
    // Query strings.
    let get = |what: String, path: String| BadCall {
        what,
        method: Method::GET,
        path,
        headers: Vec::new(),
        body: None,
    };
    let long_search = "a".repeat(201);
    for query in [
        "limit=0",
        "limit=101",
        "limit=-1",
        "limit=abc",
        "limit=1e2",
        "limit=",
        "after=abc",
        "after=-1",
        "after=0",
        "after=99999999999999999999",
        "status=gone",
        "status=Active",
        "role=boss",
        "role=",
        "page=2",
        "limit=5&limit=6",
        "q=a&q=b",
        &format!("q={long_search}"),
        "sort=email",
    ] {
        calls.push(get(format!("people ?{query}"), format!("{people}?{query}")));
    }
    let activity = format!("/api/v1/accounts/{master}/activity");
    for query in [
        "limit=0",
        "limit=500",
        "after=x",
        "action=nope",
        "action=",
        "from=2026-13-01",
        "from=yesterday",
        "to=2027-02-30",
        "to=1",
        &format!("person={long_search}"),
        "page=1",
        "person=a&person=b",
    ] {
        calls.push(get(
            format!("activity ?{query}"),
            format!("{activity}?{query}"),
        ));
    }
    // Ids in the path.
    for id in [
        "abc",
        "-1",
        "0",
        "99999999999999999999",
        "1.5",
        "01",
        "1;2",
        "0x1",
        "+1",
    ] {
        calls.push(get(format!("person id {id}"), format!("{people}/{id}")));
        calls.push(json(
            format!("PATCH id {id}"),
            Method::PATCH,
            &format!("{people}/{id}"),
            "{}".into(),
        ));
    }
    for account in ["abc", "0", "-1", "999999", "+1", "01"] {
        calls.push(get(
            format!("account {account}"),
            format!("/api/v1/accounts/{account}/people"),
        ));
    }
    // Edits and batches.
    let person = format!("{people}/{member}");
    for body in [
        r#"{"ends_on": "2020-01-01"}"#.to_owned(),
        r#"{"ends_on": 5}"#.to_owned(),
        r#"{"accesses": []}"#.to_owned(),
        r#"{"accesses": null, "x": 1}"#.to_owned(),
        r#"{"role": "manager"}"#.to_owned(),
        format!(r#"{{"accesses": [{{"account": "{master}", "role": "boss"}}]}}"#),
        "[]".to_owned(),
    ] {
        calls.push(json(
            format!("edit {body:.40}"),
            Method::PATCH,
            &person,
            body,
        ));
    }
    for value in [
        "\"2020-01-01\"",
        "\"2026-13-01\"",
        "\"2027-02-30\"",
        "\"31/03/2027\"",
        "\"2027-3-1\"",
        "\"9999-12-31\"",
        "true",
        "[]",
        "{}",
        "\"\\u0000\"",
    ] {
        calls.push(json(
            format!("edit ends_on {value}"),
            Method::PATCH,
            &person,
            format!(r#"{{"ends_on": {value}}}"#),
        ));
    }
    let batch = format!("{people}/batch");
    for value in accesses.iter().take(12) {
        calls.push(json(
            format!("batch accesses {value:.60}"),
            Method::POST,
            &batch,
            format!(r#"{{"emails": ["b@example.com"], "accesses": {value}}}"#),
        ));
    }
    let fifty_one: Vec<String> = (0..51).map(|i| format!("\"b{i}@example.com\"")).collect();
    for emails in [
        "[]".to_owned(),
        "\"a@example.com\"".to_owned(),
        "[1]".to_owned(),
        "null".to_owned(),
        format!("[{}]", fifty_one.join(",")),
    ] {
        let body = format!(
            r#"{{"emails": {emails}, "accesses": [{{"account": "{master}", "role": "manager"}}]}}"#
        );
        calls.push(json(
            format!("batch emails {emails:.30}"),
            Method::POST,
            &batch,
            body,
        ));
    }
    calls.push(json(
        "batch with email".into(),
        Method::POST,
        &batch,
        good.clone(),
    ));
    calls.push(json(
        "resend with a body".into(),
        Method::POST,
        &format!("{person}/resend"),
        r#"{"again": true}"#.into(),
    ));
    for method in [Method::PUT, Method::OPTIONS] {
        calls.push(get(format!("{method} people"), people.clone()));
        calls.last_mut().unwrap().method = method;
    }
    calls
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_bad_json_inputs_get_a_problem_document_and_change_nothing() {
    let app = spawn_app().await;
    app.owner("olive@example.com", "crystal-premium").await;
    let master = app.master_of("olive@example.com");
    app.submit("/account", "/account/sub-accounts", &[("name", "Shop")])
        .await;
    let sub = app.scalar("SELECT id FROM sub_accounts");
    invite_manager(&app, "ivy@example.com").await;
    let member = app.scalar("SELECT id FROM members");
    let token = make_token(
        &app,
        &master,
        "edge",
        &["people:read", "people:write", "activity:read"],
    )
    .await;
    // The first call notes the token's last use; only then are rows counted.
    assert_eq!(
        call(&app, &token, Method::GET, &people_path(&master), None)
            .await
            .0,
        StatusCode::OK
    );
    app.outbox_settled().await;
    let before: Vec<_> = app
        .database_fingerprint()
        .into_iter()
        .filter(|(table, ..)| table != "rate_limits")
        .collect();

    let calls = bad_calls(&master, sub, member, &token);
    let client = reqwest::Client::new();
    let mut wrong = Vec::new();
    let mut statuses = BTreeMap::<u16, usize>::new();
    for bad in &calls {
        let mut request = client.request(bad.method.clone(), app.url(&bad.path));
        if !bad.headers.iter().any(|(name, _)| *name == "Authorization") {
            request = request.header("Authorization", format!("Bearer {token}"));
        }
        for (name, value) in &bad.headers {
            request = request.header(*name, value);
        }
        if let Some(body) = &bad.body {
            request = request.body(body.clone());
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let content_type = response
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap_or_default().to_owned())
            .unwrap_or_default();
        let problem: Value =
            serde_json::from_str(&response.text().await.unwrap()).unwrap_or(Value::Null);
        *statuses.entry(status.as_u16()).or_default() += 1;
        let said = content_type == "application/problem+json"
            && problem["status"] == status.as_u16()
            && problem["detail"].as_str().is_some_and(|d| !d.is_empty());
        if !(status.is_client_error() && status != StatusCode::TOO_MANY_REQUESTS && said) {
            wrong.push(format!("{}: {status} {problem}", bad.what));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} calls:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    let after: Vec<_> = app
        .database_fingerprint()
        .into_iter()
        .filter(|(table, ..)| table != "rate_limits")
        .collect();
    assert_eq!(after, before, "the bad calls changed nothing");
    assert!(calls.len() >= 200, "{}", calls.len());
    println!(
        "Members API bad-input corpus: {} calls, each a 4xx problem document, 0 rows changed. Statuses: {statuses:?}",
        calls.len()
    );
}
