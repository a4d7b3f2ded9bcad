//! SCIM 2.0 provisioning (issue 22): an owner's identity provider adds and removes people over
//! real HTTP with a token made on the Provisioning page. The scim2-tester conformance checker
//! (PyPI, installed by ./dev test) runs against a test server; the flows go through the same
//! services as the pages (quotas, audit, mail); another owner's token reaches nothing; bad input
//! gets a SCIM error and changes nothing.

use reqwest::{Method, StatusCode, header::HeaderMap};
use serde_json::{Value, json};

use crate::common::{Request, TestApp, at_once, attribute, log_scan, spawn_app, texts};

const USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
const PATCH: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const ERROR: &str = "urn:ietf:params:scim:api:messages:2.0:Error";

/// An owner on `plan` who chose `role` (on every sub-account too) for provisioned people and
/// made a SCIM token on the Provisioning page; the token, read off the page that shows it once.
pub async fn provisioning_owner(app: &TestApp, email: &str, plan: &str, role: &str) -> String {
    app.owner(email, plan).await;
    let (status, page) = app.get_html("/sharing/provisioning").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        texts(&page, "#access-first").len() == 1,
        "no token before the access is chosen: {page}"
    );
    let saved = app
        .submit(
            "/sharing/provisioning",
            "/sharing/provisioning",
            &[("role", role), ("all_sub_accounts", "on")],
        )
        .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let made = app
        .submit(
            "/sharing/provisioning",
            "/sharing/provisioning/tokens",
            &[("name", "Okta")],
        )
        .await;
    assert_eq!(made.status(), StatusCode::CREATED);
    let html = made.text().await.unwrap();
    let token = attribute(&html, "#token", "value").expect("the token is shown once");
    log_scan::never_log(&token);
    token
}

/// One SCIM request; the status, headers and JSON body (`Null` for none).
async fn scim(
    app: &TestApp,
    token: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
    headers: &[(&str, &str)],
) -> (StatusCode, HeaderMap, Value) {
    let mut request = reqwest::Client::new()
        .request(method, app.url(&format!("/scim/v2{path}")))
        .header("Authorization", format!("Bearer {token}"));
    if let Some(body) = body {
        request = request
            .header("Content-Type", "application/scim+json")
            .body(body.to_string());
    }
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let text = response.text().await.unwrap();
    (
        status,
        headers,
        serde_json::from_str(&text).unwrap_or(Value::Null),
    )
}

fn okta_user(user_name: &str, address: &str) -> Value {
    json!({
        "schemas": [USER],
        "userName": user_name,
        "name": {"givenName": "Ada", "familyName": "Lovelace"},
        "displayName": "Ada Lovelace",
        "emails": [{"value": address, "type": "work", "primary": true}],
        "active": true,
        "externalId": "00u1abcd",
    })
}

