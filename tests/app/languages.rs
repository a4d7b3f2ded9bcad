//! English, French and German (SPEC S12, issue 10): the language a visitor gets, the switcher,
//! mail in the recipient's language, and the pseudo-locale check that no visible word bypasses
//! the Fluent files.

use reqwest::{Client, StatusCode, cookie::Jar, redirect::Policy};
use scraper::{Html, Node};
use std::sync::Arc;

use crate::{
    common::{PASSWORD, TestApp, attribute, location, spawn_app, texts},
    sharing::{invite, invite_manager, own_master},
    workspace::member,
};

/// A visitor whose browser already holds the language cookie `code`.
fn visitor_in(app: &TestApp, code: &str) -> TestApp {
    let jar = Arc::new(Jar::default());
    jar.add_cookie_str(
        &format!("lang={code}; Path=/"),
        &app.base_url.parse().unwrap(),
    );
    TestApp {
        client: Client::builder()
            .cookie_provider(jar)
            .redirect(Policy::none())
            .build()
            .unwrap(),
        ..app.clone()
    }
}

/// Removes what the pseudo-locale marked, innermost first, so that nested messages go too.
fn unmarked(text: &str) -> String {
    let mut text = text.to_owned();
    while let Some(end) = text.find('⟧') {
        let Some(start) = text[..end].rfind('⟦') else {
            break;
        };
        text.replace_range(start..end + '⟧'.len_utf8(), " ");
    }
    text
}

/// Every visible text of `html` (text nodes outside script, style and template, and the
/// aria-label, title and placeholder attributes) that is left once the pseudo-locale's marked
/// words and the test's own data are taken out. Each is a word nobody translated.
fn words_outside_the_fluent_files(html: &str, data: &[&str]) -> Vec<String> {
    // A line-break opportunity inside an address splits its text node; it is not text.
    let document = Html::parse_document(&html.replace("<wbr>", ""));
    let mut found = Vec::new();
    let mut keep = |text: &str| {
        let mut rest = unmarked(text);
        for datum in data {
            rest = rest.replace(datum, " ");
        }
        let rest: String = rest.chars().filter(|c| c.is_alphabetic()).collect();
        if !rest.is_empty() {
            found.push(text.split_whitespace().collect::<Vec<_>>().join(" "));
        }
    };
    for node in document.tree.nodes() {
        let hidden = node.ancestors().any(|ancestor| {
            ancestor.value().as_element().is_some_and(|element| {
                matches!(element.name(), "script" | "style" | "template" | "head")
                    || element
                        .has_class("language-switcher", scraper::CaseSensitivity::CaseSensitive)
            })
        });
        if hidden {
            continue;
        }
        match node.value() {
            Node::Text(text) => keep(text),
            Node::Element(element) => {
                for name in ["aria-label", "title", "placeholder", "alt"] {
                    if let Some(value) = element.attr(name) {
                        keep(value);
                    }
                }
            }
            _ => {}
        }
    }
    found
}

fn assert_all_marked(what: &str, html: &str, data: &[&str]) {
    let found = words_outside_the_fluent_files(html, data);
    assert!(
        found.is_empty(),
        "{what}: words that do not come from locales/*.ftl: {found:#?}"
    );
    assert!(
        html.contains("⟦"),
        "{what}: the page was not in the pseudo-locale"
    );
}

/// A mail in the pseudo-locale: its subject marked, and no word of its text outside the markers
/// but `data` and its links, which are addresses, not words.
fn assert_mail_marked(mail: &crate::common::smtp::ReceivedMail, data: &[&str]) {
    let text = mail.text();
    let words: Vec<&str> = text
        .split_whitespace()
        .filter(|word| !word.starts_with("http"))
        .collect();
    let mut rest = unmarked(&words.join(" "));
    for datum in data {
        rest = rest.replace(datum, " ");
    }
    assert!(
        !rest.chars().any(char::is_alphabetic),
        "mail “{}” has words outside the Fluent files: {rest}",
        mail.subject()
    );
    assert!(mail.subject().starts_with('⟦'), "{}", mail.subject());
}

