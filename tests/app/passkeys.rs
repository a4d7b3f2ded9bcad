//! Passkeys (issue 22) over HTTP: added from My account, asked for after the password, a sign-in
//! of their own, removed after the password; every answer checked against its one challenge.
//!
//! The browser's part is played by `Authenticator`, a software authenticator written here from
//! WebAuthn Level 3 (6.1, 6.5, 8.7): a P-256 key, authenticator data, the client data JSON and an
//! ES256 signature, as a phone or a security key makes them. Chromium's own virtual
//! authenticator drives the same pages in `browser.rs`. Here each answer can also be bent: for
//! another challenge, origin or site, without user verification, signed by another key.

use std::time::Duration;

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD as B64};
use p256::ecdsa::{Signature, SigningKey, signature::Signer};
use reqwest::StatusCode;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::{
    common::{
        PASSWORD, TestApp, at_once, csrf_token, location, spawn_app, spawn_app_on_localhost, texts,
    },
    gate::{forward, sample_rules, team},
};

const OWNER: &str = "ada@example.com";

/// Authenticator data flags (WebAuthn 6.1).
const USER_PRESENT: u8 = 0x01;
const USER_VERIFIED: u8 = 0x04;
const ATTESTED_CREDENTIAL: u8 = 0x40;

/// One passkey on one device.
#[derive(Clone)]
struct Authenticator {
    key: SigningKey,
    credential_id: Vec<u8>,
    /// The user handle the site gave at registration, returned on a sign-in.
    user_handle: Vec<u8>,
    counter: u32,
}

/// What to bend in an answer.
#[derive(Clone, Default)]
struct Bend {
    origin: Option<String>,
    rp_id: Option<String>,
    challenge: Option<String>,
    kind: Option<&'static str>,
    without_verification: bool,
    other_key: bool,
    user_handle: Option<Vec<u8>>,
    counter: Option<u32>,
}

fn random_bytes(n: usize) -> Vec<u8> {
    let mut bytes = Vec::new();
    while bytes.len() < n {
        bytes.extend(account_sharing::secrets::token_hash(
            &account_sharing::secrets::random_token(),
        ));
    }
    bytes.truncate(n);
    bytes
}

/// CBOR (RFC 8949) heads: what a COSE key and an attestation object need, no more.
fn cbor_head(major: u8, length: usize, out: &mut Vec<u8>) {
    let major = major << 5;
    match length {
        0..=23 => out.push(major | length as u8),
        24..=255 => out.extend([major | 24, length as u8]),
        _ => {
            out.push(major | 25);
            out.extend((length as u16).to_be_bytes());
        }
    }
}

fn cbor_bytes(bytes: &[u8], out: &mut Vec<u8>) {
    cbor_head(2, bytes.len(), out);
    out.extend(bytes);
}

fn cbor_text(text: &str, out: &mut Vec<u8>) {
    cbor_head(3, text.len(), out);
    out.extend(text.as_bytes());
}

impl Authenticator {
    fn new() -> Authenticator {
        Authenticator {
            key: SigningKey::from_slice(&random_bytes(32)).unwrap(),
            credential_id: random_bytes(32),
            user_handle: Vec::new(),
            counter: 0,
        }
    }

    /// The public key as COSE_Key (RFC 9053): EC2, ES256, P-256, x, y.
    fn cose_key(&self) -> Vec<u8> {
        let point = self.key.verifying_key().to_sec1_point(false);
        let bytes = point.as_bytes();
        let (x, y) = (&bytes[1..33], &bytes[33..65]);
        let mut out = vec![0xA5, 0x01, 0x02, 0x03, 0x26, 0x20, 0x01, 0x21];
        cbor_bytes(x, &mut out);
        out.push(0x22);
        cbor_bytes(y, &mut out);
        out
    }

    fn client_data(kind: &str, challenge: &str, origin: &str) -> Vec<u8> {
        serde_json::to_vec(&json!({
            "type": kind, "challenge": challenge, "origin": origin, "crossOrigin": false,
        }))
        .unwrap()
    }

