//! The outbox when things go wrong (R31-R33): invitations withdrawn or replaced while their mail
//! waits, a relay that never takes a message, and a worker killed in the middle of a batch.

use std::{sync::Arc, time::Duration};

use account_sharing::{
    config::MailTransportSettings,
    mail::{
        transport::Transport,
        worker::{OutboxSignal, OutboxWorker},
    },
};
use reqwest::StatusCode;

use crate::{
    common::{PASSWORD, TestApp, smtp::SmtpSink, spawn_app_with, texts},
    sharing::{invite_manager, open_link},
};

/// The service with its relay down (nothing listens on the returned port), and an owner who can
/// share. The relay being down, their address is marked verified here rather than by mail.
async fn owner_while_the_relay_is_down(extra: &[(&str, &str)]) -> (TestApp, u16) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let app = spawn_app_with(|vars| {
        vars.insert("SMTP_URL".into(), format!("smtp://127.0.0.1:{port}"));
        for (name, value) in extra {
            vars.insert((*name).into(), (*value).into());
        }
    })
    .await;
    app.sign_up("owner@example.com", "Olive Owner", PASSWORD, "essential")
        .await;
    app.execute("UPDATE people SET email_verified_at = now()");
    app.execute("DELETE FROM email_verifications");
    app.sign_in("owner@example.com", PASSWORD).await;
    (app, port)
}