/// Whether the account's seat count agrees with a recount.
fn seats_agree(app: &TestApp) {
    assert_eq!(
        app.scalar(
            "SELECT count(*) FROM accounts a WHERE seats_used <> \
             (SELECT count(*) FROM members m WHERE m.master_account_id = a.id)"
        ),
        0,
        "the seat count on the account's row matches a recount"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scim2_tester_finds_every_check_conformant() {
    let app = spawn_app().await;
    let token = provisioning_owner(&app, "olive@example.com", "gold-premium", "manager").await;
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scim/conformance.py");
    let python = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(".data/venv/bin/python");
    let base = app.url("/scim/v2");
    let output = tokio::process::Command::new(&python)
        .arg(&script)
        .arg(&base)
        .arg(&token)
        .output()
        .await
        .unwrap_or_else(|e| panic!("{} (./dev test installs it): {e}", python.display()));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "scim2-tester: {stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let results: Vec<Value> = stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    let failed: Vec<&Value> = results
        .iter()
        .filter(|r| r["status"] != "SUCCESS")
        .collect();
    let succeeded = results.len() - failed.len();
    println!(
        "scim2-tester 0.5.2: {} checks, {succeeded} succeeded",
        results.len()
    );
    assert!(
        failed.is_empty(),
        "checks that did not succeed: {failed:#?}"
    );
    // Creation, reading, replacing, deleting, PATCH, search and discovery all ran.
    for title in [
        "object_creation",
        "object_replacement",
        "object_deletion",
        "check_add_attribute",
        "check_remove_attribute",
        "check_replace_attribute",
        "search_with_attributes",
        "query_all_schemas",
        "random_url",
    ] {
        assert!(
            results.iter().any(|r| r["title"] == title),
            "{title} ran: {results:#?}"
        );
    }
    for resource_type in ["User", "Group"] {
        assert!(
            results
                .iter()
                .filter(|r| r["resource_type"] == resource_type)
                .count()
                >= 15,
            "{resource_type}'s create, read, replace, delete and PATCH checks ran"
        );
    }
    assert!(succeeded >= 60, "{succeeded} checks succeeded");
    // Every User it made went through the sharing services, and it removed them all again.
    // (It makes some Users inactive from the start: those are never invited.)
    let by_scim = |action: &str| {
        app.scalar(&format!(
            "SELECT count(*) FROM audit_events WHERE action = '{action}' AND actor_token LIKE 'SCIM Okta%'"
        ))
    };
    assert!(by_scim("invitation_sent") > 0);
    assert_eq!(by_scim("invitation_sent"), by_scim("access_deleted"));
    assert_eq!(app.scalar("SELECT count(*) FROM scim_users"), 0);
    assert_eq!(app.scalar("SELECT count(*) FROM members"), 0);
    seats_agree(&app);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_provider_invites_and_removes_people_through_the_sharing_services() {
    let app = spawn_app().await;
    app.owner("olive@example.com", "gold-premium").await;
    app.submit("/account", "/account/sub-accounts", &[("name", "Shop")])
        .await;
    let token = {
        // The owner made the sub-account first; provisioning_owner signs a new owner up.
        let saved = app
            .submit(
                "/sharing/provisioning",
                "/sharing/provisioning",
                &[("role", "manager"), ("all_sub_accounts", "on")],
            )
            .await;
        assert_eq!(saved.status(), StatusCode::SEE_OTHER);
        let made = app
            .submit(
                "/sharing/provisioning",
                "/sharing/provisioning/tokens",
                &[("name", "Okta")],
            )
            .await;
        attribute(&made.text().await.unwrap(), "#token", "value").unwrap()
    };
    log_scan::never_log(&token);

    // Created: 201 with where it lives and its version; invited with Manager on both accounts.
    let (status, headers, user) = scim(
        &app,
        &token,
        Method::POST,
        "/Users",
        Some(okta_user("ada.lovelace", "Ada@Example.com")),
        &[],
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{user}");
    assert_eq!(headers["content-type"], "application/scim+json");
    let id = user["id"].as_str().unwrap().to_owned();
    assert_eq!(
        headers["location"].to_str().unwrap(),
        app.url(&format!("/scim/v2/Users/{id}"))
    );
    let etag = headers["etag"].to_str().unwrap().to_owned();
    assert_eq!(user["meta"]["version"], etag.as_str());
    assert_eq!(user["userName"], "ada.lovelace");
    assert_eq!(user["externalId"], "00u1abcd");
    assert!(user.get("name").is_none(), "what is not kept is not echoed");
    app.mails_to("ada@example.com", 1).await;
    assert_eq!(
        app.scalar("SELECT count(*) FROM grants g JOIN members m ON m.id = g.member_id WHERE m.email = 'ada@example.com' AND g.role = 'manager'"),
        2
    );
    assert_eq!(
        app.scalar("SELECT count(*) FROM audit_events WHERE action = 'invitation_sent' AND actor_token LIKE 'SCIM Okta (asc_%'"),
        1
    );
    let (_, sharing) = app.get_html("/sharing").await;
    assert!(
        texts(&sharing, ".share-table__person").contains(&"ada@example.com".to_owned()),
        "on the sharing page"
    );
    seats_agree(&app);

    // Found by userName without regard to case, and by address; paged.
    for filter in [
        "userName eq \"ADA.LOVELACE\"",
        "emails[value eq \"ada@example.com\"]",
    ] {
        let query: String = form_urlencoded::byte_serialize(filter.as_bytes()).collect();
        let (status, _, list) = scim(
            &app,
            &token,
            Method::GET,
            &format!("/Users?filter={query}"),
            None,
            &[],
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(list["totalResults"], 1, "{filter}: {list}");
        assert_eq!(list["Resources"][0]["id"], id.as_str());
    }
    let (_, _, page) = scim(
        &app,
        &token,
        Method::GET,
        "/Users?startIndex=2&count=5",
        None,
        &[],
    )
    .await;
    assert_eq!(
        (page["totalResults"].as_i64(), page["itemsPerPage"].as_i64()),
        (Some(1), Some(0))
    );

    // The same userName again is a conflict; so is the address under another userName.
    let (status, _, error) = scim(
        &app,
        &token,
        Method::POST,
        "/Users",
        Some(okta_user("Ada.Lovelace", "x@example.com")),
        &[],
    )
    .await;
    assert_eq!(
        (status, error["scimType"].as_str()),
        (StatusCode::CONFLICT, Some("uniqueness"))
    );
    let (status, _, error) = scim(
        &app,
        &token,
        Method::POST,
        "/Users",
        Some(okta_user("ada2", "ada@example.com")),
        &[],
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{error}");
    assert_eq!(app.scalar("SELECT count(*) FROM scim_users"), 1);

    // If-None-Match with the version: 304. A stale If-Match: 412, and nothing changes.
    let (status, _, _) = scim(
        &app,
        &token,
        Method::GET,
        &format!("/Users/{id}"),
        None,
        &[("If-None-Match", &etag)],
    )
    .await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);
    let deactivate = json!({"schemas": [PATCH], "Operations": [{"op": "Replace", "value": {"active": "False"}}]});
    let (status, _, error) = scim(
        &app,
        &token,
        Method::PATCH,
        &format!("/Users/{id}"),
        Some(deactivate.clone()),
        &[("If-Match", "W/\"99\"")],
    )
    .await;
    assert_eq!(status, StatusCode::PRECONDITION_FAILED, "{error}");
    assert_eq!(app.scalar("SELECT count(*) FROM members"), 1);

    // Deactivated (as Entra ID writes it): the access goes, the User stays, inactive.
    let (status, headers, user) = scim(
        &app,
        &token,
        Method::PATCH,
        &format!("/Users/{id}"),
        Some(deactivate),
        &[("If-Match", &etag)],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{user}");
    assert_eq!(user["active"], false);
    assert_ne!(headers["etag"].to_str().unwrap(), etag);
    assert_eq!(app.scalar("SELECT count(*) FROM members"), 0);
    assert_eq!(
        app.scalar("SELECT count(*) FROM audit_events WHERE action = 'access_deleted' AND actor_token LIKE 'SCIM Okta%'"),
        1
    );
    seats_agree(&app);

    // Active again: invited again, with a new mail.
    let (status, _, user) = scim(&app, &token, Method::PATCH, &format!("/Users/{id}"),
        Some(json!({"schemas": [PATCH], "Operations": [{"op": "replace", "path": "active", "value": true}]})), &[]).await;
    assert_eq!((status, &user["active"]), (StatusCode::OK, &json!(true)));
    app.mails_to("ada@example.com", 2).await;
    assert_eq!(app.scalar("SELECT count(*) FROM members"), 1);

    // userName cannot change.
    let (status, _, error) = scim(
        &app,
        &token,
        Method::PUT,
        &format!("/Users/{id}"),
        Some(okta_user("eve", "eve@example.com")),
        &[],
    )
    .await;
    assert_eq!(
        (status, error["scimType"].as_str()),
        (StatusCode::BAD_REQUEST, Some("mutability"))
    );

    // The owner deletes the access on the sharing page: the User reads inactive, at a new version.
    let (_, before, _) = scim(
        &app,
        &token,
        Method::GET,
        &format!("/Users/{id}"),
        None,
        &[],
    )
    .await;
    app.delete_members_where("email = 'ada@example.com'");
    let (_, after, user) = scim(
        &app,
        &token,
        Method::GET,
        &format!("/Users/{id}"),
        None,
        &[],
    )
    .await;
    assert_eq!(user["active"], false);
    assert_ne!(before["etag"], after["etag"]);

    // Deleted: 204, then 404.
    let (status, _, _) = scim(
        &app,
        &token,
        Method::DELETE,
        &format!("/Users/{id}"),
        None,
        &[],
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _, error) = scim(
        &app,
        &token,
        Method::GET,
        &format!("/Users/{id}"),
        None,
        &[],
    )
    .await;
    assert_eq!(
        (status, &error["schemas"][0]),
        (StatusCode::NOT_FOUND, &json!(ERROR))
    );

    // A revoked token is refused at once.
    let (_, page) = app.get_html("/sharing/provisioning").await;
    let revoke = attribute(&page, "a[href$='/revoke']", "href").unwrap();
    let revoked = app.submit(&revoke, &revoke, &[]).await;
    assert_eq!(revoked.status(), StatusCode::SEE_OTHER);
    let (status, headers, _) = scim(&app, &token, Method::GET, "/Users", None, &[]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(headers.contains_key("www-authenticate"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_owners_token_reaches_none_of_these_users() {
    let app = spawn_app().await;
    let olive = provisioning_owner(&app, "olive@example.com", "gold-premium", "manager").await;
    let (status, _, user) = scim(
        &app,
        &olive,
        Method::POST,
        "/Users",
        Some(okta_user("ada@example.com", "ada@example.com")),
        &[],
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let id = user["id"].as_str().unwrap().to_owned();
    let other = app.another_visitor();
    let mallory =
        provisioning_owner(&other, "mallory@example.com", "gold-premium", "manager").await;
    // Her token's first use is noted; what follows must change nothing.
    scim(&app, &mallory, Method::GET, "/Users", None, &[]).await;
    let before = app.database_fingerprint();
    let path = format!("/Users/{id}");
    let patch = json!({"schemas": [PATCH], "Operations": [{"op": "replace", "path": "active", "value": false}]});
    for (method, body) in [
        (Method::GET, None),
        (
            Method::PUT,
            Some(okta_user("ada@example.com", "ada@example.com")),
        ),
        (Method::PATCH, Some(patch)),
        (Method::DELETE, None),
    ] {
        let (status, _, error) = scim(&app, &mallory, method.clone(), &path, body, &[]).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{method} {error}");
    }
    let (_, _, list) = scim(
        &app,
        &mallory,
        Method::GET,
        "/Users?filter=userName%20eq%20%22ada%40example.com%22",
        None,
        &[],
    )
    .await;
    assert_eq!(list["totalResults"], 0);
    // Her own userName may be the same as his: uniqueness is per owner.
    app.assert_unchanged_since(&before, "another owner's SCIM token");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_plan_holds_when_a_provider_adds_people_at_once() {
    let app = spawn_app().await;
    // Five seats.
    let token = provisioning_owner(&app, "olive@example.com", "essential", "manager").await;
    let requests: Vec<Request<StatusCode>> = (0..8)
        .map(|i| {
            let app = app.another_visitor();
            let token = token.clone();
            Box::pin(async move {
                let user = okta_user(&format!("p{i}@example.com"), &format!("p{i}@example.com"));
                scim(&app, &token, Method::POST, "/Users", Some(user), &[])
                    .await
                    .0
            }) as Request<StatusCode>
        })
        .collect();
    let raced = at_once(requests).await;
    let created = raced
        .results
        .iter()
        .filter(|s| **s == StatusCode::CREATED)
        .count();
    let refused = raced
        .results
        .iter()
        .filter(|s| **s == StatusCode::FORBIDDEN)
        .count();
    assert_eq!((created, refused), (5, 3), "{:?}", raced.results);
    assert_eq!(app.scalar("SELECT count(*) FROM scim_users"), 5);
    seats_agree(&app);
    let (_, _, error) = scim(
        &app,
        &token,
        Method::POST,
        "/Users",
        Some(okta_user("p9@example.com", "p9@example.com")),
        &[],
    )
    .await;
    assert!(
        error["detail"].as_str().unwrap().contains('5'),
        "says the plan's limit: {error}"
    );

    // Inactive Users and Groups take no seat: their own caps hold instead.
    app.execute(
        "INSERT INTO scim_users (master_account_id, user_name, active, created_at, updated_at) \
         SELECT a.id, 'filler' || n, false, now(), now() FROM accounts a, generate_series(1, 9995) n",
    );
    app.execute(
        "INSERT INTO scim_groups (master_account_id, display_name, created_at, updated_at) \
         SELECT a.id, 'group' || n, now(), now() FROM accounts a, generate_series(1, 1000) n",
    );
    let mut inactive = okta_user("late@example.com", "late@example.com");
    inactive["active"] = json!(false);
    let (status, _, error) = scim(&app, &token, Method::POST, "/Users", Some(inactive), &[]).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{error}");
    assert!(
        error["detail"].as_str().unwrap().contains("10000"),
        "{error}"
    );
    let group = json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": "One more"});
    let (status, _, error) = scim(&app, &token, Method::POST, "/Groups", Some(group), &[]).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{error}");
}

/// One bad SCIM request: what it is, method, path, content type, body.
struct Bad {
    what: String,
    method: Method,
    path: String,
    content_type: &'static str,
    body: Vec<u8>,
}

fn bad_requests(id: &str) -> Vec<Bad> {
    let json_body = |what: &str, method: Method, path: &str, body: Value| Bad {
        what: what.to_owned(),
        method,
        path: path.to_owned(),
        content_type: "application/scim+json",
        body: body.to_string().into_bytes(),
    };
    let user_path = format!("/Users/{id}");
    let mut bad = Vec::new();
    // Users that cannot be.
    for (what, body) in [
        ("an array", json!([])),
        ("no schemas", json!({"userName": "z@example.com"})),
        (
            "another schema",
            json!({"schemas": ["urn:x"], "userName": "z@example.com"}),
        ),
        ("no userName", json!({"schemas": [USER]})),
        (
            "a number for userName",
            json!({"schemas": [USER], "userName": 7}),
        ),
        (
            "an empty userName",
            json!({"schemas": [USER], "userName": " "}),
        ),
        (
            "a NUL in userName",
            json!({"schemas": [USER], "userName": "z\u{0}@example.com"}),
        ),
        (
            "a long userName",
            json!({"schemas": [USER], "userName": "z".repeat(300)}),
        ),
        ("no address", json!({"schemas": [USER], "userName": "zed"})),
        (
            "a bad address",
            json!({"schemas": [USER], "userName": "zed", "emails": [{"value": "zed@"}]}),
        ),
        (
            "two primaries",
            json!({"schemas": [USER], "userName": "zed", "emails": [{"value": "a@example.com", "primary": true}, {"value": "b@example.com", "primary": true}]}),
        ),
        (
            "eleven addresses",
            json!({"schemas": [USER], "userName": "zed", "emails": (0..11).map(|i| json!({"value": format!("a{i}@example.com")})).collect::<Vec<_>>()}),
        ),
        (
            "active as a word",
            json!({"schemas": [USER], "userName": "z@example.com", "active": "maybe"}),
        ),
        (
            "emails as text",
            json!({"schemas": [USER], "userName": "z@example.com", "emails": "z@example.com"}),
        ),
        (
            "the owner's own address",
            json!({"schemas": [USER], "userName": "olive@example.com"}),
        ),
        (
            "an IP address domain",
            json!({"schemas": [USER], "userName": "z@[127.0.0.1]"}),
        ),
    ] {
        bad.push(json_body(
            &format!("POST with {what}"),
            Method::POST,
            "/Users",
            body.clone(),
        ));
        bad.push(json_body(
            &format!("PUT with {what}"),
            Method::PUT,
            &user_path,
            body,
        ));
    }
    // PATCH operations that cannot be applied.
    for (what, operations) in [
        ("no operations", json!([])),
        ("an operation that is text", json!(["add"])),
        (
            "an unknown op",
            json!([{"op": "copy", "path": "active", "value": true}]),
        ),
        ("no op", json!([{"path": "active", "value": true}])),
        ("remove without a path", json!([{"op": "remove"}])),
        (
            "a path that is a number",
            json!([{"op": "replace", "path": 7, "value": true}]),
        ),
        (
            "an unknown attribute",
            json!([{"op": "add", "path": "clearance", "value": "top"}]),
        ),
        (
            "a value filter",
            json!([{"op": "replace", "path": "emails[type eq \"work\"].value", "value": "z@example.com"}]),
        ),
        (
            "a changed userName",
            json!([{"op": "replace", "path": "userName", "value": "eve@example.com"}]),
        ),
        (
            "userName removed",
            json!([{"op": "remove", "path": "userName"}]),
        ),
        (
            "replace without a value",
            json!([{"op": "replace", "path": "active"}]),
        ),
        (
            "a bare value that is not an object",
            json!([{"op": "replace", "value": true}]),
        ),
        (
            "a bad address",
            json!([{"op": "add", "path": "emails", "value": [{"value": "nope"}]}]),
        ),
        (
            "active as a number",
            json!([{"op": "replace", "path": "active", "value": 1}]),
        ),
        (
            "101 operations",
            json!(
                (0..101)
                    .map(|_| json!({"op": "remove", "path": "active"}))
                    .collect::<Vec<_>>()
            ),
        ),
        (
            "a valid one after a bad one",
            json!([{"op": "replace", "path": "active", "value": false}, {"op": "copy"}]),
        ),
    ] {
        bad.push(json_body(
            &format!("PATCH with {what}"),
            Method::PATCH,
            &user_path,
            json!({"schemas": [PATCH], "Operations": operations}),
        ));
    }
    bad.push(json_body(
        "PATCH without its schema",
        Method::PATCH,
        &user_path,
        json!({"Operations": [{"op": "replace", "path": "active", "value": false}]}),
    ));
    // Groups that cannot be, and PATCH operations on them.
    let group_path = "/Groups/group-of-olive".to_owned();
    for (what, body) in [
        ("no displayName", json!({"schemas": [GROUP]})),
        (
            "the User schema",
            json!({"schemas": [USER], "displayName": "X"}),
        ),
        (
            "a number for displayName",
            json!({"schemas": [GROUP], "displayName": 3}),
        ),
        (
            "members as text",
            json!({"schemas": [GROUP], "displayName": "X", "members": "u1"}),
        ),
        (
            "a member without value",
            json!({"schemas": [GROUP], "displayName": "X", "members": [{"display": "Ada"}]}),
        ),
        (
            "a member that is no User",
            json!({"schemas": [GROUP], "displayName": "X", "members": [{"value": "nobody"}]}),
        ),
        (
            "the name of another Group",
            json!({"schemas": [GROUP], "displayName": "designers"}),
        ),
    ] {
        bad.push(json_body(
            &format!("POST Group with {what}"),
            Method::POST,
            "/Groups",
            body.clone(),
        ));
        if what != "the name of another Group" {
            bad.push(json_body(
                &format!("PUT Group with {what}"),
                Method::PUT,
                &group_path,
                body,
            ));
        }
    }
    for (what, operations) in [
        (
            "displayName removed",
            json!([{"op": "remove", "path": "displayName"}]),
        ),
        (
            "an unknown attribute",
            json!([{"op": "add", "path": "owner", "value": "x"}]),
        ),
        (
            "a member filter to add",
            json!([{"op": "add", "path": "members[value eq \"x\"]", "value": "x"}]),
        ),
        (
            "a member that is no User",
            json!([{"op": "add", "path": "members", "value": [{"value": "nobody"}]}]),
        ),
        (
            "a broken member filter",
            json!([{"op": "remove", "path": "members[value eq \"x\""}]),
        ),
        (
            "1,001 members",
            json!([{"op": "add", "path": "members", "value": (0..1001).map(|i| json!({"value": format!("u{i}")})).collect::<Vec<_>>()}]),
        ),
    ] {
        bad.push(json_body(
            &format!("PATCH Group with {what}"),
            Method::PATCH,
            &group_path,
            json!({"schemas": [PATCH], "Operations": operations}),
        ));
    }
    // Filters it does not understand.
    for filter in [
        "userName",
        "userName eq",
        "userName eq ada",
        "userName co \"a\"",
        "userName pr",
        "title eq \"x\"",
        "userName eq \"a\" or userName eq \"b\"",
        "emails[type eq \"work\"]",
        "emails[value eq \"a\"",
        "userName eq \"a\" and active eq true",
        "(userName eq \"a\")",
        "userName eq \"\\u0000",
        "\u{202e}userName eq \"a\"",
        "meta.created gt \"2020\"",
    ] {
        let query: String = form_urlencoded::byte_serialize(filter.as_bytes()).collect();
        bad.push(Bad {
            what: format!("filter {filter:?}"),
            method: Method::GET,
            path: format!("/Users?filter={query}"),
            content_type: "",
            body: Vec::new(),
        });
        bad.push(json_body(&format!("search with filter {filter:?}"), Method::POST, "/Users/.search",
            json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], "filter": filter})));
    }
    for query in [
        "startIndex=one",
        "count=1e3",
        "count=%00",
        "filter=a&filter=b",
        "count=99999999999999999999",
    ] {
        bad.push(Bad {
            what: format!("query {query}"),
            method: Method::GET,
            path: format!("/Users?{query}"),
            content_type: "",
            body: Vec::new(),
        });
    }
    bad.push(json_body(
        "search without its schema",
        Method::POST,
        "/Users/.search",
        json!({"filter": "userName eq \"a\""}),
    ));
    bad.push(json_body(
        "search with a filter that is an object",
        Method::POST,
        "/.search",
        json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], "filter": {}}),
    ));
    // Bodies that are not JSON, or too much of it.
    let raw = |what: &str, content_type: &'static str, body: Vec<u8>| Bad {
        what: what.to_owned(),
        method: Method::POST,
        path: "/Users".to_owned(),
        content_type,
        body,
    };
    bad.push(raw(
        "broken JSON",
        "application/scim+json",
        b"{\"schemas\": [".to_vec(),
    ));
    bad.push(raw(
        "JSON with a trailing comma",
        "application/scim+json",
        b"{\"schemas\": [],}".to_vec(),
    ));
    bad.push(raw("an empty body", "application/scim+json", Vec::new()));
    bad.push(raw(
        "a JSON string",
        "application/scim+json",
        b"\"z\"".to_vec(),
    ));
    bad.push(raw(
        "XML",
        "application/xml",
        b"<User><userName>z</userName></User>".to_vec(),
    ));
    bad.push(raw(
        "UTF-16",
        "application/scim+json",
        "{\"schemas\": []}"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect(),
    ));
    bad.push(raw(
        "not UTF-8",
        "application/scim+json",
        vec![b'{', 0xff, 0xfe, b'}'],
    ));
    bad.push(raw(
        "nesting 10,000 deep",
        "application/scim+json",
        format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)).into_bytes(),
    ));
    bad.push(raw(
        "10 MB",
        "application/scim+json",
        vec![b' '; 10 * 1024 * 1024],
    ));
    bad.push(raw(
        "a form",
        "application/x-www-form-urlencoded",
        b"userName=z%40example.com".to_vec(),
    ));
    bad.push(raw(
        "no content type",
        "",
        okta_user("z@example.com", "z@example.com")
            .to_string()
            .into_bytes(),
    ));
    // Wrong methods and places.
    for (method, path) in [
        (Method::DELETE, "/Users"),
        (Method::PUT, "/Users"),
        (Method::POST, "/Schemas"),
        (Method::GET, "/ResourceTypes/Role"),
        (Method::GET, "/Roles"),
        (Method::DELETE, "/Groups"),
        (Method::GET, "/Groups/not-an-id"),
        (Method::GET, "/Schemas/urn:x"),
        (Method::PATCH, "/Users/not-an-id"),
    ] {
        bad.push(Bad {
            what: format!("{method} {path}"),
            method,
            path: path.to_owned(),
            content_type: "",
            body: Vec::new(),
        });
    }
    bad
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_scim_requests_get_a_scim_error_and_change_nothing() {
    let app = spawn_app().await;
    let token = provisioning_owner(&app, "olive@example.com", "gold-premium", "manager").await;
    let (_, _, user) = scim(
        &app,
        &token,
        Method::POST,
        "/Users",
        Some(okta_user("ada@example.com", "ada@example.com")),
        &[],
    )
    .await;
    let id = user["id"].as_str().unwrap().to_owned();
    app.execute(
        "INSERT INTO scim_groups (id, master_account_id, display_name, created_at, updated_at) \
         SELECT 'group-of-olive', id, 'Designers', now(), now() FROM accounts",
    );
    app.outbox_settled().await;
    let before = app.database_fingerprint();
    let bad = bad_requests(&id);
    let count = bad.len();
    let client = reqwest::Client::new();
    for case in bad {
        let mut request = client
            .request(
                case.method.clone(),
                app.url(&format!("/scim/v2{}", case.path)),
            )
            .header("Authorization", format!("Bearer {token}"))
            .body(case.body);
        if !case.content_type.is_empty() {
            request = request.header("Content-Type", case.content_type);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let content_type = response
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_owned());
        let body: Value =
            serde_json::from_str(&response.text().await.unwrap()).unwrap_or(Value::Null);
        assert!(status.is_client_error(), "{}: {status} {body}", case.what);
        assert_eq!(
            content_type.as_deref(),
            Some("application/scim+json"),
            "{}",
            case.what
        );
        assert_eq!(body["schemas"][0], ERROR, "{}: {body}", case.what);
        assert_eq!(body["status"], status.as_u16().to_string(), "{}", case.what);
        assert!(
            !body["detail"].as_str().unwrap_or("").is_empty(),
            "{}: says what is wrong",
            case.what
        );
    }
    // Without a token, or with a token of another kind: 401 in the same shape.
    for authorization in [
        "",
        "Bearer ",
        "Bearer asc_short",
        "Bearer asp_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "Basic b2xpdmU6cHc=",
    ] {
        let mut request = client.get(app.url("/scim/v2/Users"));
        if !authorization.is_empty() {
            request = request.header("Authorization", authorization);
        }
        let response = request.send().await.unwrap();
        assert_eq!(
            response.status(),
            StatusCode::UNAUTHORIZED,
            "{authorization:?}"
        );
    }
    println!("SCIM bad-input corpus: {count} requests, each a 4xx SCIM error");
    assert!(count >= 100, "{count} cases");
    app.assert_unchanged_since(&before, "bad SCIM requests");
}

const GROUP: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";

/// The roles `address` holds, one per account, as the grants have them.
fn roles_of(app: &TestApp, address: &str) -> Vec<String> {
    let mut connection = app.connection();
    #[derive(diesel::QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Text)]
        role: String,
    }
    use diesel::RunQueryDsl;
    diesel::sql_query(format!(
        "SELECT g.role FROM grants g JOIN members m ON m.id = g.member_id \
         WHERE m.email = '{address}' ORDER BY g.sub_account_id NULLS FIRST"
    ))
    .load::<Row>(&mut connection)
    .unwrap()
    .into_iter()
    .map(|row| row.role)
    .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_group_the_owner_maps_gives_its_members_its_access_within_the_plan() {
    let app = spawn_app().await;
    // Gold Premium: 15 seats, 2 advanced accesses; provisioned people are Managers.
    let token = provisioning_owner(&app, "olive@example.com", "gold-premium", "manager").await;
    let mut ids = Vec::new();
    for who in ["ada", "bo", "cy"] {
        let address = format!("{who}@example.com");
        let (status, _, user) = scim(
            &app,
            &token,
            Method::POST,
            "/Users",
            Some(okta_user(&address, &address)),
            &[],
        )
        .await;
        assert_eq!(status, StatusCode::CREATED);
        ids.push(user["id"].as_str().unwrap().to_owned());
    }
    let member = |id: &str| json!({"value": id});
    let (status, headers, group) = scim(&app, &token, Method::POST, "/Groups",
        Some(json!({"schemas": [GROUP], "displayName": "Designers", "members": [member(&ids[0]), member(&ids[1])]})), &[]).await;
    assert_eq!(status, StatusCode::CREATED, "{group}");
    let group_id = group["id"].as_str().unwrap().to_owned();
    assert_eq!(
        headers["location"].to_str().unwrap(),
        app.url(&format!("/scim/v2/Groups/{group_id}"))
    );
    assert_eq!(
        group["members"][0]["$ref"],
        app.url(&format!("/scim/v2/Users/{}", ids[0]))
    );
    // Unmapped, a group changes nobody's access.
    assert_eq!(roles_of(&app, "ada@example.com"), ["manager"]);

    // The owner maps it on the page: both become Designers, told by mail, in the audit log.
    let (_, page) = app.get_html("/sharing/provisioning").await;
    assert_eq!(texts(&page, ".stacked-table th[scope=row]")[0], "Designers");
    let mapped = app
        .submit(
            "/sharing/provisioning",
            &format!("/sharing/provisioning/groups/{group_id}"),
            &[("role", "designer")],
        )
        .await;
    assert_eq!(mapped.status(), StatusCode::SEE_OTHER);
    assert_eq!(roles_of(&app, "ada@example.com"), ["designer"]);
    assert_eq!(roles_of(&app, "bo@example.com"), ["designer"]);
    assert_eq!(roles_of(&app, "cy@example.com"), ["manager"]);
    assert_eq!(
        app.scalar("SELECT count(*) FROM audit_events WHERE action = 'access_edited'"),
        2
    );
    seats_agree(&app);

    // A third Designer would pass the plan's 2 advanced accesses: refused, nothing changes.
    let add_cy = json!({"schemas": [PATCH], "Operations": [{"op": "add", "path": "members", "value": [member(&ids[2])]}]});
    let (status, _, error) = scim(
        &app,
        &token,
        Method::PATCH,
        &format!("/Groups/{group_id}"),
        Some(add_cy),
        &[],
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{error}");
    assert!(
        error["detail"].as_str().unwrap().contains("cy@example.com"),
        "{error}"
    );
    assert_eq!(roles_of(&app, "cy@example.com"), ["manager"]);
    let (_, _, group) = scim(
        &app,
        &token,
        Method::GET,
        &format!("/Groups/{group_id}"),
        None,
        &[],
    )
    .await;
    assert_eq!(group["members"].as_array().unwrap().len(), 2);

    // Leaving the group (as Okta and Entra ID remove a member): back to the default access.
    let remove_bo = json!({"schemas": [PATCH], "Operations": [{"op": "remove", "path": format!("members[value eq \"{}\"]", ids[1])}]});
    let (status, _, group) = scim(
        &app,
        &token,
        Method::PATCH,
        &format!("/Groups/{group_id}"),
        Some(remove_bo),
        &[],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{group}");
    assert_eq!(group["members"].as_array().unwrap().len(), 1);
    assert_eq!(roles_of(&app, "bo@example.com"), ["manager"]);

    // Found by name; deleted, its last member goes back to the default access too.
    let (_, _, list) = scim(
        &app,
        &token,
        Method::GET,
        "/Groups?filter=displayName%20eq%20%22designers%22",
        None,
        &[],
    )
    .await;
    assert_eq!(list["totalResults"], 1);
    let (status, _, _) = scim(
        &app,
        &token,
        Method::DELETE,
        &format!("/Groups/{group_id}"),
        None,
        &[],
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(roles_of(&app, "ada@example.com"), ["manager"]);
    seats_agree(&app);

    // A member that is not one of this owner's Users, a name taken: refused.
    let (status, _, error) = scim(
        &app,
        &token,
        Method::POST,
        "/Groups",
        Some(json!({"schemas": [GROUP], "displayName": "Other", "members": [member("nobody")]})),
        &[],
    )
    .await;
    assert_eq!(
        (status, error["scimType"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalidValue"))
    );
    scim(
        &app,
        &token,
        Method::POST,
        "/Groups",
        Some(json!({"schemas": [GROUP], "displayName": "Ops"})),
        &[],
    )
    .await;
    let (status, _, error) = scim(
        &app,
        &token,
        Method::POST,
        "/Groups",
        Some(json!({"schemas": [GROUP], "displayName": "OPS"})),
        &[],
    )
    .await;
    assert_eq!(
        (status, error["scimType"].as_str()),
        (StatusCode::CONFLICT, Some("uniqueness"))
    );
}
