//! Sign-up, email verification, sign-in and sign-out.

use reqwest::StatusCode;

use crate::common::{PASSWORD, attribute, location, spawn_app, texts};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_up_verify_sign_in_and_sign_out() {
    let app = spawn_app().await;

    let response = app
        .sign_up(
            "  Ada@Example.COM ",
            "Ada Lovelace",
            PASSWORD,
            "gold-premium",
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.unwrap().replace("<wbr>", "");
    assert_eq!(texts(&html, "h1"), ["Check your email"]);
    assert!(
        html.contains("ada@example.com"),
        "the page names the canonical address"
    );
    assert_eq!(app.scalar("SELECT count(*) FROM people WHERE email = 'ada@example.com' AND email_verified_at IS NULL"), 1);
    assert_eq!(
        app.scalar("SELECT count(*) FROM accounts WHERE plan = 'gold-premium'"),
        1
    );

    // Sign-in works before verification.
    let response = app.sign_in("ada@example.com", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        location(&response),
        "/accounts",
        "the account switcher comes first"
    );
    let (status, html) = app.get_html("/account").await;
    assert_eq!(status, StatusCode::OK);
    assert!(texts(&html, ".tag").contains(&"Not verified".to_owned()));
    assert!(texts(&html, "dd").iter().any(|t| t == "Gold Premium"));

    let mail = app.smtp.wait_for(1).await.remove(0);
    assert_eq!(mail.envelope_to, ["ada@example.com"]);
    assert_eq!(mail.subject(), "Verify your email address");
    assert!(mail.text().contains("Hello Ada Lovelace"));
    let link = mail
        .link_starting(&format!("{}/verify-email?token=", app.base_url))
        .expect("mail has the link");
    assert!(
        mail.body("text/html").contains(&link),
        "the HTML part carries the same link"
    );

    // Verifying finishes in the account, signed in, even from another browser (the phone the
    // mail was opened on); with one account, straight into it.
    let phone = app.another_visitor();
    let response = phone.verify_with_link(&link).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/accounts");
    let response = phone.get("/accounts").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let home = location(&response);
    assert!(home.starts_with("/accounts/"), "{home}");
    let (status, html) = phone.get_html(&home).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        texts(&html, ".banner__body"),
        ["Your email address is verified."]
    );
    assert!(texts(&html, "header a").contains(&"Share your account".to_owned()));
    assert_eq!(
        app.scalar("SELECT count(*) FROM people WHERE last_sign_in_at IS NOT NULL"),
        1
    );
    let (_, html) = app.get_html("/account").await;
    assert!(texts(&html, ".tag").contains(&"Verified".to_owned()));
    assert_eq!(
        app.scalar("SELECT count(*) FROM people WHERE email_verified_at IS NOT NULL"),
        1
    );
    // The flash shows once.
    let (_, html) = phone.get_html(&home).await;
    assert!(texts(&html, ".banner__body").is_empty());

    let (_, html) = app.get_html("/account").await;
    let response = app
        .post_raw(
            "/sign-out",
            &[("csrf_token", &crate::common::csrf_token(&html))],
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        texts(&response.text().await.unwrap(), "h1"),
        ["You have signed out"]
    );
    let response = app.get("/account").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/sign-in?next=%2Faccount");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verification_links_work_once_only_from_a_post_and_only_the_newest() {
    let app = spawn_app().await;
    app.sign_up("bo@example.com", "Bo", PASSWORD, "free").await;
    let first = app.smtp.wait_for(1).await[0]
        .link_starting(&app.base_url)
        .unwrap();

    // Opening the link (as mail scanners do) uses nothing up; the token leaves the URL at once.
    for _ in 0..3 {
        let response = app.client.get(&first).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&response), "/verify-email");
        let response = app.client.head(&first).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
    }
    let (status, html) = app.get_html("/verify-email").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(texts(&html, "main button"), ["Verify email address"]);
    assert_eq!(
        app.scalar("SELECT count(*) FROM people WHERE email_verified_at IS NULL"),
        1
    );

    // A new link makes the first one useless.
    app.sign_in("bo@example.com", PASSWORD).await;
    let response = app
        .submit("/account", "/account/verification-email", &[])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let second = app.smtp.wait_for(2).await[1]
        .link_starting(&app.base_url)
        .unwrap();
    assert_ne!(first, second);
    let response = app.client.get(&first).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::GONE);
    assert_eq!(
        texts(&response.text().await.unwrap(), "h1"),
        ["This link does not work"]
    );
    assert_eq!(
        app.scalar("SELECT count(*) FROM people WHERE email_verified_at IS NULL"),
        1
    );

    assert_eq!(
        app.verify_with_link(&second).await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        app.scalar("SELECT count(*) FROM people WHERE email_verified_at IS NULL"),
        0
    );
    // Used once: the same link again changes nothing and says why.
    assert_eq!(
        app.client.get(&second).send().await.unwrap().status(),
        StatusCode::GONE
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expired_forged_and_oversized_verification_links_do_nothing() {
    let app = spawn_app().await;
    app.sign_up("cy@example.com", "Cy", PASSWORD, "free").await;
    let link = app.smtp.wait_for(1).await[0]
        .link_starting(&app.base_url)
        .unwrap();

    let forged = format!(
        "{}/verify-email?token={}",
        app.base_url,
        account_sharing::secrets::random_token()
    );
    // A made-up token is refused at once, and nothing of it is kept.
    let response = app.client.get(&forged).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::GONE);
    for bad in ["", "%00", "abc", &"x".repeat(10_000)] {
        let response = app
            .client
            .get(app.url(&format!("/verify-email?token={bad}")))
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            StatusCode::GONE,
            "token {:?}",
            &bad[..bad.len().min(10)]
        );
    }
    let response = app.client.get(format!("{link}%00")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::GONE);

    app.execute("UPDATE email_verifications SET expires_at = now() - interval '1 second'");
    let response = app.client.get(&link).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::GONE);
    assert_eq!(
        app.scalar("SELECT count(*) FROM people WHERE email_verified_at IS NOT NULL"),
        0
    );
    // Without any link held, the page explains rather than offering a button.
    let (status, _) = crate::common::browser()
        .get(app.url("/verify-email"))
        .send()
        .await
        .map(|r| (r.status(), ()))
        .unwrap();
    assert_eq!(status, StatusCode::GONE);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_password_and_unknown_email_get_the_same_answer() {
    let app = spawn_app().await;
    app.sign_up("dee@example.com", "Dee", PASSWORD, "free")
        .await;

    let wrong = app.sign_in("dee@example.com", "not the password").await;
    let unknown = app.sign_in("nobody@example.com", "not the password").await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(unknown.status(), wrong.status());
    let normalise = |html: String, email: &str| {
        let token = crate::common::csrf_token(&html);
        let in_link: String = form_urlencoded::byte_serialize(email.as_bytes()).collect();
        html.replace(&token, "TOKEN")
            .replace(email, "EMAIL")
            .replace(&in_link, "EMAIL")
    };
    let wrong = normalise(wrong.text().await.unwrap(), "dee@example.com");
    let unknown = normalise(unknown.text().await.unwrap(), "nobody@example.com");
    assert_eq!(wrong, unknown);
    assert_eq!(
        texts(&wrong, ".error-summary a"),
        ["Email address or password is not right: check them and try again"]
    );
    // What was typed stays, except the password.
    assert_eq!(
        attribute(&wrong, "input#email", "value").as_deref(),
        Some("EMAIL")
    );
    assert_eq!(attribute(&wrong, "input#password", "value"), None);
    assert!(texts(&wrong, "title")[0].starts_with("Error: "));

    let response = app.sign_in("", "").await;
    let html = response.text().await.unwrap();
    assert_eq!(
        texts(&html, ".error-summary a"),
        ["Enter an email address", "Enter your password"]
    );
    assert_eq!(
        attribute(&html, ".error-summary a", "href").as_deref(),
        Some("#email")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_up_with_a_taken_address_looks_the_same_and_changes_nothing() {
    let app = spawn_app().await;
    let first = app
        .sign_up("eve@example.com", "Eve", PASSWORD, "free")
        .await
        .text()
        .await
        .unwrap();
    let second = app
        .sign_up(
            "EVE@example.com",
            "Mallory",
            "another passphrase",
            "gold-premium",
        )
        .await;
    assert_eq!(second.status(), StatusCode::OK);
    let second = second.text().await.unwrap();
    assert_eq!(texts(&first, "main"), texts(&second, "main"));

    assert_eq!(app.scalar("SELECT count(*) FROM people"), 1);
    assert_eq!(
        app.scalar("SELECT count(*) FROM accounts WHERE plan = 'free'"),
        1
    );
    assert_eq!(
        app.scalar("SELECT count(*) FROM people WHERE display_name = 'Eve'"),
        1
    );
    // The real owner hears about it; the password did not change.
    let mails = app.mails_to("eve@example.com", 2).await;
    assert!(
        mails
            .iter()
            .any(|m| m.subject() == "Someone tried to sign up with your email address")
    );
    assert_eq!(
        app.sign_in("eve@example.com", "another passphrase")
            .await
            .status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        app.sign_in("eve@example.com", PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn weak_and_oversized_passwords_are_refused_with_the_form_kept() {
    let app = spawn_app().await;
    let long = "p".repeat(257);
    let cases = [
        ("short", "Password must be 8 characters or more"),
        (long.as_str(), "Password must be 256 characters or fewer"),
        (
            "Password123",
            "Choose a password that is harder to guess: this one is on lists of common passwords",
        ),
        (
            "fay@example.com",
            "Choose a password that is not your email address",
        ),
    ];
    for (password, message) in cases {
        let response = app
            .sign_up(
                "fay@example.com",
                "Fay <b>Smith</b>",
                password,
                "crystal-premium",
            )
            .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = response.text().await.unwrap();
        assert_eq!(texts(&html, ".error-summary a"), [message]);
        assert_eq!(
            texts(&html, "#password-error"),
            [format!("Error: {message}")]
        );
        assert_eq!(
            attribute(&html, "input#email", "value").as_deref(),
            Some("fay@example.com")
        );
        assert_eq!(
            attribute(&html, "input#name", "value").as_deref(),
            Some("Fay <b>Smith</b>")
        );
        assert_eq!(
            attribute(&html, "input[value=crystal-premium]", "checked").as_deref(),
            Some("")
        );
        assert!(html.contains("aria-describedby=\"password-hint password-error\""));
    }
    assert_eq!(app.scalar("SELECT count(*) FROM people"), 0);
    assert_eq!(app.scalar("SELECT count(*) FROM outbox"), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_sign_up_field_is_checked_at_once() {
    let app = spawn_app().await;
    let response = app
        .sign_up("not-an-address", "", PASSWORD, "enterprise")
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert_eq!(
        texts(&html, ".error-summary a"),
        [
            "Enter an email address in the correct format, like name@example.com",
            "Enter your name",
            "Select a plan"
        ]
    );
    assert_eq!(
        attribute(&html, ".error-summary a[href='#plan']", "href").as_deref(),
        Some("#plan")
    );
    assert!(
        attribute(&html, "input#plan", "type").is_some(),
        "the summary link reaches the first radio"
    );
    assert_eq!(app.scalar("SELECT count(*) FROM people"), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_email_addresses_are_refused_with_a_reason_and_nothing_stored() {
    let app = spawn_app().await;
    let long_local = format!("{}@example.com", "a".repeat(65));
    let long_address = format!("{}@{}.com", "a".repeat(60), "d".repeat(190));
    let cases: Vec<(&str, &str)> = vec![
        ("", "Enter an email address"),
        (
            "a@@b.co",
            "Enter an email address in the correct format, like name@example.com",
        ),
        (
            "a@b.co\r\nBcc:x@evil.test",
            "Email address must not contain spaces, line breaks or invisible characters",
        ),
        (
            "a@b.co%0d%0aBcc:x@evil.test",
            "Enter an email address in the correct format, like name@example.com",
        ),
        (
            &long_local,
            "The part before the @ can only use letters a to z, numbers and the symbols . _ + - (64 characters at most)",
        ),
        (
            &long_address,
            "Email address must be 254 characters or fewer",
        ),
        (
            "u@[127.0.0.1]",
            "Email address must end in a domain name, like example.com, not an IP address",
        ),
        (
            "u@localhost",
            "The part after the @ must be a domain name, like example.com",
        ),
        (
            "mıke@example.com",
            "The part before the @ can only use letters a to z, numbers and the symbols . _ + - (64 characters at most)",
        ),
        (
            "ﬀ@example.com",
            "The part before the @ can only use letters a to z, numbers and the symbols . _ + - (64 characters at most)",
        ),
        (
            "用户@例子.广告",
            "The part before the @ can only use letters a to z, numbers and the symbols . _ + - (64 characters at most)",
        ),
        (
            "u@xn--.com",
            "The part after the @ must be a domain name, like example.com",
        ),
        (
            "a\0b@example.com",
            "Email address must not contain spaces, line breaks or invisible characters",
        ),
        (
            "a\u{202E}b@example.com",
            "Email address must not contain spaces, line breaks or invisible characters",
        ),
        (
            "a\u{200B}b@example.com",
            "Email address must not contain spaces, line breaks or invisible characters",
        ),
    ];
    for (email, message) in &cases {
        let response = app.sign_up(email, "Gil", PASSWORD, "free").await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{email:?}"
        );
        let html = response.text().await.unwrap();
        assert_eq!(
            texts(&html, "#email-error"),
            [format!("Error: {message}")],
            "{email:?}"
        );
    }
    assert_eq!(app.scalar("SELECT count(*) FROM people"), 0);
    assert_eq!(app.scalar("SELECT count(*) FROM outbox"), 0);

    // International domains are kept in their punycode form.
    assert_eq!(
        app.sign_up("anna@bücher.de", "Anna", PASSWORD, "free")
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        app.scalar("SELECT count(*) FROM people WHERE email = 'anna@xn--bcher-kva.de'"),
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn names_are_shown_as_text_never_as_markup() {
    let app = spawn_app().await;
    let name = "\"><img src=x onerror=alert(1)>{{7*7}}";
    app.sign_up("hal@example.com", name, PASSWORD, "free").await;
    app.sign_in("hal@example.com", PASSWORD).await;
    let (_, html) = app.get_html("/account").await;
    assert!(texts(&html, "img").is_empty(), "no element was injected");
    assert_eq!(texts(&html, "#person-name"), [name]);
    let mail = app.smtp.wait_for(1).await.remove(0);
    assert!(!mail.body("text/html").contains("<img src=x"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_in_returns_to_the_page_asked_for_but_never_off_site() {
    let app = spawn_app().await;
    app.sign_up("ivy@example.com", "Ivy", PASSWORD, "free")
        .await;
    let response = app.get("/account").await;
    assert_eq!(location(&response), "/sign-in?next=%2Faccount");
    let response = app
        .submit(
            "/sign-in?next=%2Faccount",
            "/sign-in",
            &[
                ("email", "ivy@example.com"),
                ("password", PASSWORD),
                ("next", "/account"),
            ],
        )
        .await;
    assert_eq!(location(&response), "/account");

    let other = app.another_visitor();
    let response = other
        .submit(
            "/sign-in",
            "/sign-in",
            &[
                ("email", "ivy@example.com"),
                ("password", PASSWORD),
                ("next", "//evil.test/"),
            ],
        )
        .await;
    assert_eq!(location(&response), "/");
}

/// Known open-redirect payloads, as an attacker puts them in a link's query string: encoded,
/// doubled, mixed-case, with control and bidi characters.
const OPEN_REDIRECTS: [&str; 36] = [
    "//evil.test",
    "///evil.test",
    "////evil.test",
    "/%09/evil.test",
    "/%0A/evil.test",
    "/%0D/evil.test",
    "/%0D%0A/evil.test",
    "/%00/evil.test",
    "/%5Cevil.test",
    "/%5C%5Cevil.test",
    "%5C%5Cevil.test",
    "/%2F/evil.test",
    "%2F%2Fevil.test",
    "/%252F%252Fevil.test",
    "%252F%252Fevil.test",
    "https://evil.test",
    "https:%2F%2Fevil.test",
    "HTTPS://EVIL.TEST",
    "hTtP://evil.test",
    "//EVIL.TEST",
    "https:evil.test",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(document.domain)",
    "data:text/html,%3Cscript%3Ealert(1)%3C/script%3E",
    "evil.test",
    "@evil.test",
    "/%20/evil.test",
    "%20//evil.test",
    "/%E2%80%AE/evil.test",
    "/%C0%AF/evil.test",
    "/%E3%80%82evil.test",
    "//evil.test%2F%2E%2E",
    "/%09%09/evil.test",
    "/\\/evil.test",
    "%09//evil.test",
    "/.%0A/evil.test",
];

/// Where a browser goes from `location` on this site: tabs and line breaks dropped first, as
/// browsers do.
fn lands_on(app: &crate::common::TestApp, location: &str) -> reqwest::Url {
    let cleaned: String = location
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    reqwest::Url::parse(&app.base_url)
        .unwrap()
        .join(&cleaned)
        .unwrap()
}

/// The same payloads aimed at the email platform's origin, and the tricks that make a URL look
/// like it is on the platform while a browser goes elsewhere.
const PLATFORM_REDIRECTS: [&str; 24] = [
    "https://app.example.com@evil.test",
    "https://app.example.com@evil.test/",
    "https://app.example.com%40evil.test",
    "https://user:pw@app.example.com/",
    "https://app.example.com.evil.test/",
    "https://app.example.comevil.test/",
    "https://evil.test/https://app.example.com/",
    "https://evil.test?https://app.example.com",
    "https://evil.test#https://app.example.com",
    "HTTPS://app.example.com/",
    "hTTps://app.example.com/",
    "http://app.example.com/",
    "https:app.example.com/",
    "https:/app.example.com/",
    "https:///app.example.com/",
    "https://app.example.com%5C@evil.test/",
    "https://app.example.com%5C%5Cevil.test",
    "https://app.example.com%09.evil.test/",
    "https://app.example.com:443/",
    "https://app.example.com:8443/",
    "https://APP.EXAMPLE.COM/",
    "%20https://app.example.com/",
    "javascript://app.example.com/%0Aalert(1)",
    "//app.example.com/",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_next_leads_off_site_or_fails() {
    let app = spawn_app().await;
    no_next_leads_elsewhere(&app, &OPEN_REDIRECTS, &[]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_next_leads_off_site_or_off_the_platform_or_fails() {
    let app = crate::common::spawn_app_with(|vars| {
        vars.insert("PLATFORM_ORIGINS".into(), "https://app.example.com".into());
    })
    .await;
    let payloads: Vec<&str> = OPEN_REDIRECTS
        .iter()
        .chain(PLATFORM_REDIRECTS.iter())
        .copied()
        .collect();
    no_next_leads_elsewhere(&app, &payloads, &["https://app.example.com"]).await;
    // A URL of the platform itself is where the person goes back to.
    for back in [
        "https://app.example.com/",
        "https://app.example.com/accounts/42/campaigns?page=2",
    ] {
        let response = app
            .get(&format!(
                "/sign-in?next={}",
                form_urlencoded::byte_serialize(back.as_bytes()).collect::<String>()
            ))
            .await;
        assert_eq!(location(&response), back);
    }
}

/// Signs an owner in and follows `next` with each payload, in the link and in the form: every
/// answer stays on this site or goes to one of `platform`'s origins exactly, and none fails.
async fn no_next_leads_elsewhere(
    app: &crate::common::TestApp,
    payloads: &[&str],
    platform: &[&str],
) {
    app.owner("jo@example.com", "free").await;
    let base = reqwest::Url::parse(&app.base_url).unwrap();
    let allowed = |url: &reqwest::Url| {
        url.origin() == base.origin()
            || platform
                .iter()
                .any(|origin| reqwest::Url::parse(origin).unwrap().origin() == url.origin())
    };
    let (_, html) = app.get_html("/account").await;
    let token = crate::common::csrf_token(&html);
    let mut tried = 0;
    for payload in payloads {
        // Signed in: the sign-in page sends the person on at once.
        let response = app.get(&format!("/sign-in?next={payload}")).await;
        if account_sharing::web::urlencoded::decode_pairs(payload.as_bytes()).is_none() {
            // Not text once decoded (an overlong `/`, say): the address is refused outright.
            assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{payload}");
            assert!(response.headers().get("location").is_none());
            tried += 1;
            continue;
        }
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{payload}");
        let target = location(&response);
        let landed = lands_on(app, &target);
        assert!(allowed(&landed), "{payload}: {target:?}");
        if landed.origin() == base.origin() {
            assert!(
                target == "/" || target == "/%2F%2Fevil.test",
                "{payload}: only a path of this site passes, as itself: {target:?}"
            );
        } else {
            assert!(
                target.starts_with("https://app.example.com/") && !target.contains('@'),
                "{payload}: {target:?}"
            );
        }
        // Signing in with it in the form.
        let body = format!(
            "csrf_token={token}&email=jo%40example.com&password={}&next={payload}",
            PASSWORD.replace(' ', "+")
        );
        let response = app
            .client
            .post(app.url("/sign-in"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap();
        assert!(
            !response.status().is_server_error(),
            "{payload}: {}",
            response.status()
        );
        if response.status() == StatusCode::SEE_OTHER {
            let target = location(&response);
            assert!(allowed(&lands_on(app, &target)), "{payload}: {target:?}");
        }
        tried += 2;
    }
    println!(
        "open redirect: {} payloads, {tried} requests, 0 off-site, 0 server errors",
        payloads.len()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_up_explains_the_plans_keeps_the_one_a_link_chose_and_ends_signed_in() {
    let app = spawn_app().await;
    let (_, html) = app.get_html("/sign-up?plan=gold-premium").await;
    assert_eq!(
        attribute(&html, "input[name=plan][checked]", "value").as_deref(),
        Some("gold-premium")
    );
    let summaries = texts(&html, ".radios__hint");
    let mut distinct = summaries.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(
        distinct.len(),
        summaries.len(),
        "no two plans read alike: {summaries:?}"
    );
    assert!(
        summaries[0].starts_with("Only you: no sharing on this plan"),
        "{}",
        summaries[0]
    );
    assert!(texts(&html, "#plan-hint")[0].contains("Developer, Marketer, Designer and Custom"));
    // A plan that cannot be chosen by a link (or none) preselects nothing.
    let (_, html) = app.get_html("/sign-up?plan=enterprise").await;
    assert!(attribute(&html, "input[name=plan][checked]", "value").is_none());

    // Following the verification link finishes signed in, straight into the account.
    app.owner("newcomer@example.com", "gold-premium").await;
    let (status, _) = app.get_html("/account").await;
    assert_eq!(status, StatusCode::OK, "no second sign-in after verifying");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_a_person_typed_or_was_invited_as_is_filled_in_for_them() {
    let app = spawn_app().await;
    app.owner("olive@example.com", "essential").await;
    app.another_visitor()
        .sign_up("kay@example.com", "Kay", PASSWORD, "free")
        .await;
    crate::sharing::invite_manager(&app, "kay@example.com").await;
    let link = crate::sharing::invitation_link(&app, "kay@example.com", 1).await;
    let kay = app.another_visitor();
    let (_, invitation) = crate::sharing::open_link(&kay, &link).await;
    let sign_in = attribute(&invitation, "a.button[href^='/sign-in']", "href").unwrap();
    assert_eq!(
        sign_in,
        "/sign-in?next=%2Finvitations%2Faccept&email=kay%40example.com"
    );
    let (_, form) = kay.get_html(&sign_in).await;
    assert_eq!(
        attribute(&form, "input#email", "value").as_deref(),
        Some("kay@example.com")
    );

    // A wrong password, then "Forgot your password?": the address comes along.
    let failed = kay
        .submit(
            &sign_in,
            "/sign-in",
            &[("email", "kay@example.com"), ("password", "not it")],
        )
        .await;
    let html = failed.text().await.unwrap();
    let forgot = attribute(&html, "a[href^='/password-reset']", "href").unwrap();
    assert_eq!(forgot, "/password-reset?email=kay%40example.com");
    let (_, reset) = kay.get_html(&forgot).await;
    assert_eq!(
        attribute(&reset, "input#email", "value").as_deref(),
        Some("kay@example.com")
    );
    // What cannot be an address is not put in a form.
    let (_, reset) = kay.get_html("/password-reset?email=%3Cscript%3E").await;
    assert_eq!(
        attribute(&reset, "input#email", "value").as_deref(),
        Some("")
    );
}
