//! Notification mail (issue 11): the owner hears when someone accepts or declines; a person
//! hears when their access is edited or deleted; each can be switched off in My account.

use reqwest::StatusCode;

use crate::{
    common::{TestApp, location, spawn_app, texts},
    sharing::{invitation_link, invite_manager, open_link, own_master},
    workspace::member,
};

/// The subjects of the mail received for `to`, oldest first.
pub fn subjects(app: &TestApp, to: &str) -> Vec<String> {
    app.smtp
        .received()
        .into_iter()
        .filter(|mail| mail.envelope_to.iter().any(|address| address == to))
        .map(|mail| mail.subject())
        .collect()
}

async fn edit_to_accountant(app: &TestApp, id: i64, master: &str) {
    let path = format!("/sharing/people/{id}/edit");
    let response = app
        .submit(
            &path,
            &path,
            &[
                ("account_0", master),
                ("role_0", "accountant"),
                ("action", "send"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn owners_and_people_are_told_unless_they_switched_it_off() {
    let app = spawn_app().await;
    app.owner("olive@example.com", "gold-premium").await;
    let master = own_master(&app).await;
    let fields = [("account_0", master.as_str()), ("role_0", "manager")];

    // Ann accepts: the owner hears of it.
    let ann = member(&app, "ann@example.com", &fields).await;
    app.mails_to("olive@example.com", 2).await;
    assert!(
        subjects(&app, "olive@example.com")
            .contains(&"ann@example.com accepted your invitation".to_owned())
    );

    // The owner edits Ann's access, then deletes it: Ann hears of both.
    let id = app.scalar("SELECT id FROM members WHERE email = 'ann@example.com'");
    edit_to_accountant(&app, id, &master).await;
    app.mails_to("ann@example.com", 2).await;
    assert!(
        subjects(&app, "ann@example.com").contains(&"Olive Owner changed your access".to_owned())
    );
    // The mail says what it was and what it is now, and when it ends.
    let changed = app
        .mails_to("ann@example.com", 2)
        .await
        .into_iter()
        .find(|mail| mail.subject() == "Olive Owner changed your access")
        .unwrap()
        .text();
    let text = changed.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        text.contains("It was: Manager on the master account."),
        "{text}"
    );
    assert!(
        text.contains("It is now: Accountant on the master account."),
        "{text}"
    );
    assert!(text.contains("It has no end date."), "{text}");

    // Ann switches edits off (an access-only login has no owner's boxes): the next edit is silent.
    let (_, html) = ann.get_html("/account").await;
    assert!(texts(&html, "label[for=notify_accepted]").is_empty());
    let saved = ann
        .submit(
            "/account",
            "/account/notifications",
            &[("notify_access_removed", "on")],
        )
        .await;
    assert_eq!(location(&saved), "/account#notifications");
    assert_eq!(
        app.scalar(
            "SELECT count(*) FROM people WHERE email = 'ann@example.com' \
             AND NOT notify_access_changed AND notify_access_removed AND notify_accepted"
        ),
        1
    );
    let before = subjects(&app, "ann@example.com").len();
    let path = format!("/sharing/people/{id}/edit");
    let response = app
        .submit(
            &path,
            &path,
            &[
                ("account_0", &master),
                ("role_0", "manager"),
                ("action", "send"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    app.outbox_settled().await;
    assert_eq!(
        subjects(&app, "ann@example.com").len(),
        before,
        "no mail for this edit"
    );

    let (_, html) = app.get_html(&format!("/sharing/people/{id}/delete")).await;
    let token = crate::common::csrf_token(&html);
    app.post_raw(
        &format!("/sharing/people/{id}/delete"),
        &[("csrf_token", &token)],
    )
    .await;
    app.mails_to("ann@example.com", before + 1).await;
    assert!(
        subjects(&app, "ann@example.com").contains(&"Olive Owner deleted your access".to_owned())
    );

    // The owner switches acceptances off, keeps declines: Bob's acceptance is silent, Cy's
    // refusal is not.
    app.submit(
        "/account",
        "/account/notifications",
        &[
            ("notify_declined", "on"),
            ("notify_access_changed", "on"),
            ("notify_access_removed", "on"),
        ],
    )
    .await;
    let before = subjects(&app, "olive@example.com").len();
    member(&app, "bob@example.com", &fields).await;
    invite_manager(&app, "cy@example.com").await;
    let link = invitation_link(&app, "cy@example.com", 1).await;
    let cy = app.another_visitor();
    open_link(&cy, &link).await;
    cy.submit("/invitations/decline", "/invitations/decline", &[])
        .await;
    app.mails_to("olive@example.com", before + 1).await;
    app.outbox_settled().await;
    let after = subjects(&app, "olive@example.com");
    assert_eq!(after.len(), before + 1, "{after:?}");
    assert_eq!(
        after.last().unwrap(),
        "cy@example.com declined your invitation"
    );
}
