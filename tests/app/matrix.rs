//! Matrices built from the route table itself (`routes::endpoints`), so that a route added
//! tomorrow is covered without anyone remembering to list it: forged forms (R20), other
//! tenants' ids (R12), security headers and no writes on every page (R27), wrong methods.

use account_sharing::routes::{Endpoint, endpoints};
use actix_web::http::Method;
use reqwest::StatusCode;

use crate::{
    common::{TestApp, browser, csrf_token, location, spawn_app, spawn_app_with, texts},
    sharing::invite_manager,
    workspace::member,
};

type Fields = Vec<(&'static str, String)>;

/// One owner's things: their master account, a sub-account and a pending member.
struct Tenant {
    owner: TestApp,
    email: &'static str,
    master: i64,
    sub: i64,
    member: i64,
    /// A webhook endpoint of theirs, with one failed delivery.
    webhook: i64,
    delivery: i64,
    /// A live SCIM token of theirs.
    scim_token: i64,
    /// A passkey of the owner's.
    passkey: i64,
}

async fn tenant(app: &TestApp, email: &'static str) -> Tenant {
    let owner = app.another_visitor();
    owner.owner(email, "crystal-premium").await;
    owner
        .submit("/account", "/account/sub-accounts", &[("name", "Shop")])
        .await;
    let master: i64 = owner.master_of(email).parse().unwrap();
    invite_manager(&owner, &format!("pending.{email}")).await;
    settle(&owner).await;
    app.execute(&format!(
        "INSERT INTO webhook_endpoints (master_account_id, url, secret, created_at) \
         VALUES ({master}, 'https://hooks.example.com/{master}', \
                 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', now())"
    ));
    let webhook = app.scalar(&format!(
        "SELECT id FROM webhook_endpoints WHERE master_account_id = {master}"
    ));
    app.execute(&format!(
        "INSERT INTO webhook_deliveries (endpoint_id, message_id, event_type, payload, status, \
             next_attempt_at, created_at) \
         VALUES ({webhook}, 'msg_x{webhook}', 'person.invited', '{{}}', 'failed', now(), now())"
    ));
    let delivery = app.scalar(&format!(
        "SELECT id FROM webhook_deliveries WHERE endpoint_id = {webhook}"
    ));
    app.execute(&format!(
        "INSERT INTO scim_tokens (master_account_id, name, token_hash, hint, created_at) \
         VALUES ({master}, 'Okta', sha256('asc_{master}'::bytea), 'asc_x…', now())"
    ));
    let scim_token = app.scalar(&format!(
        "SELECT id FROM scim_tokens WHERE master_account_id = {master}"
    ));
    app.execute(&format!(
        "INSERT INTO scim_groups (id, master_account_id, display_name, created_at, updated_at) \
         VALUES ('group-of-{master}', {master}, 'Designers', now(), now())"
    ));
    app.execute(&format!(
        "INSERT INTO sso_domains (master_account_id, domain, proof_address, created_at) \
         VALUES ({master}, 'd{master}.example', 'it@d{master}.example', now())"
    ));
    // A passkey row as stored; its key is never read by the routes the matrix walks.
    app.execute(&format!(
        "INSERT INTO passkeys (person_id, user_handle, credential_id, name, passkey, created_at) \
         SELECT p.id, substring(sha256(convert_to(p.email, 'UTF8')) FROM 1 FOR 16), \
                sha256(convert_to('cred' || p.email, 'UTF8')), \
                'Laptop', '{{}}', now() FROM people p WHERE p.email = '{email}'"
    ));
    let passkey = app.scalar(&format!(
        "SELECT k.id FROM passkeys k JOIN people p ON p.id = k.person_id WHERE p.email = '{email}'"
    ));
    Tenant {
        scim_token,
        passkey,
        webhook,
        delivery,
        sub: app.scalar(&format!(
            "SELECT id FROM sub_accounts WHERE master_account_id = {master}"
        )),
        member: app.scalar(&format!(
            "SELECT id FROM members WHERE master_account_id = {master}"
        )),
        owner,
        email,
        master,
    }
}

/// Shows the visitor a page, which shows (and so forgets) any message the session kept for the
/// next page: what is counted afterwards then changes only through the requests under test.
async fn settle(visitor: &TestApp) {
    assert_eq!(
        visitor.get("/account/password").await.status(),
        StatusCode::OK
    );
}

/// The route's path with `tenant`'s ids in place of its parameters.
fn concrete(endpoint: &Endpoint, tenant: &Tenant) -> String {
    let id = if endpoint.path.starts_with("/sharing/people/") {
        tenant.member.to_string()
    } else if endpoint.path.starts_with("/sharing/webhooks/") {
        tenant.webhook.to_string()
    } else if endpoint.path.starts_with("/sharing/provisioning/groups/") {
        format!("group-of-{}", tenant.master)
    } else if endpoint.path.starts_with("/sharing/provisioning/") {
        tenant.scim_token.to_string()
    } else if endpoint.path.starts_with("/account/passkeys/") {
        tenant.passkey.to_string()
    } else {
        tenant.sub.to_string()
    };
    endpoint
        .path
        .replace("{id}", &id)
        .replace("{did}", &tenant.delivery.to_string())
        .replace("{aid}", &tenant.master.to_string())
        .replace("{sid}", &tenant.sub.to_string())
        .replace("{area}", "contacts")
        .replace("{file}", "app.css")
        .replace("{rest:.*}", "Groups")
        .replace("{domain}", &format!("d{}.example", tenant.master))
}

/// For every form of the service, fields that its handler accepts when the token is right:
/// refusals in the matrix are then the CSRF check's, not the form's. A new form without an
/// entry here fails the matrix until it gets one.
fn fields_that_work(path: &str, tenant: &Tenant) -> Fields {
    let s = |value: &str| value.to_owned();
    match path {
        "/sign-up" => vec![
            ("email", s("newcomer@example.com")),
            ("name", s("Newcomer")),
            ("password", s(crate::common::PASSWORD)),
            ("plan", s("free")),
        ],
        "/sign-in" => vec![
            ("email", s(tenant.email)),
            ("password", s(crate::common::PASSWORD)),
        ],
        "/password-reset" => vec![("email", s(tenant.email))],
        "/password-reset/new" | "/invitations/accept/new-login" => {
            vec![("name", s("Forged")), ("password", s("another passphrase"))]
                .into_iter()
                .filter(|(name, _)| path.ends_with("new-login") || *name == "password")
                .collect()
        }
        "/account/password" => vec![
            ("current_password", s(crate::common::PASSWORD)),
            ("new_password", s("another passphrase")),
        ],
        "/account/email" => vec![
            ("email", s("moved@example.com")),
            ("current_password", s(crate::common::PASSWORD)),
        ],
        "/account/sub-accounts" | "/account/sub-accounts/{id}/rename" | "/account/name" => {
            vec![("name", s("Forged"))]
        }
        "/sharing/invite" => vec![
            ("email", s("forged@example.com")),
            ("account_0", tenant.master.to_string()),
            ("role_0", s("manager")),
            ("action", s("send")),
        ],
        "/sharing/invite/many" => vec![
            ("emails", s("forged@example.com, forged2@example.com")),
            ("account_0", tenant.master.to_string()),
            ("role_0", s("manager")),
            ("action", s("send")),
        ],
        "/sharing/people/{id}/edit" => vec![
            ("account_0", tenant.master.to_string()),
            ("role_0", s("accountant")),
            ("action", s("send")),
        ],
        "/plan" => vec![("plan", s("free"))],
        "/sign-in/two-factor" | "/account/two-factor/confirm" => vec![("code", s("123456"))],
        "/sharing/security" => vec![("for_account", tenant.master.to_string())],
        "/account/two-factor/recovery-codes" => {
            vec![("codes_password", s(crate::common::PASSWORD))]
        }
        "/account/two-factor/turn-off" | "/account/passkeys/{id}/remove" => {
            vec![("current_password", s(crate::common::PASSWORD))]
        }
        // No browser answered: refused by the form, after the check.
        "/account/passkeys" => vec![("passkey_name", s("Laptop")), ("credential", s("{}"))],
        "/sign-in/two-factor/passkey" | "/sign-in/passkey" => vec![("credential", s("{}"))],
        "/sharing/webhooks" => vec![("url", s("https://hooks.example.com/sharing"))],
        "/account/tokens" => vec![
            ("name", s("script")),
            ("account", tenant.master.to_string()),
            ("scope_people_read", s("on")),
            ("lifetime", s("30")),
        ],
        "/sharing/transfer" => vec![
            ("email", s("pending.bo@example.com")),
            ("current_password", s(crate::common::PASSWORD)),
        ],
        "/language" => vec![("lang", s("fr")), ("back", s("/sharing"))],
        "/account/notifications" => vec![("notify_access_changed", s("on"))],
        "/accounts/switch" => vec![("account", tenant.master.to_string())],
        // The platform's endpoints and the API take no form (see `machine_answer`).
        "/auth/forward" | "/api/v1/check" => vec![],
        path if path.starts_with("/api/") => vec![],
        // SCIM takes a bearer token, never a form (see `machine_answer`).
        path if path.starts_with("/scim/") => vec![],
        "/sharing/provisioning" => vec![("role", s("manager"))],
        "/sharing/provisioning/tokens" => vec![("name", s("Okta"))],
        "/sharing/provisioning/groups/{id}" => vec![("role", s("designer"))],
        "/sharing/sso" => vec![
            ("issuer", s("https://idp.example.com")),
            ("client_id", s("x")),
            ("client_secret", s("y")),
        ],
        "/sharing/sso/domains" => vec![
            ("domain", s("acme.example")),
            ("address", s("it@acme.example")),
        ],
        "/sso/domains/confirm" => vec![("token", s("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"))],
        "/sign-out"
        | "/verify-email"
        | "/account/verification-email"
        | "/account/email/confirm"
        | "/account/sign-out-everywhere"
        | "/account/two-factor/setup"
        | "/account/passkeys/options"
        | "/sign-in/two-factor/passkey/options"
        | "/sign-in/passkey/options"
        | "/sharing/people/{id}/delete"
        | "/sharing/people/{id}/resend"
        | "/invitations/accept"
        | "/invitations/accept/switch"
        | "/invitations/decline"
        | "/sharing/transfer/cancel"
        | "/ownership/{aid}/accept"
        | "/ownership/{aid}/decline"
        | "/account/own-account"
        | "/account/tokens/{id}/revoke"
        | "/sharing/provisioning/tokens/{id}/revoke"
        | "/sharing/sso/domains/{domain}/remove"
        | "/sharing/sso/domains/{domain}/check-dns"
        | "/sharing/webhooks/{id}/delete"
        | "/sharing/webhooks/{id}/deliveries/{did}/resend" => vec![],
        other => panic!("{other}: add the fields its form takes to fields_that_work"),
    }
}

/// The email platform's endpoints (INTEGRATION.md S15, S16) read no form and no CSRF token,
/// and change nothing: forward auth believes forwarded headers only from a trusted proxy and
/// answers without them with 400; the check API takes only a Bearer service token, never a
/// cookie, so without one it answers 401. What a forged form gets from them.
fn machine_answer(path: &str) -> Option<StatusCode> {
    match path {
        "/auth/forward" => Some(StatusCode::BAD_REQUEST),
        "/api/v1/check" => Some(StatusCode::UNAUTHORIZED),
        // The members API (S17) takes a personal token, never a cookie.
        path if path.starts_with("/api/v1/accounts/") => Some(StatusCode::UNAUTHORIZED),
        // So does SCIM (issue 22), with a SCIM token.
        path if path.starts_with("/scim/") => Some(StatusCode::UNAUTHORIZED),
        _ => None,
    }
}

fn posts() -> Vec<Endpoint> {
    endpoints(true)
        .into_iter()
        .filter(|endpoint| endpoint.method == Method::POST)
        .collect()
}

/// The visitor's CSRF token, from the sign-in form, or when signed in, from the change of
/// password's.
async fn token_of(visitor: &TestApp) -> String {
    let (status, html) = visitor.get_html("/sign-in").await;
    if status == StatusCode::OK {
        return csrf_token(&html);
    }
    let (status, html) = visitor.get_html("/account/password").await;
    assert_eq!(status, StatusCode::OK, "signed in: {html}");
    csrf_token(&html)
}

/// The route table's method as the HTTP client spells it.
fn http(method: &Method) -> reqwest::Method {
    reqwest::Method::from_bytes(method.as_str().as_bytes()).unwrap()
}

async fn send(
    visitor: &TestApp,
    method: &Method,
    path: &str,
    fields: &[(&str, String)],
    headers: &[(&str, &str)],
) -> reqwest::Response {
    let mut request = visitor.client.request(http(method), visitor.url(path));
    if method == Method::POST {
        request = request.form(fields);
    }
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_form_refuses_forged_requests_and_changes_nothing() {
    let app = spawn_app().await;
    let mine = tenant(&app, "mo@example.com").await;
    app.mails_to("pending.mo@example.com", 1).await;
    let own_token = token_of(&mine.owner).await;
    let foreign_token = token_of(&app.another_visitor()).await;
    // The tenants' webhooks point at a name that does not resolve here: their deliveries
    // are settled first, so the worker's retries change nothing while requests are counted.
    app.execute("UPDATE webhook_deliveries SET status = 'failed' WHERE status = 'pending'");
    // No session's once-a-minute write between the fingerprints, however long this takes.
    app.settings.clock.stop();
    let before = app.database_fingerprint();

    let forms = posts();
    assert!(forms.len() >= 23, "every form of the table: {forms:?}");
    let mut refused = 0;
    for endpoint in &forms {
        let path = concrete(endpoint, &mine);
        let fields = fields_that_work(endpoint.path, &mine);
        // (the token sent, if any; request headers)
        type Forgery<'a> = (Option<&'a str>, &'a [(&'a str, &'a str)]);
        let variants: [Forgery; 5] = [
            (None, &[]),
            (Some("wrong"), &[]),
            (Some(&foreign_token), &[]),
            (Some(&own_token), &[("origin", "https://evil.test")]),
            (Some(&own_token), &[("sec-fetch-site", "cross-site")]),
        ];
        for (token, headers) in variants {
            let mut form: Fields = token
                .map(|token| vec![("csrf_token", token.to_owned())])
                .unwrap_or_default();
            form.extend(fields.iter().cloned());
            let response = send(&mine.owner, &Method::POST, &path, &form, headers).await;
            let status = response.status();
            let html = response.text().await.unwrap();
            if let Some(expected) = machine_answer(&path) {
                assert_eq!(status, expected, "{path} {token:?} {headers:?}");
                refused += 1;
                continue;
            }
            assert_eq!(
                status,
                StatusCode::FORBIDDEN,
                "{path} {token:?} {headers:?}"
            );
            assert_eq!(texts(&html, "h1"), ["This form could not be accepted"]);
            refused += 1;
        }
    }
    app.assert_unchanged_since(&before, "nothing changed");
    println!(
        "CSRF matrix: {} forms x 5 forgeries = {refused} requests, {refused} refused with 403, 0 rows changed",
        forms.len()
    );

    // The same forms with the session's own token from this site reach their handlers: what
    // refused them above was the check. Signing in comes near the end, as it leaves the owner
    // (who has a passkey) at the second step, and signing out last, as it ends the session.
    let mut forms = forms;
    forms.retain(|endpoint| machine_answer(endpoint.path).is_none());
    forms.sort_by_key(|endpoint| {
        (
            endpoint.path.contains("sign-out"),
            endpoint.path.starts_with("/sign-in"),
        )
    });
    for endpoint in &forms {
        let path = concrete(endpoint, &mine);
        // Signing in again renews the session and its token, as it should: ask for it each time.
        let mut form = vec![("csrf_token", token_of(&mine.owner).await)];
        form.extend(fields_that_work(endpoint.path, &mine));
        let headers = [
            ("origin", app.base_url.as_str()),
            ("sec-fetch-site", "same-origin"),
        ];
        let response = send(&mine.owner, &Method::POST, &path, &form, &headers).await;
        let status = response.status();
        let html = response.text().await.unwrap();
        assert!(
            status.is_success() || status.is_redirection() || status.is_client_error(),
            "{path}: {status}"
        );
        assert_ne!(
            texts(&html, "h1"),
            ["This form could not be accepted"],
            "{path} with the right token"
        );
    }
}

/// The answer to `endpoint` with `tenant`'s ids: status, page title, and whether it sent the
/// visitor to sign in.
async fn answer(
    visitor: &TestApp,
    endpoint: &Endpoint,
    tenant: &Tenant,
) -> (StatusCode, Vec<String>, bool) {
    let mut form = Vec::new();
    if endpoint.method == Method::POST {
        form.push(("csrf_token", token_of(visitor).await));
        form.extend(fields_that_work(endpoint.path, tenant));
    }
    let path = concrete(endpoint, tenant);
    let response = send(visitor, &endpoint.method, &path, &form, &[]).await;
    let status = response.status();
    let to_sign_in =
        status == StatusCode::SEE_OTHER && location(&response).starts_with("/sign-in?next=");
    (
        status,
        texts(&response.text().await.unwrap(), "h1"),
        to_sign_in,
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn other_tenants_ids_are_not_found_and_change_nothing() {
    let app = spawn_app().await;
    let theirs = tenant(&app, "ada@example.com").await;
    let mine = tenant(&app, "bo@example.com").await;
    // Ids that never existed: what a stranger gets for Ada's must be exactly what they get for
    // these, or the answer tells that something is there.
    let ghost = Tenant {
        owner: app.another_visitor(),
        email: "ghost@example.com",
        master: 999_999_999,
        sub: 999_999_998,
        member: 999_999_997,
        webhook: 999_999_996,
        delivery: 999_999_995,
        scim_token: 999_999_994,
        passkey: 999_999_993,
    };
    // Someone Ada shares her master account with, as a Designer: no right to share.
    let designer = member(
        &theirs.owner,
        "dee@example.com",
        &[
            ("account_0", &theirs.master.to_string()),
            ("role_0", "designer"),
        ],
    )
    .await;
    settle(&designer).await;
    settle(&theirs.owner).await;
    let signed_out = app.another_visitor();
    // Their first page gives them a session to hold their form token: before counting rows.
    token_of(&signed_out).await;
    app.mails_to("pending.bo@example.com", 1).await;
    app.outbox_settled().await;
    // The tenants' webhooks point at a name that does not resolve here: their deliveries
    // are settled first, so the worker's retries change nothing while requests are counted.
    app.execute("UPDATE webhook_deliveries SET status = 'failed' WHERE status = 'pending'");
    // No session's once-a-minute write between the fingerprints, however long this takes.
    app.settings.clock.stop();
    let before = app.database_fingerprint();

    let with_ids: Vec<Endpoint> = endpoints(false)
        .into_iter()
        .filter(|endpoint| endpoint.path.contains('{') && !endpoint.path.contains("{file}"))
        // The members API's and SCIM's routes answer tokens, not sessions: members_api.rs and
        // scim.rs have their matrices.
        .filter(|endpoint| {
            !endpoint.path.starts_with("/api/") && !endpoint.path.starts_with("/scim/")
        })
        .chain([Endpoint {
            method: Method::POST,
            path: "/accounts/switch",
        }])
        .collect();
    assert!(with_ids.len() >= 12, "{with_ids:?}");
    let mut requests = 0;
    let mut answers = std::collections::BTreeMap::<(&str, u16), usize>::new();
    for endpoint in &with_ids {
        for (who, visitor) in [
            ("second owner", &mine.owner),
            ("Designer on the master", &designer),
            ("signed out", &signed_out),
        ] {
            // What the Designer's access opens: the master account, its home and its areas.
            if who.starts_with("Designer")
                && matches!(
                    endpoint.path,
                    "/accounts/{aid}" | "/accounts/{aid}/areas/{area}" | "/accounts/switch"
                )
            {
                continue;
            }
            let seen = answer(visitor, endpoint, &theirs).await;
            let never_existed = answer(visitor, endpoint, &ghost).await;
            requests += 2;
            *answers.entry((who, seen.0.as_u16())).or_default() += 1;
            let what = format!("{who}: {} {}", endpoint.method, endpoint.path);
            assert_eq!(seen, never_existed, "{what} tells Ada's ids from none");
            let (status, _, to_sign_in) = seen;
            match who {
                "signed out" => assert!(to_sign_in, "{what}: {status}"),
                // Only a 404 for another owner's ids (R12); the switcher's form answers with
                // the switcher, saying the account cannot be reached.
                "second owner" if endpoint.path != "/accounts/switch" => {
                    assert_eq!(status, StatusCode::NOT_FOUND, "{what}")
                }
                // An access-only login has no account of its own to manage: 403 on those pages
                // whatever the id, 404 for what is Ada's.
                _ => assert!(
                    status == StatusCode::NOT_FOUND || status == StatusCode::FORBIDDEN,
                    "{what}: {status}"
                ),
            }
        }
    }
    // Each owner inside their own master account, with the other's sub-account's id.
    for (visitor, own, other) in [
        (&mine.owner, &mine, &theirs),
        (&theirs.owner, &theirs, &mine),
    ] {
        for path in [
            format!("/accounts/{}/sub-accounts/{}", own.master, other.sub),
            format!(
                "/accounts/{}/sub-accounts/{}/areas/contacts",
                own.master, other.sub
            ),
        ] {
            let (status, html) = visitor.get_html(&path).await;
            requests += 1;
            *answers
                .entry(("mismatched ids", status.as_u16()))
                .or_default() += 1;
            assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
            assert_eq!(texts(&html, "h1"), ["Page not found"]);
        }
        let response = visitor
            .submit(
                "/accounts",
                "/accounts/switch",
                &[("account", &format!("{}:{}", own.master, other.sub))],
            )
            .await;
        requests += 1;
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
    }
    app.assert_unchanged_since(&before, "nothing changed");
    println!(
        "IDOR matrix: {} routes with ids x 3 visitors, each with Ada's ids and ids that never existed, + 6 with mismatched ids = {requests} requests; answers {answers:?}; 0 rows changed",
        with_ids.len()
    );
}

const POLICY: &str = "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

/// The headers R27 asks of `response`, as (name, value) pairs, for one comparison per page.
fn security_headers(response: &reqwest::Response) -> Vec<(&'static str, String)> {
    [
        "content-security-policy",
        "x-content-type-options",
        "referrer-policy",
        "cross-origin-opener-policy",
        "x-frame-options",
        "cache-control",
        "strict-transport-security",
    ]
    .into_iter()
    .map(|name| {
        let value = response
            .headers()
            .get(name)
            .map(|value| value.to_str().unwrap().to_owned())
            .unwrap_or_default();
        (name, value)
    })
    .collect()
}

fn expected_headers(hsts: bool) -> Vec<(&'static str, String)> {
    vec![
        ("content-security-policy", POLICY.to_owned()),
        ("x-content-type-options", "nosniff".to_owned()),
        ("referrer-policy", "no-referrer".to_owned()),
        ("cross-origin-opener-policy", "same-origin".to_owned()),
        ("x-frame-options", "DENY".to_owned()),
        ("cache-control", "no-store".to_owned()),
        (
            "strict-transport-security",
            if hsts {
                "max-age=31536000; includeSubDomains".to_owned()
            } else {
                String::new()
            },
        ),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_and_error_page_carries_the_security_headers_and_writes_nothing() {
    let app = spawn_app().await;
    let mine = tenant(&app, "oz@example.com").await;
    app.mails_to("pending.oz@example.com", 1).await;
    // Page views of an owner, as they come: the session may slide, nothing else may change.
    // The tenants' webhooks point at a name that does not resolve here: their deliveries
    // are settled first, so the worker's retries change nothing while requests are counted.
    app.execute("UPDATE webhook_deliveries SET status = 'failed' WHERE status = 'pending'");
    // No session's once-a-minute write between the fingerprints, however long this takes.
    app.settings.clock.stop();
    let before = app.database_fingerprint();
    let mut pages = 0;
    for endpoint in endpoints(true)
        .iter()
        .filter(|endpoint| endpoint.method == Method::GET)
    {
        let path = concrete(endpoint, &mine);
        let response = mine.owner.get(&path).await;
        let status = response.status();
        assert!(!status.is_server_error(), "{path}: {status}");
        let mut expected = expected_headers(false);
        if path.starts_with("/static/") {
            // A stylesheet is the same for everyone: it may be cached, for a day.
            expected.retain(|(name, _)| *name != "cache-control");
        }
        let mut seen = security_headers(&response);
        seen.retain(|(name, _)| expected.iter().any(|(kept, _)| kept == name));
        assert_eq!(seen, expected, "{path} ({status})");
        pages += 1;
    }
    assert_eq!(
        app.database_fingerprint(),
        before,
        "a page view writes nothing"
    );

    // Error pages: not found, wrong method, refused form, too large, too many, forbidden.
    let token = token_of(&mine.owner).await;
    let errors = [
        (Method::GET, "/no-such-page".to_owned(), vec![]),
        (Method::GET, "/accounts/999999999".to_owned(), vec![]),
        (Method::PUT, "/sign-in".to_owned(), vec![]),
        (Method::POST, "/account/sub-accounts".to_owned(), vec![]),
        (
            Method::POST,
            "/account/sub-accounts".to_owned(),
            vec![("csrf_token", token.clone()), ("name", "x".repeat(8000))],
        ),
    ];
    for (method, path, form) in errors {
        let response = mine
            .owner
            .client
            .request(http(&method), mine.owner.url(&path))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert!(response.status().is_client_error(), "{method} {path}");
        assert_eq!(
            security_headers(&response),
            expected_headers(false),
            "{method} {path}"
        );
        pages += 1;
    }

    // Behind HTTPS, every answer also tells browsers to keep to HTTPS for a year.
    let https = spawn_app_with(|vars| {
        vars.insert("BASE_URL".into(), "https://share.example.com".into());
    })
    .await;
    for path in ["/", "/sign-in", "/no-such-page", "/accounts"] {
        let response = browser().get(https.url(path)).send().await.unwrap();
        let mut seen = security_headers(&response);
        seen.retain(|(name, _)| *name == "strict-transport-security");
        assert_eq!(
            seen,
            [(
                "strict-transport-security",
                "max-age=31536000; includeSubDomains".to_owned()
            )],
            "{path}"
        );
        pages += 1;
    }
    println!(
        "Security headers: {pages} pages and error pages, every header as R27 asks; 0 writes on page views"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_method_a_route_does_not_answer_gets_405_and_what_it_allows() {
    let app = spawn_app().await;
    let table = endpoints(false);
    let mut checked = 0;
    for endpoint in &table {
        for method in [Method::PUT, Method::DELETE, Method::PATCH] {
            // Forward auth answers every method, as the platform's requests come.
            if table
                .iter()
                .any(|other| other.path == endpoint.path && other.method == method)
            {
                continue;
            }
            let response = app
                .client
                .request(http(&method), app.url(endpoint.path))
                .send()
                .await
                .unwrap();
            assert_eq!(
                response.status(),
                StatusCode::METHOD_NOT_ALLOWED,
                "{method} {}",
                endpoint.path
            );
            let allow = response.headers()["allow"].to_str().unwrap().to_owned();
            assert!(allow.contains(endpoint.method.as_str()), "{allow}");
            let api = response.headers()["content-type"] == "application/problem+json";
            let scim_type = response.headers()["content-type"].clone();
            let body = response.text().await.unwrap();
            let body_has_405 = |body: &str| {
                scim_type == "application/scim+json" && body.contains("\"status\":\"405\"")
            };
            if endpoint.path.starts_with("/scim/") {
                // For identity providers: a SCIM error (RFC 7644 3.12).
                assert!(body_has_405(&body), "{}: {body}", endpoint.path);
            } else if endpoint.path.starts_with("/api/") {
                // For programs: a problem document.
                assert!(api, "{}: {body}", endpoint.path);
                assert!(body.contains("\"status\":405"), "{body}");
            } else if ["/health", "/health/live", "/health/ready", "/metrics"]
                .contains(&endpoint.path)
            {
                // For machines: the title as plain text, no page.
                assert_eq!(body, "This page cannot do that");
            } else {
                assert_eq!(
                    texts(&body, "h1"),
                    ["This page cannot do that"],
                    "{}",
                    endpoint.path
                );
            }
            checked += 1;
        }
    }
    // A form's address opened as a page says the same, and lists POST.
    let response = app.get("/sign-out").await;
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(response.headers()["allow"], "POST");
    println!("Wrong methods: {checked} requests, all 405 with Allow");
}
