//! The bad-input corpus (SECURITY.md, "Bad inputs"): every form and every route with an id, met
//! by what a script at the edge sends. Each case must get a 4xx that says what was wrong — never a
//! 5xx, never a refusal that is really the CSRF check's or the rate limiter's — and the database
//! must be exactly as before.

use std::collections::BTreeMap;

use reqwest::{Method, StatusCode};

use crate::{
    common::{PASSWORD, csrf_token, spawn_app, texts},
    sharing::{invitation_link, invite_manager, open_link},
};

/// Who sends the case: each form is sent by someone it is meant for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Who {
    /// A signed-in owner, with a sub-account and a pending invitation.
    Owner,
    /// Signed out.
    Visitor,
    /// Signed out, holding an invitation link.
    Invitee,
    /// Signed out, holding a password reset link.
    Resetter,
}

enum Body {
    /// Form fields, sent urlencoded after the sender's CSRF token.
    Form(Vec<(String, String)>),
    /// Bytes as they are, with this content type; `{token}` becomes the sender's CSRF token.
    Raw(&'static str, Vec<u8>),
    Empty,
}

struct Case {
    category: &'static str,
    who: Who,
    method: Method,
    path: String,
    body: Body,
}

/// A form of the service: where it is sent, by whom, and fields it accepts.
struct FormSpec {
    path: String,
    who: Who,
    fields: Vec<(&'static str, String)>,
}

impl FormSpec {
    /// The form's fields with `field` set to `value`.
    fn with(&self, field: &str, value: &str) -> Vec<(String, String)> {
        assert!(
            self.fields.iter().any(|(name, _)| *name == field),
            "{field}"
        );
        self.fields
            .iter()
            .map(|(name, old)| {
                let value = if *name == field { value } else { old };
                (name.to_string(), value.to_owned())
            })
            .collect()
    }

    fn fields(&self) -> Vec<(String, String)> {
        self.fields
            .iter()
            .map(|(name, value)| (name.to_string(), value.clone()))
            .collect()
    }

    fn case(&self, category: &'static str, body: Body) -> Case {
        Case {
            category,
            who: self.who,
            method: Method::POST,
            path: self.path.clone(),
            body,
        }
    }