#[tokio::test]
async fn the_converted_pages_and_the_invitation_mail_take_every_word_from_the_fluent_files() {
    let app = spawn_app().await;
    app.owner("olive@example.com", "gold-premium").await;
    // Signing in brings the person's own language: theirs is the pseudo-locale here.
    app.execute("UPDATE people SET locale = 'en-XA' WHERE email = 'olive@example.com'");
    let owner = visitor_in(&app, "en-XA");
    assert_eq!(
        owner.sign_in("olive@example.com", PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
    let master = own_master(&owner).await;
    let data = ["olive@example.com", "Olive Owner", "tia@example.com", "Tia"];

    // The invite form, fresh and with what to fix.
    let (status, html) = owner.get_html("/sharing/invite").await;
    assert_eq!(status, StatusCode::OK);
    assert_all_marked("the invite form", &html, &data);
    let refused = invite(&owner, &[("email", "not an address"), ("action", "send")]).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_all_marked(
        "the invite form with errors",
        &refused.text().await.unwrap(),
        &data,
    );
    let custom = invite(
        &owner,
        &[
            ("email", "tia@example.com"),
            ("account_0", &master),
            ("role_0", "custom"),
            ("action", "update"),
        ],
    )
    .await;
    assert_all_marked(
        "the invite form's Custom part",
        &custom.text().await.unwrap(),
        &data,
    );

    // An invitation sent; the sharing page; the edit and delete pages.
    assert_eq!(
        invite_manager(&owner, "tia@example.com").await.status(),
        StatusCode::SEE_OTHER
    );
    let (_, html) = owner.get_html("/sharing").await;
    assert_all_marked("the sharing page", &html, &data);
    // The batch form, its check step, and a batch's result with an address invited and one
    // refused.
    let (_, html) = owner.get_html("/sharing/invite/many").await;
    assert_all_marked("the batch form", &html, &data);
    let mut fields = vec![
        ("emails", "uma@example.com; tia@example.com"),
        ("account_0", master.as_str()),
        ("role_0", "manager"),
        ("action", "send"),
    ];
    let check = owner
        .submit("/sharing/invite/many", "/sharing/invite/many", &fields)
        .await
        .text()
        .await
        .unwrap();
    let mut check_data = data.to_vec();
    check_data.extend(["uma@example.com", "tia@example.com"]);
    assert_all_marked("a batch's check step", &check, &check_data);
    let confirmed = crate::sharing::confirmation(&check);
    fields.pop();
    fields.push(("action", &confirmed));
    let result = owner
        .submit("/sharing/invite/many", "/sharing/invite/many", &fields)
        .await;
    assert_eq!(result.status(), StatusCode::OK);
    let mut batch_data = data.to_vec();
    batch_data.push("uma@example.com");
    assert_all_marked(
        "a batch's result",
        &result.text().await.unwrap(),
        &batch_data,
    );
    // The Activity page with that invitation's record, and with a date to correct.
    let (_, html) = owner.get_html("/sharing/activity").await;
    assert_eq!(texts(&html, ".activity-table tbody tr").len(), 2);
    assert_all_marked("the activity page", &html, &batch_data);
    let (status, html) = owner.get_html("/sharing/activity?from=soon").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_all_marked("the activity page with errors", &html, &["soon"]);
    let member = app.scalar("SELECT id FROM members WHERE email = 'tia@example.com'");
    for page in [
        format!("/sharing/people/{member}/edit"),
        format!("/sharing/people/{member}/delete"),
        "/no-such-page".to_owned(),
    ] {
        let (_, html) = owner.get_html(&page).await;
        assert_all_marked(&page, &html, &data);
    }

    // The invitation mail goes out in the language the owner invited in.
    let mail = &app.mails_to("tia@example.com", 1).await[0];
    let link = mail.link_starting(&app.base_url).unwrap();
    assert_mail_marked(mail, &data);

    // The invitee's pages: the invitation, declining it, a dead link.
    let invitee = visitor_in(&app, "en-XA");
    assert_eq!(
        location(&invitee.client.get(&link).send().await.unwrap()),
        "/invitations/accept",
        "the token moves into the session"
    );
    for page in ["/invitations/accept", "/invitations/decline"] {
        let (status, html) = invitee.get_html(page).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert_all_marked(page, &html, &data);
    }
    let stranger = visitor_in(&app, "en-XA");
    let (_, html) = stranger.get_html("/invitations/accept").await;
    assert_all_marked("a dead invitation link", &html, &data);
}

#[tokio::test]
async fn the_language_comes_from_the_browser_then_the_switcher_and_stays_with_the_person() {
    let app = spawn_app().await;
    app.owner("olive@example.com", "gold-premium").await;

    // A first visit from a French browser.
    let response = app
        .another_visitor()
        .client
        .get(app.url("/sign-in"))
        .header("Accept-Language", "fr-CH, fr;q=0.9, en;q=0.8")
        .send()
        .await
        .unwrap();
    let html = response.text().await.unwrap();
    assert_eq!(attribute(&html, "html", "lang").as_deref(), Some("fr"));
    assert_eq!(
        texts(&html, "header a"),
        ["Partage de compte", "Se connecter", "Créer un compte"]
    );

    // The owner switches to German with the footer's form, without JavaScript.
    let owner = app.another_visitor();
    owner.sign_in("olive@example.com", PASSWORD).await;
    let switched = owner
        .submit(
            "/sharing",
            "/language",
            &[("lang", "de"), ("back", "/sharing")],
        )
        .await;
    assert_eq!(switched.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&switched), "/sharing", "back on the same page");
    let (_, html) = owner.get_html("/sharing").await;
    assert_eq!(attribute(&html, "html", "lang").as_deref(), Some("de"));
    assert_eq!(texts(&html, "h1"), ["Konto freigeben"]);
    assert_eq!(texts(&html, "main a.button"), ["Benutzer einladen"]);
    assert_eq!(
        app.scalar(
            "SELECT count(*) FROM people WHERE locale = 'de' AND email = 'olive@example.com'"
        ),
        1,
        "kept with the person"
    );

    // Another browser, English by default, gets German as soon as the owner signs in.
    let elsewhere = app.another_visitor();
    let signed_in = elsewhere.sign_in("olive@example.com", PASSWORD).await;
    assert!(
        signed_in
            .headers()
            .get_all("set-cookie")
            .iter()
            .any(|cookie| cookie.to_str().unwrap().starts_with("lang=de")),
        "sign-in brings the person's language"
    );
    let (_, html) = elsewhere.get_html("/sharing").await;
    assert_eq!(texts(&html, "h1"), ["Konto freigeben"]);

    // A language we do not offer, and a way out of the site, are refused or ignored.
    let refused = owner
        .submit(
            "/sharing",
            "/language",
            &[("lang", "xx"), ("back", "/sharing")],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    let pseudo = owner
        .submit("/sharing", "/language", &[("lang", "en-XA"), ("back", "/")])
        .await;
    assert_eq!(
        pseudo.status(),
        StatusCode::BAD_REQUEST,
        "the pseudo-locale is not offered"
    );
    let away = owner
        .submit(
            "/sharing",
            "/language",
            &[("lang", "fr"), ("back", "//evil.test/")],
        )
        .await;
    assert_eq!(location(&away), "/");
}

#[tokio::test]
async fn invitations_go_out_in_the_owners_language_or_the_invitees_own() {
    let app = spawn_app().await;
    app.owner("olive@example.com", "gold-premium").await;
    // Someone with a login who chose German.
    app.owner("dora@example.com", "free").await;
    app.execute("UPDATE people SET locale = 'de' WHERE email = 'dora@example.com'");

    app.execute("UPDATE people SET locale = 'fr' WHERE email = 'olive@example.com'");
    let owner = visitor_in(&app, "fr");
    owner.sign_in("olive@example.com", PASSWORD).await;
    for email in ["tia@example.com", "dora@example.com"] {
        assert_eq!(
            invite_manager(&owner, email).await.status(),
            StatusCode::SEE_OTHER
        );
    }
    let french = &app.mails_to("tia@example.com", 1).await[0];
    assert_eq!(
        french.subject(),
        "Olive Owner vous invite sur son compte d'emailing"
    );
    assert!(
        french
            .text()
            .contains("Administrateur sur le compte principal"),
        "{}",
        french.text()
    );
    assert!(
        french.text().contains(" UTC."),
        "the expiry shows its time zone"
    );
    // Her first mail was her own sign-up's.
    let german = &app.mails_to("dora@example.com", 2).await[1];
    assert_eq!(
        german.subject(),
        "Einladung von Olive Owner zur Mitarbeit in einem E-Mail-Konto"
    );
    assert!(
        german.text().contains("Manager für das Masterkonto"),
        "{}",
        german.text()
    );

    // The sharing page in French, with the seed's words.
    let (_, html) = owner.get_html("/sharing").await;
    assert_eq!(texts(&html, "h1"), ["Partager votre compte"]);
    assert!(texts(&html, ".tag").contains(&"En attente".to_owned()));
    assert!(texts(&html, "summary").contains(&"Gérer l'accès de tia@example.com".to_owned()));
}

#[tokio::test]
async fn every_other_page_and_mail_takes_every_word_from_the_fluent_files() {
    let app = spawn_app().await;
    let data = [
        "nina@example.com",
        "Nina Novak",
        "Brand One",
        "owner@demo.example.com",
        "demo-owner-password",
        "SMTP_URL",
    ];

    // A newcomer: the start page, signing up (refused, then done), signing in, a password reset.
    let visitor = visitor_in(&app, "en-XA");
    for page in [
        "/",
        "/sign-in",
        "/sign-up",
        "/password-reset",
        "/verify-email",
    ] {
        let (_, html) = visitor.get_html(page).await;
        assert_all_marked(page, &html, &data);
    }
    let refused = visitor
        .submit(
            "/sign-up",
            "/sign-up",
            &[
                ("email", "nina"),
                ("name", ""),
                ("password", "x"),
                ("plan", ""),
            ],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_all_marked("sign-up with errors", &refused.text().await.unwrap(), &data);
    let done = visitor
        .sign_up("nina@example.com", "Nina Novak", PASSWORD, "gold-premium")
        .await;
    assert_all_marked("sign-up done", &done.text().await.unwrap(), &data);
    let sent = visitor
        .submit(
            "/password-reset",
            "/password-reset",
            &[("email", "nina@example.com")],
        )
        .await;
    assert_all_marked("reset link sent", &sent.text().await.unwrap(), &data);

    // The mails: the verification link, then the reset link, both in the sign-up's language.
    let mails = app.mails_to("nina@example.com", 2).await;
    for mail in &mails {
        assert_mail_marked(mail, &data);
    }

    // Verified and signed in: My account and its forms, a sub-account, the plan, the accounts.
    let verified = visitor
        .verify_with_link(&mails[0].link_starting(&app.base_url).unwrap())
        .await;
    assert_eq!(location(&verified), "/accounts");
    let created = visitor
        .submit(
            "/account",
            "/account/sub-accounts",
            &[("name", "Brand One")],
        )
        .await;
    assert_all_marked("sub-account created", &created.text().await.unwrap(), &data);
    let master = app.master_of("nina@example.com");
    let sub = app.sub_account_value("Brand One");
    let sub_id = sub.split(':').nth(1).unwrap().to_owned();
    for page in [
        "/account".to_owned(),
        "/account/password".to_owned(),
        "/account/email".to_owned(),
        format!("/account/sub-accounts/{sub_id}/rename"),
        "/plan".to_owned(),
        "/accounts".to_owned(),
        format!("/accounts/{master}"),
        format!("/accounts/{master}/areas/contacts"),
        format!("/accounts/{master}/sub-accounts/{sub_id}"),
        "/sharing".to_owned(),
    ] {
        let (status, html) = visitor.get_html(&page).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        // The sub-account's API key hint is data too.
        let hints = texts(&html, "code");
        let mut page_data: Vec<&str> = data.to_vec();
        page_data.extend(hints.iter().map(String::as_str));
        assert_all_marked(&page, &html, &page_data);
    }
    let wrong = visitor
        .submit(
            "/account/password",
            "/account/password",
            &[
                ("current_password", "wrong"),
                ("new_password", "another long password"),
            ],
        )
        .await;
    assert_all_marked(
        "password change refused",
        &wrong.text().await.unwrap(),
        &data,
    );
    let downgrade = visitor.submit("/plan", "/plan", &[("plan", "")]).await;
    assert_all_marked("plan refused", &downgrade.text().await.unwrap(), &data);
    let signed_out = visitor.submit("/account", "/sign-out", &[]).await;
    assert_all_marked("signed out", &signed_out.text().await.unwrap(), &data);
}

/// The states the other tests do not reach: dead links, a form refused, a plan that does not fit,
/// an area someone may not open, a change of address asked for, the notification mails, and the
/// mails of access that ends on a date.
#[tokio::test]
async fn the_remaining_page_states_and_notices_take_every_word_from_the_fluent_files() {
    let app = spawn_app().await;
    app.owner("olive@example.com", "gold-premium").await;
    app.execute("UPDATE people SET locale = 'en-XA'");
    let owner = visitor_in(&app, "en-XA");
    owner.sign_in("olive@example.com", PASSWORD).await;
    let master = own_master(&owner).await;
    let data = [
        "olive@example.com",
        "Olive Owner",
        "dee@example.com",
        "new@example.com",
        "Brand",
    ];

    // Dead links.
    for page in [
        "/password-reset/new",
        "/account/email/confirm",
        "/verify-email?token=x",
    ] {
        let (_, html) = visitor_in(&app, "en-XA").get_html(page).await;
        assert_all_marked(page, &html, &data);
    }
    let (_, html) = owner.get_html("/account/email/confirm").await;
    assert_all_marked("a dead address-change link, signed in", &html, &data);

    // A form refused, a change of address asked for.
    owner
        .submit("/account", "/account/sub-accounts", &[("name", "Brand")])
        .await;
    let sub = app.sub_account_value("Brand");
    let sub_id = sub.split(':').nth(1).unwrap();
    let path = format!("/account/sub-accounts/{sub_id}/rename");
    let refused = owner.submit(&path, &path, &[("name", "")]).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_all_marked("a rename refused", &refused.text().await.unwrap(), &data);
    let asked = owner
        .submit(
            "/account/email",
            "/account/email",
            &[("email", "new@example.com"), ("current_password", PASSWORD)],
        )
        .await;
    assert_all_marked(
        "a new address asked for",
        &asked.text().await.unwrap(),
        &data,
    );

    // A Designer: the area they may not open; edited, then deleted, they are told.
    member(
        &owner,
        "dee@example.com",
        &[("account_0", &master), ("role_0", "designer")],
    )
    .await;
    app.execute("UPDATE people SET locale = 'en-XA' WHERE email = 'dee@example.com'");
    let dee = visitor_in(&app, "en-XA");
    dee.sign_in("dee@example.com", PASSWORD).await;
    let (status, html) = dee
        .get_html(&format!("/accounts/{master}/areas/billing"))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_all_marked("an area the person may not open", &html, &data);

    // A plan the sharing does not fit.
    let refused = owner.submit("/plan", "/plan", &[("plan", "free")]).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_all_marked(
        "a plan that does not fit",
        &refused.text().await.unwrap(),
        &data,
    );

    let id = app.scalar("SELECT id FROM members WHERE email = 'dee@example.com'");
    let edit = format!("/sharing/people/{id}/edit");
    owner
        .submit(
            &edit,
            &edit,
            &[
                ("account_0", &master),
                ("role_0", "accountant"),
                ("action", "send"),
            ],
        )
        .await;
    let delete = format!("/sharing/people/{id}/delete");
    owner.submit(&delete, &delete, &[]).await;
    let mails = app.mails_to("dee@example.com", 3).await;
    let notices: Vec<_> = mails.iter().skip(1).collect();
    let accepted = app
        .mails_to("olive@example.com", 2)
        .await
        .into_iter()
        .skip(1)
        .collect::<Vec<_>>();
    for mail in notices.into_iter().chain(&accepted) {
        assert_mail_marked(mail, &data);
    }

    // Access that ends in three days: the week-before warning at once, then the end.
    let ends = app.settings.clock.now().date_naive() + chrono::Days::new(3);
    member(
        &owner,
        "eli@example.com",
        &[
            ("account_0", &master),
            ("role_0", "accountant"),
            ("access_ends_on", &ends.to_string()),
        ],
    )
    .await;
    let data = [data.as_slice(), &["eli@example.com"]].concat();
    let warning = app.mails_to("eli@example.com", 2).await;
    assert_mail_marked(&warning[1], &data);
    app.execute(
        "UPDATE members SET access_ends_on = current_date - 1 WHERE email = 'eli@example.com'",
    );
    let ended = app.mails_to("eli@example.com", 3).await;
    assert_mail_marked(&ended[2], &data);
}

/// Ownership transfer: the owner's page in its states, the offer as the new owner sees it, an
/// access-only login's My account, and the three mails.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_ownership_pages_and_mails_take_every_word_from_the_fluent_files() {
    let app = spawn_app().await;
    app.owner("olive@example.com", "gold-premium").await;
    let rita = visitor_in(&app, "en-XA");
    rita.owner("rita@example.com", "free").await;
    app.execute("UPDATE people SET locale = 'en-XA'");
    let owner = visitor_in(&app, "en-XA");
    owner.sign_in("olive@example.com", PASSWORD).await;
    let master = own_master(&owner).await;
    let data = [
        "olive@example.com",
        "Olive Owner",
        "rita@example.com",
        "ann@example.com",
    ];
    invite_manager(&owner, "rita@example.com").await;
    let link = crate::sharing::invitation_link(&app, "rita@example.com", 1).await;
    crate::sharing::open_link(&rita, &link).await;
    rita.submit("/invitations/accept", "/invitations/accept", &[])
        .await;
    // An access-only login: My account offers an account of its own; no offer is waiting.
    member(
        &owner,
        "ann@example.com",
        &[("account_0", &master), ("role_0", "manager")],
    )
    .await;
    let ann = visitor_in(&app, "en-XA");
    ann.sign_in("ann@example.com", PASSWORD).await;
    for page in ["/account", "/ownership"] {
        let (_, html) = ann.get_html(page).await;
        assert_all_marked(page, &html, &data);
    }

    let (_, html) = owner.get_html("/sharing/transfer").await;
    assert_all_marked("the transfer page", &html, &data);
    let refused = owner
        .submit(
            "/sharing/transfer",
            "/sharing/transfer",
            &[("email", "ann@example.com"), ("current_password", PASSWORD)],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_all_marked("a transfer refused", &refused.text().await.unwrap(), &data);
    owner
        .submit(
            "/sharing/transfer",
            "/sharing/transfer",
            &[
                ("email", "rita@example.com"),
                ("current_password", PASSWORD),
            ],
        )
        .await;
    let (_, html) = owner.get_html("/sharing/transfer").await;
    assert_eq!(texts(&html, "#pending-transfer").len(), 1);
    assert_all_marked("a transfer waiting", &html, &data);

    let (_, html) = rita.get_html("/ownership").await;
    assert_all_marked("an offer", &html, &data);
    let olive_master = app.master_of("olive@example.com");
    let accept = format!("/ownership/{olive_master}/accept");
    let accepted = rita.submit("/ownership", &accept, &[]).await;
    assert_eq!(location(&accepted), "/sharing");
    for (to, count) in [("rita@example.com", 4), ("olive@example.com", 4)] {
        let mails = app.mails_to(to, count).await;
        for mail in mails
            .iter()
            .rev()
            .take(if to.starts_with("rita") { 2 } else { 1 })
        {
            assert_mail_marked(mail, &data);
        }
    }
}