/// Waits up to ten seconds for `sql` to count `expected`.
pub async fn wait_for_count(app: &TestApp, sql: &str, expected: i64) {
    for _ in 0..200 {
        if app.scalar(sql) == expected {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{sql} is {}, not {expected}", app.scalar(sql));
}

fn member_id(app: &TestApp, email: &str) -> i64 {
    app.scalar(&format!("SELECT id FROM members WHERE email = '{email}'"))
}

fn mails_to(relay: &SmtpSink, email: &str) -> usize {
    relay
        .received()
        .iter()
        .filter(|mail| mail.envelope_to.iter().any(|to| to == email))
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invitation_deleted_or_re_sent_before_its_mail_left_sends_nothing_for_it() {
    let (app, port) = owner_while_the_relay_is_down(&[]).await;
    invite_manager(&app, "gone@example.com").await;
    invite_manager(&app, "again@example.com").await;
    wait_for_count(
        &app,
        "SELECT count(*) FROM outbox WHERE member_id IS NOT NULL AND attempts = 1 AND status = 'pending'",
        2,
    )
    .await;
    let (gone, again) = (
        member_id(&app, "gone@example.com"),
        member_id(&app, "again@example.com"),
    );
    let first_mail_of = |member: i64| {
        app.scalar(&format!(
            "SELECT min(id) FROM outbox WHERE member_id = {member}"
        ))
    };
    let gone_mail = first_mail_of(gone);
    let again_first = first_mail_of(again);

    // Gone is deleted; Again is re-sent (past the guard against double clicks).
    let response = app
        .submit(
            &format!("/sharing/people/{gone}/delete"),
            &format!("/sharing/people/{gone}/delete"),
            &[],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    app.execute("UPDATE outbox SET created_at = now() - interval '1 minute'");
    let response = app
        .submit("/sharing", &format!("/sharing/people/{again}/resend"), &[])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);

    let relay = SmtpSink::start_on(port).await;
    app.make_outbox_due();
    wait_for_count(
        &app,
        "SELECT count(*) FROM outbox WHERE status = 'pending'",
        0,
    )
    .await;
    let status = |id: i64| {
        app.scalar(&format!(
            "SELECT CASE status WHEN 'cancelled' THEN 0 WHEN 'sent' THEN 1 ELSE 2 END FROM outbox WHERE id = {id}"
        ))
    };
    assert_eq!(mails_to(&relay, "gone@example.com"), 0);
    assert_eq!(
        status(gone_mail),
        0,
        "the deleted invitation's mail is cancelled"
    );
    assert_eq!(mails_to(&relay, "again@example.com"), 1);
    assert_eq!(status(again_first), 0, "the replaced mail is cancelled");
    // The one mail that went is the new one, and its link works.
    let mail = relay
        .received()
        .into_iter()
        .find(|mail| mail.envelope_to.iter().any(|to| to == "again@example.com"))
        .unwrap();
    let link = mail
        .link_starting(&app.url("/invitations/accept?token="))
        .unwrap();
    let (opened, _) = open_link(&app.another_visitor(), &link).await;
    assert_eq!(opened, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mail_that_never_goes_ends_failed_and_the_owner_can_re_send_it() {
    let (app, port) = owner_while_the_relay_is_down(&[("MAIL_MAX_ATTEMPTS", "2")]).await;
    invite_manager(&app, "fay@example.com").await;
    let invitation = "SELECT count(*) FROM outbox WHERE member_id IS NOT NULL";
    wait_for_count(&app, &format!("{invitation} AND attempts = 1"), 1).await;
    let (_, page) = app.get_html("/sharing").await;
    assert_eq!(
        texts(&page, "tbody tr:nth-child(2) .table__subtext"),
        ["Invitation email being sent"]
    );
    app.make_outbox_due();
    wait_for_count(
        &app,
        &format!("{invitation} AND attempts = 2 AND status = 'failed'"),
        1,
    )
    .await;

    let (_, page) = app.get_html("/sharing").await;
    assert_eq!(
        texts(&page, "tbody tr:nth-child(2) .table__subtext"),
        [account_sharing::i18n::Locale::En.t(account_sharing::messages::DELIVERY_FAILED)]
    );
    assert!(
        texts(&page, "tbody tr:nth-child(2) .manage button")[0].starts_with("Re-send invitation")
    );
    // The relay is back: Re-send delivers.
    let relay = SmtpSink::start_on(port).await;
    let id = member_id(&app, "fay@example.com");
    app.submit("/sharing", &format!("/sharing/people/{id}/resend"), &[])
        .await;
    relay.wait_for(1).await;
    wait_for_count(&app, &format!("{invitation} AND status = 'sent'"), 1).await;
    let (_, page) = app.get_html("/sharing").await;
    assert_eq!(
        texts(&page, "tbody tr:nth-child(2) .table__subtext"),
        ["Invitation email sent"]
    );
}

/// A relay that takes connections and never says a word: a send to it hangs.
async fn silent_relay() -> (u16, Arc<std::sync::atomic::AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let connections = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counted = connections.clone();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            counted.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            held.push(stream);
        }
    });
    (port, connections)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_killed_in_the_middle_of_a_batch_loses_nothing() {
    let (app, port) = owner_while_the_relay_is_down(&[]).await;
    // Five: the Essential plan's seats.
    let people: Vec<String> = (0..5).map(|i| format!("p{i}@example.com")).collect();
    for email in &people {
        invite_manager(&app, email).await;
    }
    // The server's own worker has tried each once (the relay is down) and waits to retry.
    let invitations = "SELECT count(*) FROM outbox WHERE member_id IS NOT NULL";
    wait_for_count(&app, &format!("{invitations} AND attempts = 1"), 5).await;

    // A second worker, as in another server process, whose relay hangs: it claims the batch,
    // starts sending the first message, and is killed there.
    let (silent, connections) = silent_relay().await;
    let mut settings = app.settings.clone();
    settings.mail_transport = MailTransportSettings::Smtp {
        url: format!("smtp://127.0.0.1:{silent}"),
    };
    let transport = Transport::from_settings(&settings).unwrap();
    let state = account_sharing::startup::state_without_server(settings)
        .await
        .unwrap();
    let doomed = OutboxWorker {
        db: state.db.clone(),
        transport: Arc::new(transport),
        settings: state.settings.clone(),
        signal: OutboxSignal::default(),
        metrics: state.metrics.clone(),
        stop: Default::default(),
    };
    app.make_outbox_due();
    let batch = tokio::spawn(async move { doomed.deliver_due_batch().await });
    for _ in 0..200 {
        if connections.load(std::sync::atomic::Ordering::SeqCst) > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert_eq!(connections.load(std::sync::atomic::Ordering::SeqCst), 1);
    batch.abort();
    let leased = app.scalar(&format!(
        "{invitations} AND status = 'pending' AND next_attempt_at > now() + interval '4 minutes'"
    ));
    assert!(
        leased >= 1,
        "the killed worker held messages under its lease"
    );

    // The relay comes back, and the lease runs out (time moved on by hand): every message goes,
    // once.
    let relay = SmtpSink::start_on(port).await;
    app.make_outbox_due();
    wait_for_count(&app, &format!("{invitations} AND status = 'sent'"), 5).await;
    for email in &people {
        assert_eq!(mails_to(&relay, email), 1, "{email}");
    }
    println!(
        "Worker killed mid-batch: it held {leased} of 5 messages under its lease; after the lease, 5 of 5 sent, each once, 0 lost"
    );
}