    /// The limit its body may not exceed.
    fn limit(&self) -> usize {
        if self.path.starts_with("/sharing/") {
            64 * 1024
        } else {
            4096
        }
    }
}

struct Ids {
    master: i64,
    sub: i64,
    member: i64,
}

fn forms(ids: &Ids) -> Vec<FormSpec> {
    let s = |value: &str| value.to_owned();
    let form = |path: String, who: Who, fields: Vec<(&'static str, String)>| FormSpec {
        path,
        who,
        fields,
    };
    vec![
        form(
            s("/sign-up"),
            Who::Visitor,
            vec![
                ("email", s("new@example.com")),
                ("name", s("New")),
                ("password", s(PASSWORD)),
                ("plan", s("free")),
            ],
        ),
        form(
            s("/sign-in"),
            Who::Visitor,
            vec![("email", s("owner@example.com")), ("password", s(PASSWORD))],
        ),
        form(
            s("/password-reset"),
            Who::Visitor,
            vec![("email", s("owner@example.com"))],
        ),
        form(
            s("/password-reset/new"),
            Who::Resetter,
            vec![("password", s("a brand new passphrase"))],
        ),
        form(
            s("/invitations/accept/new-login"),
            Who::Invitee,
            vec![("name", s("Ivy")), ("password", s(PASSWORD))],
        ),
        form(
            s("/account/password"),
            Who::Owner,
            vec![
                ("current_password", s(PASSWORD)),
                ("new_password", s("a brand new passphrase")),
            ],
        ),
        form(
            s("/sign-in/two-factor"),
            Who::Visitor,
            vec![("code", s("123456"))],
        ),
        form(
            s("/account/two-factor/confirm"),
            Who::Owner,
            vec![("code", s("123456"))],
        ),
        form(
            s("/account/two-factor/recovery-codes"),
            Who::Owner,
            vec![("codes_password", s(PASSWORD))],
        ),
        form(
            s("/account/two-factor/turn-off"),
            Who::Owner,
            vec![("current_password", s(PASSWORD))],
        ),
        form(
            s("/account/email"),
            Who::Owner,
            vec![
                ("email", s("moved@example.com")),
                ("current_password", s(PASSWORD)),
            ],
        ),
        form(
            s("/account/sub-accounts"),
            Who::Owner,
            vec![("name", s("Kiosk"))],
        ),
        form(
            format!("/account/sub-accounts/{}/rename", ids.sub),
            Who::Owner,
            vec![("name", s("Kiosk"))],
        ),
        form(
            s("/sharing/invite"),
            Who::Owner,
            vec![
                ("email", s("new@example.com")),
                ("account_0", ids.master.to_string()),
                ("role_0", s("manager")),
                ("action", s("send")),
            ],
        ),
        form(
            format!("/sharing/people/{}/edit", ids.member),
            Who::Owner,
            vec![
                ("account_0", ids.master.to_string()),
                ("role_0", s("accountant")),
                ("action", s("send")),
            ],
        ),
        form(s("/plan"), Who::Owner, vec![("plan", s("free"))]),
        form(
            s("/accounts/switch"),
            Who::Owner,
            vec![("account", ids.master.to_string())],
        ),
    ]
}

/// Forms without fields: an unknown key is all that can be wrong with them.
fn empty_forms(ids: &Ids) -> Vec<(String, Who)> {
    vec![
        ("/sign-out".into(), Who::Owner),
        ("/account/verification-email".into(), Who::Owner),
        ("/account/email/confirm".into(), Who::Owner),
        ("/account/sign-out-everywhere".into(), Who::Owner),
        ("/account/two-factor/setup".into(), Who::Owner),
        (format!("/sharing/people/{}/delete", ids.member), Who::Owner),
        (format!("/sharing/people/{}/resend", ids.member), Who::Owner),
        ("/verify-email".into(), Who::Visitor),
        // Accepting while signed in; the invitee here is signed out.
        ("/invitations/accept".into(), Who::Owner),
        ("/invitations/accept/switch".into(), Who::Invitee),
        ("/invitations/decline".into(), Who::Invitee),
    ]
}

const EMAILS: [&str; 17] = [
    "",
    "   ",
    "a@@b.co",
    "a@b.co\r\nBcc: x@evil.test",
    "a@b.co%0d%0aBcc:x@evil.test",
    "a@b.co\nBcc: x@evil.test",
    "u@[127.0.0.1]",
    "u@127.0.0.1",
    "m\u{131}ke@example.com",
    "\u{fb00}@example.com",
    "\u{7528}\u{6237}@\u{4f8b}\u{5b50}.\u{5e7f}\u{544a}",
    "a\0@example.com",
    "a\u{202e}@example.com",
    "a\u{200b}@example.com",
    "no-at-sign",
    "a@",
    "@example.com",
];

/// Characters that hide, reorder or break text.
const HIDDEN: [&str; 10] = [
    "\r\nBcc: x@evil.test",
    "\u{202e}",
    "\u{200b}",
    "\u{7}",
    "\u{1b}[31m",
    "\u{2028}",
    "\u{feff}",
    "\u{61c}",
    "\u{2066}",
    "\u{e0041}",
];

const IDS: [&str; 14] = [
    "-1",
    "0",
    "9223372036854775807",
    "9223372036854775808",
    "18446744073709551616",
    "-9223372036854775809",
    "abc",
    "1e3",
    "0x10",
    "%201",
    "1.0",
    "%D9%A1",
    "1%00",
    "%FF",
];

fn corpus(ids: &Ids) -> Vec<Case> {
    let forms = forms(ids);
    let form = |path: &str| {
        forms
            .iter()
            .find(|form| form.path == path)
            .unwrap_or_else(|| panic!("{path}"))
    };
    let mut cases = Vec::new();

    // Over-long fields, under the body's limit, so that the field's own check answers.
    let mut long = |path: &str, field: &str, values: &[String]| {
        for value in values {
            let spec = form(path);
            cases.push(spec.case("over-long fields", Body::Form(spec.with(field, value))));
        }
    };
    let long_emails = [
        format!("{}@example.com", "a".repeat(65)),
        format!("a@{}.com", vec!["d".repeat(63); 4].join(".")),
        format!("{}@example.com", "a".repeat(300)),
    ];
    for path in [
        "/sign-up",
        "/sign-in",
        "/password-reset",
        "/account/email",
        "/sharing/invite",
    ] {
        long(path, "email", &long_emails);
    }
    let long_names = ["n".repeat(101), "\u{e9}".repeat(101), "n".repeat(1000)];
    for (path, field) in [
        ("/sign-up", "name"),
        ("/account/sub-accounts", "name"),
        (
            &format!("/account/sub-accounts/{}/rename", ids.sub) as &str,
            "name",
        ),
        ("/invitations/accept/new-login", "name"),
    ] {
        long(path, field, &long_names);
    }
    let long_passwords = ["p".repeat(1025), "\u{e9}".repeat(600)];
    for (path, field) in [
        ("/sign-up", "password"),
        ("/password-reset/new", "password"),
        ("/invitations/accept/new-login", "password"),
        ("/account/password", "new_password"),
    ] {
        long(path, field, &long_passwords);
    }
    long("/sign-in", "password", &["p".repeat(2000)]);
    long("/plan", "plan", &["free".repeat(100)]);
    long("/accounts/switch", "account", &["9".repeat(300)]);
    long("/sharing/invite", "role_0", &["manager".repeat(50)]);

    // Second factors that are neither six digits nor a recovery code (issue 22): each is told
    // so, before anything is counted or looked up.
    for path in ["/sign-in/two-factor", "/account/two-factor/confirm"] {
        for code in [
            "",
            "12345",
            "1234567",
            "12345a",
            "\u{661}\u{662}\u{663}\u{664}\u{665}\u{666}",
            "123\u{200b}456",
            "123456\0",
            "abcd-efgh-jkmn-pqru",
            "abcd-efgh-jkmn-pqrs-tvwx",
            "' OR '1'='1",
            "%31%32%33%34%35%36",
            &"1".repeat(3000),
        ] {
            let spec = form(path);
            cases.push(spec.case(
                "malformed second factors",
                Body::Form(spec.with("code", code)),
            ));
        }
    }

    // Addresses that are not addresses, from SECURITY.md's list.
    for path in [
        "/sign-up",
        "/sign-in",
        "/password-reset",
        "/account/email",
        "/sharing/invite",
    ] {
        for email in EMAILS {
            let spec = form(path);
            cases.push(spec.case("bad email addresses", Body::Form(spec.with("email", email))));
        }
    }

    // Control, bidirectional and invisible characters in names, and in addresses.
    let rename = format!("/account/sub-accounts/{}/rename", ids.sub);
    for (path, field) in [
        ("/sign-up", "name"),
        ("/account/sub-accounts", "name"),
        (rename.as_str(), "name"),
        ("/invitations/accept/new-login", "name"),
        ("/sign-up", "email"),
        ("/sharing/invite", "email"),
    ] {
        for hidden in HIDDEN {
            let spec = form(path);
            // Inside the text: at either end, spaces among them are trimmed away.
            let value = if field == "email" {
                format!("a{hidden}b@example.com")
            } else {
                format!("Ki{hidden}osk")
            };
            cases.push(spec.case(
                "control and bidi characters",
                Body::Form(spec.with(field, &value)),
            ));
        }
    }

    // NUL, in fields, tokens and ids.
    for (path, field) in [
        ("/sign-up", "name"),
        ("/account/sub-accounts", "name"),
        (rename.as_str(), "name"),
        ("/invitations/accept/new-login", "name"),
        ("/account/email", "email"),
        ("/password-reset", "email"),
        ("/accounts/switch", "account"),
        ("/sharing/invite", "role_0"),
    ] {
        let spec = form(path);
        cases.push(spec.case("NUL", Body::Form(spec.with(field, "a\0b"))));
    }
    for path in [
        "/invitations/accept?token=abc%00",
        "/verify-email?token=abc%00",
        "/password-reset/new?token=abc%00",
        "/account/email/confirm?token=abc%00",
    ] {
        cases.push(Case {
            category: "NUL",
            who: Who::Visitor,
            method: Method::GET,
            path: path.to_owned(),
            body: Body::Empty,
        });
    }

    // Invalid UTF-8: in form bodies, query strings and paths.
    for path in [
        "/sign-up",
        "/sign-in",
        "/account/sub-accounts",
        "/sharing/invite",
    ] {
        let spec = form(path);
        let field = spec.fields[0].0;
        let bad: [&[u8]; 5] = [b"%FF%FE", b"%C3%28", b"%ED%A0%80", b"%C0%AF", &[0xFF, 0xC3]];
        for bad in bad {
            let mut body = format!("csrf_token={{token}}&{field}=").into_bytes();
            body.extend_from_slice(bad);
            cases.push(spec.case(
                "invalid UTF-8",
                Body::Raw("application/x-www-form-urlencoded", body),
            ));
        }
    }
    for path in [
        "/sign-in?next=%FF",
        "/sharing?q=%FF",
        "/sharing/activity?person=%FF&from=%C3%28",
        "/accounts?q=%C3%28",
        "/invitations/accept?token=%FF%FE",
        "/verify-email?token=%ED%A0%80",
        "/password-reset/new?token=%FF",
        "/accounts/%FF",
        "/account/sub-accounts/%C3%28/rename",
    ] {
        cases.push(Case {
            category: "invalid UTF-8",
            who: if path.starts_with("/sharing") || path.starts_with("/account") {
                Who::Owner
            } else {
                Who::Visitor
            },
            method: Method::GET,
            path: path.to_owned(),
            body: Body::Empty,
        });
    }

    // Duplicate, unknown and array keys.
    for spec in &forms {
        let (first, value) = spec.fields[0].clone();
        let mut twice = spec.fields();
        twice.push((first.to_owned(), value.clone()));
        let mut unknown = spec.fields();
        unknown.push(("is_admin".into(), "1".into()));
        let mut tenant = spec.fields();
        tenant.push(("account_id".into(), "1".into()));
        let mut array = spec.fields();
        array[0].0 = format!("{first}[]");
        for body in [twice, unknown, tenant, array] {
            cases.push(spec.case("duplicate and unknown keys", Body::Form(body)));
        }
        let raw = format!("csrf_token={{token}}&csrf_token={{token}}&{first}={value}");
        cases.push(spec.case(
            "duplicate and unknown keys",
            Body::Raw("application/x-www-form-urlencoded", raw.into_bytes()),
        ));
    }
    for (path, who) in empty_forms(ids) {
        cases.push(Case {
            category: "duplicate and unknown keys",
            who,
            method: Method::POST,
            path,
            body: Body::Form(vec![("confirm".into(), "yes".into())]),
        });
    }

    // Forged values of the access form: roles above all, rows out of range, other keys.
    let invite = form("/sharing/invite");
    for (field, value) in [
        ("role_0", "owner"),
        ("role_0", "Manager"),
        ("role_0", "admin"),
        ("account_0", "-1"),
        ("account_0", "1:"),
        ("account_0", ":1"),
        ("account_0", "1:2:3"),
        ("account_0", "abc"),
        ("account_0", "99999999999999999999"),
        ("action", "delete_everything"),
        ("action", "confirm:forged"),
        ("action", "remove:99999"),
    ] {
        cases.push(invite.case("forged form values", Body::Form(invite.with(field, value))));
    }
    for extra in [
        ("account_99999999999999999999", "1"),
        ("account_-1", "1"),
        ("role_5", "manager"),
        ("same_as_0", "owner"),
        ("permission_0_billing", "yes"),
    ] {
        let mut fields = invite.fields();
        fields.push((extra.0.into(), extra.1.into()));
        cases.push(invite.case("forged form values", Body::Form(fields)));
    }

    // Huge forms: just over each form's limit, a megabyte, and a length that lies.
    for spec in &forms {
        let over = spec.limit() + 1;
        let (first, _) = spec.fields[0];
        let body = format!("csrf_token={{token}}&{first}={}", "x".repeat(over));
        cases.push(spec.case(
            "huge forms",
            Body::Raw("application/x-www-form-urlencoded", body.into_bytes()),
        ));
        let body = format!("csrf_token={{token}}&{first}={}", "x".repeat(1 << 20));
        cases.push(spec.case(
            "huge forms",
            Body::Raw("application/x-www-form-urlencoded", body.into_bytes()),
        ));
    }
    // Thousands of rows under the invite form's byte limit.
    let rows: String = (0..5000).map(|i| format!("&role_{i}=")).collect();
    cases.push(invite.case(
        "huge forms",
        Body::Raw(
            "application/x-www-form-urlencoded",
            format!("csrf_token={{token}}&email=a%40b.co{rows}").into_bytes(),
        ),
    ));

    // Negative, enormous and odd ids, in every path that holds one.
    let id_paths = |id: &str| {
        [
            (Method::GET, format!("/account/sub-accounts/{id}/rename")),
            (Method::POST, format!("/account/sub-accounts/{id}/rename")),
            (Method::GET, format!("/sharing/people/{id}/edit")),
            (Method::POST, format!("/sharing/people/{id}/edit")),
            (Method::GET, format!("/sharing/people/{id}/delete")),
            (Method::POST, format!("/sharing/people/{id}/delete")),
            (Method::POST, format!("/sharing/people/{id}/resend")),
            (Method::GET, format!("/accounts/{id}")),
            (Method::GET, format!("/accounts/{id}/areas/contacts")),
            (
                Method::GET,
                format!("/accounts/{}/sub-accounts/{id}", ids.master),
            ),
            (
                Method::GET,
                format!("/accounts/{}/sub-accounts/{id}/areas/contacts", ids.master),
            ),
        ]
    };
    for id in IDS {
        for (method, path) in id_paths(id) {
            let body = if method == Method::POST {
                let fields = if path.ends_with("/rename") {
                    vec![("name".into(), "Kiosk".into())]
                } else if path.ends_with("/edit") {
                    form(&format!("/sharing/people/{}/edit", ids.member)).fields()
                } else {
                    vec![]
                };
                Body::Form(fields)
            } else {
                Body::Empty
            };
            cases.push(Case {
                category: "negative and enormous ids",
                who: Who::Owner,
                method,
                path,
                body,
            });
        }
    }
    let switch = form("/accounts/switch");
    for id in [
        "-1",
        "0",
        "9223372036854775808",
        "1:-1",
        "1:",
        "",
        " 1",
        "1 ",
    ] {
        cases.push(switch.case(
            "negative and enormous ids",
            Body::Form(switch.with("account", id)),
        ));
    }

    // Methods a route does not answer.
    for spec in &forms {
        for method in [Method::PUT, Method::DELETE, Method::PATCH] {
            cases.push(Case {
                category: "wrong methods",
                who: spec.who,
                method,
                path: spec.path.clone(),
                body: Body::Form(spec.fields()),
            });
        }
    }

    // Content types a form is not sent as.
    for path in [
        "/sign-up",
        "/sign-in",
        "/account/sub-accounts",
        "/sharing/invite",
        "/accounts/switch",
    ] {
        let spec = form(path);
        let (first, value) = &spec.fields[0];
        let urlencoded = format!("csrf_token={{token}}&{first}={value}");
        for (content_type, body) in [
            (
                "application/json",
                format!("{{\"csrf_token\":\"{{token}}\",\"{first}\":\"{value}\"}}"),
            ),
            (
                "multipart/form-data; boundary=x",
                "--x\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{token}\r\n--x--\r\n"
                    .to_owned(),
            ),
            ("text/plain", urlencoded.clone()),
            ("application/xml", format!("<{first}>{value}</{first}>")),
            ("", urlencoded.clone()),
            (
                "application/x-www-form-urlencoded; charset=utf-16",
                String::from_utf8_lossy(
                    &urlencoded
                        .encode_utf16()
                        .flat_map(u16::to_le_bytes)
                        .collect::<Vec<u8>>(),
                )
                .into_owned(),
            ),
        ] {
            cases.push(spec.case(
                "odd content types",
                Body::Raw(content_type, body.into_bytes()),
            ));
        }
    }
    cases
}

/// The titles of the error pages a bad input may get.
const ERROR_TITLES: [&str; 7] = [
    "Page not found",
    "This web address could not be understood",
    "This invitation link does not work",
    "This link does not work",
    "This form could not be understood",
    "What you sent is too large",
    "This page cannot do that",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_bad_inputs_get_a_clear_4xx_and_change_nothing() {
    let app = spawn_app().await;
    app.owner("owner@example.com", "crystal-premium").await;
    app.submit("/account", "/account/sub-accounts", &[("name", "Shop")])
        .await;
    invite_manager(&app, "ivy@example.com").await;
    let ids = Ids {
        master: app.master_of("owner@example.com").parse().unwrap(),
        sub: app.scalar("SELECT id FROM sub_accounts"),
        member: app.scalar("SELECT id FROM members"),
    };
    let visitor = app.another_visitor();
    let invitee = app.another_visitor();
    open_link(&invitee, &invitation_link(&app, "ivy@example.com", 1).await).await;
    let resetter = app.another_visitor();
    resetter
        .submit(
            "/password-reset",
            "/password-reset",
            &[("email", "owner@example.com")],
        )
        .await;
    let reset = app.mails_to("owner@example.com", 2).await.pop().unwrap();
    let link = reset
        .link_starting(&app.url("/password-reset/new?token="))
        .unwrap();
    resetter.client.get(link).send().await.unwrap();

    let mut senders = Vec::new();
    for (who, browser) in [
        (Who::Owner, &app),
        (Who::Visitor, &visitor),
        (Who::Invitee, &invitee),
        (Who::Resetter, &resetter),
    ] {
        let page = if who == Who::Owner {
            "/account/password"
        } else if who == Who::Invitee {
            "/invitations/accept"
        } else if who == Who::Resetter {
            "/password-reset/new"
        } else {
            "/sign-in"
        };
        let (status, html) = browser.get_html(page).await;
        assert_eq!(status, StatusCode::OK, "{who:?}");
        senders.push((who, browser, csrf_token(&html)));
    }
    // No session's once-a-minute write between the fingerprints, however long this takes.
    app.settings.clock.stop();
    let before = app.database_fingerprint();

    let cases = corpus(&ids);
    let mut per_category = BTreeMap::<&str, usize>::new();
    let mut statuses = BTreeMap::<u16, usize>::new();
    let mut wrong = Vec::new();
    for case in &cases {
        let (_, browser, token) = senders.iter().find(|(who, ..)| *who == case.who).unwrap();
        let url = browser.url(&case.path);
        let request = browser.client.request(case.method.clone(), url);
        let request = match &case.body {
            Body::Form(fields) => {
                let mut all = vec![("csrf_token".to_owned(), token.clone())];
                all.extend(fields.iter().cloned());
                request.form(&all)
            }
            Body::Raw(content_type, bytes) => {
                let bytes = replace(bytes, b"{token}", token.as_bytes());
                let request = request.body(bytes);
                if content_type.is_empty() {
                    request
                } else {
                    request.header("content-type", *content_type)
                }
            }
            Body::Empty => request,
        };
        let response = request.send().await.unwrap();
        let status = response.status();
        let html = response.text().await.unwrap_or_default();
        *per_category.entry(case.category).or_default() += 1;
        *statuses.entry(status.as_u16()).or_default() += 1;
        let said = if status == StatusCode::UNPROCESSABLE_ENTITY {
            !texts(&html, ".error-summary li").is_empty()
        } else {
            texts(&html, "h1")
                .first()
                .is_some_and(|title| ERROR_TITLES.contains(&title.as_str()))
        };
        let clear_4xx = status.is_client_error()
            && status != StatusCode::FORBIDDEN
            && status != StatusCode::TOO_MANY_REQUESTS;
        if !(clear_4xx && said) {
            wrong.push(format!(
                "{} {} {} ({:?}): {status} {:?}",
                case.category,
                case.method,
                case.path,
                case.who,
                texts(&html, "h1, .error-summary li")
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} cases:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    app.assert_unchanged_since(&before, "nothing changed");
    assert!(cases.len() >= 200);
    println!(
        "Bad-input corpus: {} cases, each a clear 4xx, 0 5xx, 0 rows changed. Per category: {per_category:?}. Statuses: {statuses:?}",
        cases.len()
    );
}

fn replace(haystack: &[u8], needle: &[u8], with: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(haystack.len());
    let mut rest = haystack;
    while !rest.is_empty() {
        if rest.starts_with(needle) {
            out.extend_from_slice(with);
            rest = &rest[needle.len()..];
        } else {
            out.push(rest[0]);
            rest = &rest[1..];
        }
    }
    out
}