    /// `navigator.credentials.create`: the answer to the site's creation options.
    fn create(&mut self, options: &Value, origin: &str, bend: &Bend) -> String {
        let options = &options["publicKey"];
        let rp_id = bend
            .rp_id
            .clone()
            .unwrap_or_else(|| options["rp"]["id"].as_str().unwrap().to_owned());
        self.user_handle = B64.decode(options["user"]["id"].as_str().unwrap()).unwrap();
        let challenge = bend
            .challenge
            .clone()
            .unwrap_or_else(|| options["challenge"].as_str().unwrap().to_owned());
        let client_data = Self::client_data(
            bend.kind.unwrap_or("webauthn.create"),
            &challenge,
            bend.origin.as_deref().unwrap_or(origin),
        );
        let flags = USER_PRESENT | ATTESTED_CREDENTIAL | verified(bend);
        let mut auth_data = Sha256::digest(rp_id.as_bytes()).to_vec();
        auth_data.push(flags);
        auth_data.extend(self.counter.to_be_bytes());
        auth_data.extend([0u8; 16]);
        auth_data.extend((self.credential_id.len() as u16).to_be_bytes());
        auth_data.extend(&self.credential_id);
        auth_data.extend(self.cose_key());
        let mut attestation = vec![0xA3];
        cbor_text("fmt", &mut attestation);
        cbor_text("none", &mut attestation);
        cbor_text("attStmt", &mut attestation);
        attestation.push(0xA0);
        cbor_text("authData", &mut attestation);
        cbor_bytes(&auth_data, &mut attestation);
        let id = B64.encode(&self.credential_id);
        json!({
            "id": id, "rawId": id, "type": "public-key",
            "response": {
                "attestationObject": B64.encode(attestation),
                "clientDataJSON": B64.encode(client_data),
            },
            "extensions": {},
        })
        .to_string()
    }

    /// `navigator.credentials.get`: the answer to the site's request options.
    fn get(&mut self, options: &Value, origin: &str, bend: &Bend) -> String {
        let options = &options["publicKey"];
        let rp_id = bend
            .rp_id
            .clone()
            .unwrap_or_else(|| options["rpId"].as_str().unwrap().to_owned());
        let challenge = bend
            .challenge
            .clone()
            .unwrap_or_else(|| options["challenge"].as_str().unwrap().to_owned());
        let client_data = Self::client_data(
            bend.kind.unwrap_or("webauthn.get"),
            &challenge,
            bend.origin.as_deref().unwrap_or(origin),
        );
        self.counter += 1;
        let mut auth_data = Sha256::digest(rp_id.as_bytes()).to_vec();
        auth_data.push(USER_PRESENT | verified(bend));
        auth_data.extend(bend.counter.unwrap_or(self.counter).to_be_bytes());
        let mut signed = auth_data.clone();
        signed.extend(Sha256::digest(&client_data));
        let key = if bend.other_key {
            SigningKey::from_slice(&random_bytes(32)).unwrap()
        } else {
            self.key.clone()
        };
        let signature: Signature = key.sign(&signed);
        let id = B64.encode(&self.credential_id);
        let handle = bend.user_handle.as_ref().unwrap_or(&self.user_handle);
        json!({
            "id": id, "rawId": id, "type": "public-key",
            "response": {
                "authenticatorData": B64.encode(auth_data),
                "clientDataJSON": B64.encode(client_data),
                "signature": B64.encode(signature.to_der().as_bytes()),
                "userHandle": B64.encode(handle),
            },
            "extensions": {},
        })
        .to_string()
    }
}

fn verified(bend: &Bend) -> u8 {
    if bend.without_verification {
        0
    } else {
        USER_VERIFIED
    }
}

/// Asks for a ceremony's options from `page`'s form, as the script does.
async fn options(visitor: &TestApp, page: &str, path: &str) -> (StatusCode, Value) {
    let (_, html) = visitor.get_html(page).await;
    let response = visitor
        .post_raw(path, &[("csrf_token", &csrf_token(&html))])
        .await;
    let status = response.status();
    let body = response.text().await.unwrap();
    (status, serde_json::from_str(&body).unwrap_or(Value::Null))
}

async fn registration_options(visitor: &TestApp) -> Value {
    let (status, options) =
        options(visitor, "/account/two-factor", "/account/passkeys/options").await;
    assert_eq!(status, StatusCode::OK, "{options}");
    options
}

