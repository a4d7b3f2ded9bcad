//! Single sign-on with OpenID Connect (issue 22), against a real provider: `oidc-provider-mock`
//! from PyPI (installed by ./dev test into .data/venv), started on a free port for each test. The
//! owner registers it and proves a domain by the link mailed to an address at it; people at that
//! domain then sign in through it, with the code flow, PKCE, state, nonce and the ID token checked.

use reqwest::StatusCode;

use crate::{
    common::{
        Daemon, PASSWORD, TestApp, csrf_token, free_port, location, log_scan, spawn_app, texts,
    },
    sharing::invite_manager,
};

/// The provider, started on a free port; its issuer URL.
async fn provider(extra: &[&str]) -> (Daemon, String) {
    let port = free_port();
    let dir = std::env::temp_dir().join(format!("oidc-mock-{port}"));
    std::fs::create_dir_all(&dir).unwrap();
    let program =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(".data/venv/bin/oidc-provider-mock");
    let child = std::process::Command::new(&program)
        .args(["--port", &port.to_string(), "--require-nonce", "true"])
        .args(extra)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{} (./dev test installs it): {e}", program.display()));
    let daemon = Daemon { child, dir };
    let issuer = format!("http://127.0.0.1:{port}");
    let discovery = format!("{issuer}/.well-known/openid-configuration");
    for _ in 0..200 {
        if reqwest::get(&discovery)
            .await
            .is_ok_and(|r| r.status() == StatusCode::OK)
        {
            return (daemon, issuer);
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("oidc-provider-mock did not start on {port}");
}

/// The owner's provider, saved on the page.
async fn register(owner: &TestApp, issuer: &str) -> reqwest::Response {
    log_scan::never_log("s3cret-of-the-client");
    owner
        .submit(
            "/sharing/sso",
            "/sharing/sso",
            &[
                ("issuer", issuer),
                ("client_id", "account-sharing"),
                ("client_secret", "s3cret-of-the-client"),
            ],
        )
        .await
}

/// Claims `domain` with a link to `address`, and has that mailbox confirm it.
async fn prove(app: &TestApp, owner: &TestApp, domain: &str, address: &str) -> StatusCode {
    let claimed = owner
        .submit(
            "/sharing/sso",
            "/sharing/sso/domains",
            &[("domain", domain), ("address", address)],
        )
        .await;
    assert_eq!(
        claimed.status(),
        StatusCode::SEE_OTHER,
        "the claim is taken"
    );
    let mail = app.mails_to(address, 1).await.pop().unwrap();
    let link = mail
        .link_starting(&app.base_url)
        .expect("a link in the mail");
    assert!(link.contains("/sso/domains/confirm?token="), "{link}");
    let mailbox = app.another_visitor();
    // Opening the link asks first: a mail scanner's visit proves nothing.
    let path = link.trim_start_matches(&app.base_url).to_owned();
    let (status, page) = mailbox.get_html(&path).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let token = link.split("token=").nth(1).unwrap().to_owned();
    log_scan::never_log(&token);
    let confirmed = mailbox
        .post_raw(
            "/sso/domains/confirm",
            &[("csrf_token", &csrf_token(&page)), ("token", &token)],
        )
        .await;
    confirmed.status()
}

/// Signing in at the sign-in form sends `address` to the provider; the provider signs in
/// `subject` (whose ID token says `email: subject`); the answer comes back. The callback's
/// response.
async fn sign_in_through_provider(
    person: &TestApp,
    address: &str,
    subject: &str,
) -> reqwest::Response {
    let callback = through_provider(person, address, subject).await;
    person.get(&callback).await
}

/// As `sign_in_through_provider` for `address` itself, with the service's clock moved `later`
/// before the provider's answer comes back.
async fn sign_in_later(
    app: &TestApp,
    person: &TestApp,
    address: &str,
    later: std::time::Duration,
) -> reqwest::Response {
    let callback = through_provider(person, address, address).await;
    app.settings.clock.advance(later);
    person.get(&callback).await
}

/// The sign-in form, the provider's form; the path the provider sends the browser back to.
async fn through_provider(person: &TestApp, address: &str, subject: &str) -> String {
    let (_, form) = person.get_html("/sign-in").await;
    let sent = person
        .post_raw(
            "/sign-in",
            &[
                ("csrf_token", &csrf_token(&form)),
                ("email", address),
                ("password", "whatever is typed"),
            ],
        )
        .await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let start = location(&sent);
    assert!(start.starts_with("/sso/start?email="), "{start}");
    let to_provider = person.get(&start).await;
    assert_eq!(to_provider.status(), StatusCode::SEE_OTHER);
    let authorize = location(&to_provider);
    for part in [
        "code_challenge=",
        "code_challenge_method=S256",
        "nonce=",
        "state=",
        "login_hint=",
    ] {
        assert!(authorize.contains(part), "{part} in {authorize}");
    }
    // The provider's own form: who signs in.
    let answered = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(&authorize)
        .form(&[("sub", subject)])
        .send()
        .await
        .unwrap();
    assert_eq!(
        answered.status(),
        StatusCode::FOUND,
        "{:?}",
        answered.text().await
    );
    let callback = location(&answered);
    assert!(
        callback.starts_with(&person.url("/sso/callback?")),
        "{callback}"
    );
    callback.trim_start_matches(&person.base_url).to_owned()
}

/// An owner at acme.example with the provider registered and the domain proven, and Ada invited.
async fn organisation(app: &TestApp, issuer: &str) {
    app.owner("olive@acme.example", "gold-premium").await;
    let saved = register(app, issuer).await;
    assert_eq!(
        saved.status(),
        StatusCode::SEE_OTHER,
        "{:?}",
        saved.text().await
    );
    assert_eq!(
        prove(app, app, "acme.example", "it@acme.example").await,
        StatusCode::OK
    );
    invite_manager(app, "ada@acme.example").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn people_at_a_proven_domain_sign_in_through_the_owners_provider() {
    let app = spawn_app().await;
    let (_provider, issuer) = provider(&[]).await;
    organisation(&app, &issuer).await;
    let (_, page) = app.get_html("/sharing/sso").await;
    assert_eq!(
        texts(&page, "#redirect-uri"),
        [app.url("/sso/callback")],
        "the page says what to register"
    );
    assert!(
        !app.database_contains("s3cret-of-the-client"),
        "the client secret is sealed"
    );

    // Ada has no login yet: the provider's word makes her an access-only one, signed in.
    let ada = app.another_visitor();
    let back = sign_in_through_provider(&ada, "ada@acme.example", "ada@acme.example").await;
    assert_eq!(back.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&back), "/accounts");
    let (status, accounts) = ada.get_html("/account").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        accounts.contains("ada@<wbr>acme<wbr>.example") || accounts.contains("ada@acme.example")
    );
    assert_eq!(
        app.scalar("SELECT count(*) FROM people WHERE email = 'ada@acme.example' AND email_verified_at IS NOT NULL"),
        1
    );

    // A password is never enough for her again, even the right one; the owner's own login
    // keeps its password.
    let again = app.another_visitor();
    let (_, form) = again.get_html("/sign-in").await;
    let tried = again
        .post_raw(
            "/sign-in",
            &[
                ("csrf_token", &csrf_token(&form)),
                ("email", "ADA@acme.example"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert!(
        location(&tried).starts_with("/sso/start"),
        "{}",
        location(&tried)
    );
    let owner = app.another_visitor();
    assert_eq!(
        location(&owner.sign_in("olive@acme.example", PASSWORD).await),
        "/accounts"
    );

    // An address at another domain is checked against its password as before.
    let elsewhere = app
        .another_visitor()
        .sign_in("bo@other.example", PASSWORD)
        .await;
    assert_eq!(elsewhere.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_address_an_expired_token_or_another_state_signs_nobody_in() {
    let app = spawn_app().await;
    let (_provider, issuer) = provider(&[]).await;
    organisation(&app, &issuer).await;

    // The provider signs in Eve while Ada started: refused in words, nobody signed in.
    let ada = app.another_visitor();
    let back = sign_in_through_provider(&ada, "ada@acme.example", "eve@acme.example").await;
    assert_eq!(back.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = back.text().await.unwrap();
    assert!(
        texts(&page, ".error-message")
            .iter()
            .any(|m| m.contains("eve@acme.example") && m.contains("ada@acme.example")),
        "{page}"
    );
    assert_eq!(app.scalar("SELECT count(*) FROM people WHERE email LIKE '%@acme.example' AND email <> 'olive@acme.example'"), 0);

    // A callback the session did not start, or the same answer twice: refused.
    let stranger = app.another_visitor();
    let forged = stranger.get("/sso/callback?code=abc&state=forged").await;
    assert_eq!(forged.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let ok = sign_in_through_provider(&ada, "ada@acme.example", "ada@acme.example").await;
    assert_eq!(ok.status(), StatusCode::SEE_OTHER);

    // A provider whose ID tokens live a minute, and an answer checked two minutes later.
    let (_stale, stale_issuer) = provider(&["--token-max-age", "60"]).await;
    assert_eq!(
        register(&app, &stale_issuer).await.status(),
        StatusCode::SEE_OTHER
    );
    let bo = app.another_visitor();
    invite_manager(&app, "bo@acme.example").await;
    let back = sign_in_later(
        &app,
        &bo,
        "bo@acme.example",
        std::time::Duration::from_secs(120),
    )
    .await;
    let status = back.status();
    let went = back.headers().get("location").cloned();
    let page = back.text().await.unwrap();
    assert!(
        texts(&page, ".error-message")
            .iter()
            .any(|m| m.to_lowercase().contains("expired")),
        "{status} {went:?} {page}"
    );
    assert_eq!(
        app.scalar("SELECT count(*) FROM people WHERE email = 'bo@acme.example'"),
        0
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_provider_and_a_domain_are_checked_before_anyone_is_sent_there() {
    let app = spawn_app().await;
    let (_provider, issuer) = provider(&[]).await;
    app.owner("olive@acme.example", "gold-premium").await;
    // A page first, which shows (and so forgets) what the session kept for the next one.
    app.get_html("/sharing/sso").await;
    let before = app.database_fingerprint();
    for (typed, words) in [
        ("http://idp.acme.example", "https://"),
        ("https://idp.acme.example/?x=1", "?"),
        ("http://127.0.0.1:9", "did not answer"),
        // A path of the provider's that is no issuer of its own.
        (&*format!("{issuer}/realms/none"), "did not answer"),
    ] {
        let refused = register(&app, typed).await;
        assert_eq!(
            refused.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{typed}"
        );
        let page = refused.text().await.unwrap();
        let message = texts(&page, "#issuer-error").join(" ");
        assert!(message.contains(words), "{typed}: {message}");
        assert!(page.contains(typed), "what was typed is kept");
    }
    for (domain, address, field) in [
        ("gmail.com", "it@gmail.com", "#domain-error"),
        ("acme", "it@acme.example", "#domain-error"),
        ("acme.example", "it@other.example", "#address-error"),
    ] {
        let refused = app
            .submit(
                "/sharing/sso",
                "/sharing/sso/domains",
                &[("domain", domain), ("address", address)],
            )
            .await;
        assert_eq!(
            refused.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{domain}"
        );
        let page = refused.text().await.unwrap();
        assert_eq!(texts(&page, field).len(), 1, "{domain}: {page}");
    }
    app.assert_unchanged_since(&before, "refused providers and domains");

    // A domain proven by one owner cannot be proven by another.
    assert_eq!(
        register(&app, &issuer).await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        prove(&app, &app, "acme.example", "it@acme.example").await,
        StatusCode::OK
    );
    let rival = app.another_visitor();
    rival.owner("mallory@rival.example", "gold-premium").await;
    assert_eq!(
        prove(&app, &rival, "acme.example", "ops@acme.example").await,
        StatusCode::CONFLICT
    );
    // A link works once.
    let (status, _) = app
        .another_visitor()
        .get_html("/sso/domains/confirm?token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn callbacks_the_session_did_not_start_sign_nobody_in_and_change_nothing() {
    let app = spawn_app().await;
    let (_provider, issuer) = provider(&[]).await;
    organisation(&app, &issuer).await;
    app.outbox_settled().await;
    let before = app.database_fingerprint();
    let long = "c".repeat(10_000);
    let queries = [
        String::new(),
        "code=abc".into(),
        "state=abc".into(),
        "code=&state=".into(),
        "code=abc&state=".into(),
        "code=abc&state=abc&state=def".into(),
        "code=abc&code=def&state=abc".into(),
        format!("code={long}&state=abc"),
        "error=access_denied&state=abc".into(),
        "error=%3Cscript%3Ealert(1)%3C%2Fscript%3E&state=abc".into(),
        "code=%00&state=%00".into(),
        "code=%FF%FE&state=abc".into(),
        "code=abc&state=abc&iss=https%3A%2F%2Fevil.test".into(),
        "code=abc&state=%E2%80%AEabc".into(),
        "code=abc;state=abc".into(),
    ];
    for query in &queries {
        let stranger = app.another_visitor();
        let answer = stranger.get(&format!("/sso/callback?{query}")).await;
        let status = answer.status();
        assert!(status.is_client_error(), "{query:.60}: {status}");
        let page = answer.text().await.unwrap();
        assert!(
            !page.contains("<script>alert"),
            "{query:.60}: what is repeated is escaped"
        );
    }
    app.assert_unchanged_since(&before, "callbacks nobody started");
    // And with a sign-in under way: the wrong state ends it, the right one then finds nothing.
    let ada = app.another_visitor();
    let callback = through_provider(&ada, "ada@acme.example", "ada@acme.example").await;
    let wrong = callback.replace("state=", "state=x");
    assert_eq!(
        ada.get(&wrong).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        ada.get(&callback).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        app.scalar("SELECT count(*) FROM people WHERE email = 'ada@acme.example'"),
        0
    );
    println!("SSO callbacks refused: {}", queries.len() + 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn floods_of_sign_in_starts_and_of_proof_mails_are_cut_off() {
    let app = crate::common::spawn_app_with(|vars| {
        vars.insert("RATE_SSO_STARTS_PER_IP".into(), "3/15m".into());
        vars.insert("RATE_DOMAIN_PROOFS_PER_OWNER".into(), "2/1h".into());
    })
    .await;
    let (_provider, issuer) = provider(&[]).await;
    organisation(&app, &issuer).await;
    // Each start makes this service fetch the provider's discovery document: three, then 429.
    let stranger = app.another_visitor();
    let mut statuses = Vec::new();
    for _ in 0..5 {
        statuses.push(
            stranger
                .get("/sso/start?email=ada%40acme.example")
                .await
                .status()
                .as_u16(),
        );
    }
    assert_eq!(statuses, [303, 303, 303, 429, 429]);
    // The organisation proved one domain already: one more proof mail, then refused.
    let second = app
        .submit(
            "/sharing/sso",
            "/sharing/sso/domains",
            &[("domain", "acme2.example"), ("address", "it@acme2.example")],
        )
        .await;
    assert_eq!(second.status(), StatusCode::SEE_OTHER);
    let third = app
        .submit(
            "/sharing/sso",
            "/sharing/sso/domains",
            &[("domain", "acme3.example"), ("address", "it@acme3.example")],
        )
        .await;
    assert_eq!(third.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(third.headers().contains_key("retry-after"));
    assert_eq!(
        app.scalar("SELECT count(*) FROM sso_domains WHERE domain = 'acme3.example'"),
        0,
        "a refused claim leaves nothing"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invitee_at_a_proven_domain_accepts_after_signing_in_through_the_provider() {
    let app = spawn_app().await;
    let (_provider, issuer) = provider(&[]).await;
    organisation(&app, &issuer).await;
    let link = crate::sharing::invitation_link(&app, "ada@acme.example", 1).await;
    let ada = app.another_visitor();
    let (status, _) = crate::sharing::open_link(&ada, &link).await;
    assert_eq!(status, StatusCode::OK);
    // "Sign in" from the invitation, as the page offers it: through the provider, and back.
    let (_, form) = ada
        .get_html("/sign-in?next=%2Finvitations%2Faccept&email=ada%40acme.example")
        .await;
    let sent = ada
        .post_raw(
            "/sign-in",
            &[
                ("csrf_token", &csrf_token(&form)),
                ("email", "ada@acme.example"),
                ("password", ""),
                ("next", "/invitations/accept"),
            ],
        )
        .await;
    let start = location(&sent);
    assert!(start.contains("next=%2Finvitations%2Faccept"), "{start}");
    let to_provider = ada.get(&start).await;
    let answered = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(location(&to_provider))
        .form(&[("sub", "ada@acme.example")])
        .send()
        .await
        .unwrap();
    let back = ada
        .get(location(&answered).trim_start_matches(&ada.base_url))
        .await;
    assert_eq!(location(&back), "/invitations/accept");
    // The invitation held in her session survived the round trip: she accepts it.
    let (_, page) = ada.get_html("/invitations/accept").await;
    let accepted = ada
        .post_raw("/invitations/accept", &[("csrf_token", &csrf_token(&page))])
        .await;
    assert_eq!(accepted.status(), StatusCode::SEE_OTHER, "{page}");
    assert_eq!(
        app.scalar(
            "SELECT count(*) FROM members m JOIN people p ON p.id = m.person_id \
             WHERE m.email = 'ada@acme.example' AND m.accepted_at IS NOT NULL"
        ),
        1
    );
}

/// A discovery document that says it is `issuer` at this server's address while every endpoint
/// is the real provider's: what a provider's misconfiguration, or a document swapped in between,
/// looks like. The provider's ID tokens then carry its own issuer, not this one.
async fn lying_discovery(provider: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let issuer = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
    let discovery = reqwest::get(format!("{provider}/.well-known/openid-configuration"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let mut document: serde_json::Value = serde_json::from_str(&discovery).unwrap();
    document["issuer"] = serde_json::Value::String(issuer.clone());
    let body = document.to_string();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let body = body.clone();
            tokio::spawn(async move {
                let mut request = [0u8; 4096];
                let _ = stream.read(&mut request).await;
                let answer = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
                     connection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = stream.write_all(answer.as_bytes()).await;
            });
        }
    });
    issuer
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_id_token_from_another_issuer_signs_nobody_in() {
    let app = spawn_app().await;
    let (_provider, real_issuer) = provider(&[]).await;
    let issuer = lying_discovery(&real_issuer).await;
    organisation(&app, &issuer).await;
    let ada = app.another_visitor();
    let back = sign_in_through_provider(&ada, "ada@acme.example", "ada@acme.example").await;
    assert_eq!(back.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = back.text().await.unwrap();
    let said = texts(&page, ".error-message");
    assert!(
        said.iter()
            .any(|m| m.contains("was refused") && m.to_lowercase().contains("issuer")),
        "{said:?}"
    );
    assert_eq!(
        app.scalar("SELECT count(*) FROM people WHERE email = 'ada@acme.example'"),
        0
    );
    let (status, _) = ada.get_html("/account").await;
    assert_ne!(status, StatusCode::OK, "nobody is signed in");
}

/// Debian's dnsmasq on `port` of loopback, answering only the TXT `records` given (name, text),
/// as the DNS an owner edits would: the real counterpart of a domain's proof by DNS.
fn dns_server(port: u16, records: &[(&str, &str)]) -> Daemon {
    let dir = std::env::temp_dir().join(format!("dnsmasq-{port}"));
    std::fs::create_dir_all(&dir).unwrap();
    let mut command = std::process::Command::new("/usr/sbin/dnsmasq");
    command.args([
        "--keep-in-foreground",
        &format!("--port={port}"),
        "--listen-address=127.0.0.1",
        "--bind-interfaces",
        "--no-resolv",
        "--no-hosts",
        "--conf-file=/dev/null",
        "--pid-file=",
    ]);
    for (name, text) in records {
        command.arg(format!("--txt-record={name},{text}"));
    }
    let child = command
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("dnsmasq (./dev test installs Debian's dnsmasq-base)");
    let daemon = Daemon { child, dir };
    // Bound once a TCP connection is taken (it serves TCP as well as UDP).
    for _ in 0..200 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return daemon;
        }
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
    panic!("dnsmasq did not start on {port}");
}

/// The TXT record the owner's page asks for `domain`: (name, text).
async fn record_asked(owner: &TestApp, domain: &str) -> (String, String) {
    let (_, page) = owner.get_html("/sharing/sso").await;
    let codes = texts(&page, "main dl code");
    let at = codes
        .iter()
        .position(|code| *code == format!("_account-sharing.{domain}"))
        .unwrap_or_else(|| panic!("the record for {domain} in {codes:?}"));
    assert_eq!(codes[at + 1], "TXT");
    (codes[at].clone(), codes[at + 2].clone())
}

async fn check_dns(owner: &TestApp, domain: &str) -> reqwest::Response {
    owner
        .submit(
            "/sharing/sso",
            &format!("/sharing/sso/domains/{domain}/check-dns"),
            &[],
        )
        .await
}

fn proven(app: &TestApp, domain: &str) -> i64 {
    app.scalar(&format!(
        "SELECT count(*) FROM sso_domains WHERE domain = '{domain}' AND verified_at IS NOT NULL"
    ))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_domain_is_proven_by_its_dns_record_instead_of_the_mailed_link() {
    let port = free_port();
    let app = crate::common::spawn_app_with(|vars| {
        vars.insert("DNS_SERVER".into(), format!("127.0.0.1:{port}"));
    })
    .await;
    let (_provider, issuer) = provider(&[]).await;
    app.owner("olive@acme.example", "gold-premium").await;
    assert_eq!(
        register(&app, &issuer).await.status(),
        StatusCode::SEE_OTHER
    );
    let claimed = app
        .submit(
            "/sharing/sso",
            "/sharing/sso/domains",
            &[("domain", "acme.example"), ("address", "it@acme.example")],
        )
        .await;
    assert_eq!(claimed.status(), StatusCode::SEE_OTHER);
    let (name, text) = record_asked(&app, "acme.example").await;
    assert!(text.starts_with("account-sharing-verification="), "{text}");
    assert_eq!(
        record_asked(&app, "acme.example").await.1,
        text,
        "the same each time"
    );

    // No DNS server answering: said in words, nothing proven.
    let refused = check_dns(&app, "acme.example").await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = refused.text().await.unwrap();
    assert!(
        texts(&page, "#dns-acme\\.example-error")[0].contains("could not be asked"),
        "{:?}",
        texts(&page, ".error-message")
    );

    // The domain's other TXT records, and one with another text: not found.
    let dns = dns_server(
        port,
        &[
            (&name, "v=spf1 -all"),
            (&name, "account-sharing-verification=guess"),
        ],
    );
    let refused = check_dns(&app, "acme.example").await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = refused.text().await.unwrap();
    assert!(texts(&page, ".error-message")[0].contains("No TXT record with this text"));
    assert_eq!(proven(&app, "acme.example"), 0);
    drop(dns);

    // The record added beside the SPF one: proven, and people there go to the provider.
    let _dns = dns_server(port, &[(&name, "v=spf1 -all"), (&name, &text)]);
    let proven_now = check_dns(&app, "acme.example").await;
    assert_eq!(location(&proven_now), "/sharing/sso");
    assert_eq!(proven(&app, "acme.example"), 1);
    let (_, page) = app.get_html("/sharing/sso").await;
    assert!(
        texts(&page, "main")
            .join(" ")
            .contains("confirmed by its DNS record")
    );
    assert!(
        !texts(&page, "main dl code").contains(&name),
        "no record asked once proven"
    );
    let ada = app.another_visitor();
    let (_, form) = ada.get_html("/sign-in").await;
    let sent = ada
        .post_raw(
            "/sign-in",
            &[
                ("csrf_token", &csrf_token(&form)),
                ("email", "ada@acme.example"),
                ("password", "anything"),
            ],
        )
        .await;
    assert!(location(&sent).starts_with("/sso/start?email="));

    // Another owner's claim of the same domain: its own record differs, and even published,
    // the domain was proven first.
    let other = app.another_visitor();
    other.owner("bo@other.example", "gold-premium").await;
    other
        .submit(
            "/sharing/sso",
            "/sharing/sso/domains",
            &[("domain", "acme.example"), ("address", "it@acme.example")],
        )
        .await;
    let (_, their_text) = record_asked(&other, "acme.example").await;
    assert_ne!(their_text, text, "each owner's record is their own");
    let refused = check_dns(&other, "acme.example").await;
    let page = refused.text().await.unwrap();
    assert!(texts(&page, ".error-message")[0].contains("No TXT record with this text"));
    drop(_dns);
    let _dns = dns_server(port, &[(&name, &text), (&name, &their_text)]);
    let refused = check_dns(&other, "acme.example").await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = refused.text().await.unwrap();
    assert!(texts(&page, ".error-message")[0].contains("another organisation first"));
    assert_eq!(proven(&app, "acme.example"), 1);
    // A domain not claimed is not found, whatever its DNS says.
    let (status, _) = (check_dns(&other, "nowhere.example").await.status(), ());
    assert_eq!(status, StatusCode::NOT_FOUND);
}