async fn send_registration(visitor: &TestApp, name: &str, answer: &str) -> reqwest::Response {
    visitor
        .submit(
            "/account/two-factor",
            "/account/passkeys",
            &[("passkey_name", name), ("credential", answer)],
        )
        .await
}

/// Adds a passkey from My account as a person does; gives the page that follows.
async fn add_passkey(visitor: &TestApp, device: &mut Authenticator, name: &str) -> String {
    let options = registration_options(visitor).await;
    let answer = device.create(&options, &visitor.base_url, &Bend::default());
    let response = send_registration(visitor, name, &answer).await;
    let status = response.status();
    let html = response.text().await.unwrap();
    assert!(
        status == StatusCode::OK || status == StatusCode::SEE_OTHER,
        "{status}: {:?}",
        texts(&html, ".error-message")
    );
    // The mail telling the person a passkey was added has gone before a test compares the
    // database, so the mail worker changes no row while it does.
    visitor.outbox_settled().await;
    html
}

async fn second_step_answer(visitor: &TestApp, device: &mut Authenticator, bend: &Bend) -> String {
    let (status, options) = options(
        visitor,
        "/sign-in/two-factor",
        "/sign-in/two-factor/passkey/options",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{options}");
    device.get(&options, &visitor.base_url, bend)
}

async fn send_second_step(visitor: &TestApp, answer: &str) -> reqwest::Response {
    visitor
        .submit(
            "/sign-in/two-factor",
            "/sign-in/two-factor/passkey",
            &[("credential", answer)],
        )
        .await
}

async fn sign_in_answer(visitor: &TestApp, device: &mut Authenticator, bend: &Bend) -> String {
    let (status, options) = options(visitor, "/sign-in", "/sign-in/passkey/options").await;
    assert_eq!(status, StatusCode::OK, "{options}");
    assert!(
        options["publicKey"]["allowCredentials"]
            .as_array()
            .is_none_or(Vec::is_empty),
        "a passwordless sign-in names no one: {options}"
    );
    device.get(&options, &visitor.base_url, bend)
}

async fn send_sign_in(visitor: &TestApp, answer: &str) -> reqwest::Response {
    visitor
        .submit("/sign-in", "/sign-in/passkey", &[("credential", answer)])
        .await
}

async fn who_is_signed_in(visitor: &TestApp) -> Option<String> {
    let (status, html) = visitor.get_html("/account").await;
    (status == StatusCode::OK).then(|| texts(&html, "main").join(" "))
}

async fn sign_out(visitor: &TestApp) {
    visitor.submit("/account", "/sign-out", &[]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_passkey_is_added_asked_for_after_the_password_and_signs_in_alone() {
    let app = spawn_app_on_localhost(|_| {}).await;
    app.owner(OWNER, "free").await;
    let (_, html) = app.get_html("/account/two-factor").await;
    assert_eq!(texts(&html, "#passkey"), ["Add a passkey"]);
    assert!(
        texts(&html, "main")
            .join(" ")
            .contains("You have no passkey yet.")
    );

    // A name first: nothing is begun without one, and the form says so.
    let refused = send_registration(&app, "  ", "").await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text().await.unwrap();
    assert_eq!(
        texts(&html, "#passkey_name-error"),
        ["Error: Enter a name for the passkey"]
    );
    // Without script there is no answer: said on the button's field, the name kept.
    let refused = send_registration(&app, "Work laptop", "").await;
    let html = refused.text().await.unwrap();
    assert!(texts(&html, "#passkey-error")[0].contains("Passkeys need JavaScript"));
    assert_eq!(
        crate::common::attribute(&html, "#passkey_name", "value").as_deref(),
        Some("Work laptop")
    );

    // The first passkey is the first second factor: it comes with ten recovery codes.
    let mut laptop = Authenticator::new();
    let html = add_passkey(&app, &mut laptop, "Work laptop").await;
    let codes = texts(&html, ".recovery-codes li");
    assert_eq!(codes.len(), 10, "{html}");
    assert_eq!(laptop.user_handle.len(), 16);
    assert_eq!(
        app.scalar("SELECT count(*) FROM passkeys p JOIN people ON people.id = p.person_id"),
        1
    );
    // Mailed, so a passkey added by whoever has the password alone is seen.
    let told = app.mails_to(OWNER, 2).await.pop().unwrap();
    assert_eq!(told.subject(), "A passkey was added to your login");
    assert!(told.text().contains("“Work laptop”"), "{}", told.text());
    assert!(
        told.link_starting(&app.url("/account/two-factor"))
            .is_some()
    );
    // The user handle says nothing of who the person is.
    let person_id = app.scalar("SELECT id FROM people");
    assert!(!String::from_utf8_lossy(&laptop.user_handle).contains(OWNER));
    assert_ne!(laptop.user_handle, person_id.to_be_bytes().to_vec());

    // A second one: no new codes, a flash, both listed.
    let mut phone = Authenticator::new();
    let options = registration_options(&app).await;
    let excluded: Vec<_> = options["publicKey"]["excludeCredentials"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(excluded, [B64.encode(&laptop.credential_id)]);
    let answer = phone.create(&options, &app.base_url, &Bend::default());
    let added = send_registration(&app, "Phone", &answer).await;
    assert_eq!(location(&added), "/account/two-factor");
    assert_eq!(
        phone.user_handle, laptop.user_handle,
        "one handle per person"
    );
    let (_, html) = app.get_html("/account/two-factor").await;
    assert_eq!(
        texts(&html, "table th[scope=row]"),
        ["Work laptop", "Phone"]
    );
    assert!(texts(&html, "main").join(" ").contains("Passkey added."));

    // Now the password is only the first step, and the passkey the second.
    sign_out(&app).await;
    let first = app.sign_in(OWNER, PASSWORD).await;
    assert_eq!(location(&first), "/sign-in/two-factor");
    let (_, html) = app.get_html("/sign-in/two-factor").await;
    assert_eq!(texts(&html, "#passkey"), ["Use a passkey"]);
    let answer = second_step_answer(&app, &mut phone, &Bend::default()).await;
    let signed_in = send_second_step(&app, &answer).await;
    assert_eq!(location(&signed_in), "/accounts");
    assert!(who_is_signed_in(&app).await.is_some());
    assert_eq!(
        app.scalar(
            "SELECT count(*) FROM passkeys WHERE name = 'Phone' AND last_used_at IS NOT NULL"
        ),
        1
    );

    // Without a password: the browser offers the passkey, whose handle says whose it is.
    sign_out(&app).await;
    assert!(who_is_signed_in(&app).await.is_none());
    let answer = sign_in_answer(&app, &mut laptop, &Bend::default()).await;
    let signed_in = send_sign_in(&app, &answer).await;
    assert_eq!(location(&signed_in), "/accounts");
    assert!(who_is_signed_in(&app).await.unwrap().contains(OWNER));

    // A recovery code still stands for the second factor of someone with passkeys alone.
    sign_out(&app).await;
    app.sign_in(OWNER, PASSWORD).await;
    let with_code = app
        .submit(
            "/sign-in/two-factor",
            "/sign-in/two-factor",
            &[("code", &codes[0])],
        )
        .await;
    assert_eq!(location(&with_code), "/accounts");

    // Removing one asks for the password; the last one takes the recovery codes with it.
    let (_, html) = app.get_html("/account/two-factor").await;
    let remove = crate::common::attribute(&html, "main td a", "href").unwrap();
    let (status, confirm) = app.get_html(&remove).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(texts(&confirm, "h1"), ["Remove passkey “Work laptop”?"]);
    let wrong = app
        .submit(
            &remove,
            &remove,
            &[("current_password", "not the password")],
        )
        .await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.scalar("SELECT count(*) FROM passkeys"), 2);
    let removed = app
        .submit(&remove, &remove, &[("current_password", PASSWORD)])
        .await;
    assert_eq!(location(&removed), "/account/two-factor");
    assert_eq!(app.scalar("SELECT count(*) FROM recovery_codes"), 10);
    let (_, html) = app.get_html("/account/two-factor").await;
    let remove = crate::common::attribute(&html, "main td a", "href").unwrap();
    app.submit(&remove, &remove, &[("current_password", PASSWORD)])
        .await;
    assert_eq!(app.scalar("SELECT count(*) FROM passkeys"), 0);
    assert_eq!(app.scalar("SELECT count(*) FROM recovery_codes"), 0);
    let subjects: Vec<_> = app
        .mails_to(OWNER, 5)
        .await
        .iter()
        .map(|mail| mail.subject())
        .collect();
    assert_eq!(
        subjects[1..],
        [
            "A passkey was added to your login",
            "A passkey was added to your login",
            "A passkey was removed from your login",
            "A passkey was removed from your login",
        ],
        "{subjects:?}"
    );
    // Gone already: not found, from another tab as from another person.
    let (status, _) = app.get_html(&remove).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    sign_out(&app).await;
    let password_alone = app.sign_in(OWNER, PASSWORD).await;
    assert_eq!(location(&password_alone), "/accounts");
}

/// The corpus of answers that must not sign anyone in or add anything: each is refused in
/// words, and only the counts of failed tries and the session's spent challenge move.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_for_another_challenge_origin_key_or_person_are_refused() {
    // Each refused answer counts as a failed sign-in, as a wrong code does: the corpus is
    // longer than the limit (`two_factor.rs` shows the limit holding).
    let app = spawn_app_on_localhost(|vars| {
        vars.insert("RATE_SIGN_IN_PER_ADDRESS".into(), "1000/15m".into());
        vars.insert("RATE_SIGN_IN_PER_IP".into(), "1000/15m".into());
    })
    .await;
    app.owner(OWNER, "free").await;
    let mut device = Authenticator::new();
    add_passkey(&app, &mut device, "Laptop").await;
    let other = app.another_visitor();
    other.owner("bob@example.com", "free").await;
    let mut bobs = Authenticator::new();
    add_passkey(&other, &mut bobs, "Bob's key").await;
    sign_out(&app).await;
    let origin = app.base_url.clone();

    let stranger = app.another_visitor();
    let unchanged = |what: &str, before: &[(String, i64, String)]| {
        let after = app.database_fingerprint();
        let changed: Vec<_> = before
            .iter()
            .zip(&after)
            .filter(|(was, is)| was != is && !["sessions", "rate_limits"].contains(&was.0.as_str()))
            .map(|(was, _)| was.0.clone())
            .collect();
        assert!(changed.is_empty(), "{what}: changed {changed:?}");
    };

    // Passwordless sign-in: an answer bent each way, each refused.
    let bends: Vec<(&str, Bend)> = vec![
        (
            "another origin",
            Bend {
                origin: Some("http://evil.test".into()),
                ..Bend::default()
            },
        ),
        (
            "another port",
            Bend {
                origin: Some("http://localhost:1".into()),
                ..Bend::default()
            },
        ),
        (
            "https for http",
            Bend {
                origin: Some(origin.replace("http:", "https:")),
                ..Bend::default()
            },
        ),
        (
            "another relying party",
            Bend {
                rp_id: Some("evil.test".into()),
                ..Bend::default()
            },
        ),
        (
            "another challenge",
            Bend {
                challenge: Some(B64.encode(random_bytes(32))),
                ..Bend::default()
            },
        ),
        (
            "a registration's type",
            Bend {
                kind: Some("webauthn.create"),
                ..Bend::default()
            },
        ),
        (
            "no user verification",
            Bend {
                without_verification: true,
                ..Bend::default()
            },
        ),
        (
            "signed by another key",
            Bend {
                other_key: true,
                ..Bend::default()
            },
        ),
        (
            "another person's handle",
            Bend {
                user_handle: Some(bobs.user_handle.clone()),
                ..Bend::default()
            },
        ),
        (
            "an unknown handle",
            Bend {
                user_handle: Some(random_bytes(16)),
                ..Bend::default()
            },
        ),
    ];
    for (what, bend) in &bends {
        let before = app.database_fingerprint();
        let answer = sign_in_answer(&stranger, &mut device, bend).await;
        let refused = send_sign_in(&stranger, &answer).await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY, "{what}");
        let html = refused.text().await.unwrap();
        assert_eq!(
            texts(&html, "#passkey-error"),
            ["Error: This passkey was not accepted. Try again with a passkey of this login."],
            "{what}"
        );
        assert!(who_is_signed_in(&stranger).await.is_none(), "{what}");
        unchanged(what, &before);
    }

    // An answer for an earlier challenge of the same session, after a new one was asked.
    let earlier = sign_in_answer(&stranger, &mut device, &Bend::default()).await;
    let _later = sign_in_answer(&stranger, &mut device, &Bend::default()).await;
    let refused = send_sign_in(&stranger, &earlier).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // A good answer works once; sent again, no challenge waits for it.
    let answer = sign_in_answer(&stranger, &mut device, &Bend::default()).await;
    assert_eq!(
        location(&send_sign_in(&stranger, &answer).await),
        "/accounts"
    );
    sign_out(&stranger).await;
    let replayed = send_sign_in(&stranger, &answer).await;
    let html = replayed.text().await.unwrap();
    assert!(texts(&html, "#passkey-error")[0].contains("no longer open"));
    assert!(who_is_signed_in(&stranger).await.is_none());
    // Another browser's challenge is not this one's.
    let elsewhere = sign_in_answer(&app.another_visitor(), &mut device, &Bend::default()).await;
    let refused = send_sign_in(&stranger, &elsewhere).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // A counter that went back: a cloned authenticator.
    let cloned = sign_in_answer(
        &stranger,
        &mut device,
        &Bend {
            counter: Some(1),
            ..Bend::default()
        },
    )
    .await;
    let refused = send_sign_in(&stranger, &cloned).await;
    assert_eq!(
        refused.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "counter went back"
    );
    // Too late: a challenge waits six minutes.
    let late = sign_in_answer(&stranger, &mut device, &Bend::default()).await;
    app.settings.clock.advance(Duration::from_secs(7 * 60));
    let refused = send_sign_in(&stranger, &late).await;
    let html = refused.text().await.unwrap();
    assert!(texts(&html, "#passkey-error")[0].contains("no longer open"));

    // The second step: only the passkeys of whoever gave the password.
    stranger.sign_in(OWNER, PASSWORD).await;
    let (status, options) = options(
        &stranger,
        "/sign-in/two-factor",
        "/sign-in/two-factor/passkey/options",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let allowed: Vec<_> = options["publicKey"]["allowCredentials"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(allowed, [B64.encode(&device.credential_id)]);
    let bobs_answer = bobs.get(&options, &origin, &Bend::default());
    let refused = send_second_step(&stranger, &bobs_answer).await;
    assert_eq!(
        refused.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "another person's passkey"
    );
    assert!(who_is_signed_in(&stranger).await.is_none());
    let answer = second_step_answer(
        &stranger,
        &mut device,
        &Bend {
            other_key: true,
            ..Bend::default()
        },
    )
    .await;
    let refused = send_second_step(&stranger, &answer).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // A registration is not a sign-in, and a sign-in answer adds no passkey.
    let answer = second_step_answer(&stranger, &mut device, &Bend::default()).await;
    assert_eq!(
        location(&send_second_step(&stranger, &answer).await),
        "/accounts"
    );
    let sign_in = sign_in_answer(&app.another_visitor(), &mut device, &Bend::default()).await;
    let before = app.database_fingerprint();
    let refused = send_registration(&stranger, "Sneaky", &sign_in).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    unchanged("a sign-in answer sent as a registration", &before);

    // Registrations bent each way add nothing.
    let registration_bends: Vec<(&str, Bend)> = vec![
        (
            "another origin",
            Bend {
                origin: Some("http://evil.test".into()),
                ..Bend::default()
            },
        ),
        (
            "another relying party",
            Bend {
                rp_id: Some("evil.test".into()),
                ..Bend::default()
            },
        ),
        (
            "another challenge",
            Bend {
                challenge: Some(B64.encode(random_bytes(32))),
                ..Bend::default()
            },
        ),
        (
            "a sign-in's type",
            Bend {
                kind: Some("webauthn.get"),
                ..Bend::default()
            },
        ),
        (
            "no user verification",
            Bend {
                without_verification: true,
                ..Bend::default()
            },
        ),
    ];
    for (what, bend) in &registration_bends {
        let before = app.database_fingerprint();
        let options = registration_options(&stranger).await;
        let answer = Authenticator::new().create(&options, &origin, bend);
        let refused = send_registration(&stranger, "Bent", &answer).await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY, "{what}");
        let html = refused.text().await.unwrap();
        assert!(
            texts(&html, "#passkey-error")[0].contains("not accepted"),
            "{what}"
        );
        unchanged(what, &before);
    }
    // Bob's authenticator answering Ada's registration: that credential is Bob's already.
    let options = registration_options(&stranger).await;
    let answer = bobs.clone().create(&options, &origin, &Bend::default());
    let refused = send_registration(&stranger, "Bob's again", &answer).await;
    let html = refused.text().await.unwrap();
    assert!(texts(&html, "#passkey-error")[0].contains("already added to a login"));
    assert_eq!(app.scalar("SELECT count(*) FROM passkeys"), 2);

    // What is not an answer at all: refused in words, before anything is looked up.
    let junk: Vec<String> = vec![
        "{}".into(), "[]".into(), "null".into(), "\"text\"".into(), "{".into(),
        json!({"id": "x", "rawId": "!!!", "type": "public-key", "response": {}}).to_string(),
        json!({"id": "x", "rawId": "AA", "type": "public-key", "response": {"authenticatorData": "AA", "clientDataJSON": "AA", "signature": "AA"}}).to_string(),
        json!({"id": 7, "rawId": [1, 2], "type": null}).to_string(),
        "x".repeat(16 * 1024 + 1),
        format!("{{\"id\": \"{}\"}}", "\u{202E}"),
        "{\"id\":\"a\",\"id\":\"b\"}".into(),
        "%7B%7D".into(),
        "{\"rawId\": \"\u{0000}\"}".into(),
    ];
    let before = app.database_fingerprint();
    for answer in &junk {
        for (page, action, extra) in [(
            "/account/two-factor",
            "/account/passkeys",
            Some(("passkey_name", "Junk")),
        )] {
            let mut fields = vec![("credential", answer.as_str())];
            fields.extend(extra);
            let refused = stranger.submit(page, action, &fields).await;
            refused_in_words(refused, answer).await;
        }
        let visitor = app.another_visitor();
        refused_in_words(send_sign_in(&visitor, answer).await, answer).await;
    }
    unchanged("answers that are not answers", &before);
}

/// A form refused with its page saying why: 422 with the field's error, or 413 for a body past
/// the forms' size limit, which no field is read from.
async fn refused_in_words(response: reqwest::Response, answer: &str) {
    let status = response.status();
    let html = response.text().await.unwrap();
    match status {
        StatusCode::UNPROCESSABLE_ENTITY => {
            assert_eq!(texts(&html, ".error-message").len(), 1, "{answer:.60}")
        }
        StatusCode::PAYLOAD_TOO_LARGE => assert!(answer.len() > 16 * 1024),
        other => panic!("{other} for {answer:.60}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_login_keeps_ten_passkeys_even_when_they_are_added_at_once() {
    let app = spawn_app_on_localhost(|_| {}).await;
    app.owner(OWNER, "free").await;
    let mut first = Authenticator::new();
    add_passkey(&app, &mut first, "Key 0").await;
    for n in 1..8 {
        add_passkey(&app, &mut Authenticator::new(), &format!("Key {n}")).await;
    }
    // Four browsers of the same person, signed in with the first passkey, each begin adding
    // one; then all four finish at once, with room left for two.
    let mut finishes: Vec<crate::common::Request<StatusCode>> = Vec::new();
    for _ in 0..4 {
        let visitor = app.another_visitor();
        let answer = sign_in_answer(&visitor, &mut first, &Bend::default()).await;
        assert_eq!(
            location(&send_sign_in(&visitor, &answer).await),
            "/accounts"
        );
        let options = registration_options(&visitor).await;
        let answer = Authenticator::new().create(&options, &visitor.base_url, &Bend::default());
        let (_, html) = visitor.get_html("/account/two-factor").await;
        let request = visitor
            .client
            .post(visitor.url("/account/passkeys"))
            .form(&[
                ("csrf_token", csrf_token(&html)),
                ("passkey_name", "Raced".to_owned()),
                ("credential", answer),
            ]);
        finishes.push(Box::pin(
            async move { request.send().await.unwrap().status() },
        ));
    }
    let raced = at_once(finishes).await;
    let added = raced
        .results
        .iter()
        .filter(|status| **status == StatusCode::SEE_OTHER)
        .count();
    assert_eq!(added, 2, "room for two more: {:?}", raced.results);
    assert!(
        raced.results.iter().all(|status| [
            StatusCode::SEE_OTHER,
            StatusCode::UNPROCESSABLE_ENTITY
        ]
        .contains(status))
    );
    assert_eq!(app.scalar("SELECT count(*) FROM passkeys"), 10);
    let (status, refused) = options(&app, "/account/two-factor", "/account/passkeys/options").await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(
        refused["error"]
            .as_str()
            .unwrap()
            .contains("10 passkeys already")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_passkey_meets_an_owners_requirement_and_removing_the_last_one_shuts_the_door() {
    let app = spawn_app_on_localhost(|vars| {
        vars.insert("FORWARD_AUTH_RULES".into(), sample_rules());
        vars.insert("PLATFORM_ORIGINS".into(), "https://app.example.com".into());
    })
    .await;
    let team = team(&app, &[("manager", &[("role_0", "manager")])]).await;
    let manager = team.person("manager");
    let master = team.master.clone();
    let send = format!("/accounts/{master}/campaigns/7/send");
    add_passkey(&app, &mut Authenticator::new(), "Owner's key").await;
    let required = app
        .submit(
            "/sharing/security",
            "/sharing/security",
            &[("required", "on")],
        )
        .await;
    assert_eq!(location(&required), "/sharing/security");
    let (_, page) = app.get_html("/sharing/security").await;
    assert_eq!(texts(&page, "#without"), ["1 of 1 have no second factor"]);
    assert_ne!(
        forward(manager, "POST", &send).await.status(),
        StatusCode::OK
    );

    let mut managers = Authenticator::new();
    add_passkey(manager, &mut managers, "Manager's key").await;
    let (_, page) = app.get_html("/sharing/security").await;
    assert_eq!(texts(&page, "#without"), ["0 of 1 have no second factor"]);
    assert_eq!(
        forward(manager, "POST", &send).await.status(),
        StatusCode::OK
    );
    // The sharing table and its export say so, as for an app.
    let (_, sharing) = app.get_html("/sharing").await;
    assert_eq!(
        texts(&sharing, ".share-table__two-factor"),
        ["Two-factor on"]
    );
    let csv = app.get("/sharing/export.csv").await.text().await.unwrap();
    assert!(
        csv.lines()
            .nth(1)
            .unwrap()
            .trim_end()
            .ends_with(r#","Yes""#),
        "{csv}"
    );

    // The last passkey removed: shut out again.
    let (_, html) = manager.get_html("/account/two-factor").await;
    let remove = crate::common::attribute(&html, "main td a", "href").unwrap();
    manager
        .submit(&remove, &remove, &[("current_password", PASSWORD)])
        .await;
    let (_, page) = app.get_html("/sharing/security").await;
    assert_eq!(texts(&page, "#without"), ["1 of 1 have no second factor"]);
    assert_ne!(
        forward(manager, "POST", &send).await.status(),
        StatusCode::OK
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_an_ip_address_passkeys_are_not_offered_and_say_why() {
    let app = spawn_app().await;
    app.owner(OWNER, "free").await;
    let (_, html) = app.get_html("/account/two-factor").await;
    assert!(
        texts(&html, "main .inset")
            .join(" ")
            .contains("reached at an IP address")
    );
    assert!(texts(&html, "#passkey").is_empty());
    let (status, answer) = options(&app, "/account/two-factor", "/account/passkeys/options").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(answer["error"].as_str().unwrap().contains("IP address"));
    sign_out(&app).await;
    let (_, html) = app.get_html("/sign-in").await;
    assert!(texts(&html, "form[data-passkey]").is_empty());
    let (status, _) = options(&app, "/sign-in", "/sign-in/passkey/options").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
