//! The audit log (SPEC S12, R34): recording, inside the transaction of each change, and reading,
//! for the owner's Activity page and a person's own records.

use std::{borrow::Cow, net::IpAddr};

use chrono::{DateTime, Utc};
use diesel::PgConnection;

use crate::{
    db::{
        self,
        audit::{Event, EventFilter, NewEvent},
        members::Member,
    },
    domain::{
        audit::{Action, GroupedStates, State},
        ids::{MasterAccountId, SubAccountId},
        webhook,
    },
    error::AppResult,
    secrets,
    services::owner::{Actor, Owner},
    state::AppState,
};

/// Whom a record is about.
pub struct Target<'a> {
    pub email: &'a str,
    pub person_id: Option<i64>,
    pub member_id: Option<i64>,
}

impl<'a> Target<'a> {
    pub fn member(member: &'a Member) -> Target<'a> {
        Target {
            email: &member.email,
            person_id: member.person_id,
            member_id: Some(member.id),
        }
    }
}

/// One record, added in the caller's transaction: the change and its record commit together.
pub fn record(
    conn: &mut PgConnection,
    master: MasterAccountId,
    actor: &Actor,
    action: Action,
    target: Option<Target>,
    before: Option<State>,
    after: Option<State>,
) -> AppResult<()> {
    let as_json = |state: Option<State>| {
        state.map(|state| serde_json::to_value(state).expect("a state is plain data"))
    };
    let event = NewEvent {
        master_account_id: master.0,
        actor_person_id: actor.person.as_ref().map(|(id, _)| id.0),
        actor_email: actor.person.as_ref().map(|(_, email)| email.as_str()),
        action: action.code(),
        target_email: target.as_ref().map(|target| target.email),
        target_person_id: target.as_ref().and_then(|target| target.person_id),
        target_member_id: target.as_ref().and_then(|target| target.member_id),
        client_ip: actor.ip.map(ipnet::IpNet::from),
        grouped_states: Some(
            serde_json::to_value(GroupedStates::of(before.as_ref(), after.as_ref(), master))
                .expect("grouped states are plain data"),
        ),
        before: as_json(before),
        after: as_json(after),
        actor_token: actor.token.as_deref(),
    };
    match webhook::event_type(action) {
        None => db::audit::insert(conn, &event)?,
        Some(event_type) => {
            let now = Utc::now();
            let message_id = format!("msg_{}", secrets::random_token());
            let payload = webhook_payload(event_type, now, master, &event);
            db::audit::insert_announced(
                conn,
                &event,
                &db::audit::Announcement {
                    event_type,
                    message_id: &message_id,
                    payload: &payload,
                },
                now,
            )?
        }
    }
    Ok(())
}

/// The body of a webhook message (S17): `{"type", "timestamp", "data"}`, the data saying which
/// account, who was concerned and who acted, and the access before and after as the audit log
/// records them.
fn webhook_payload(
    event_type: &str,
    now: DateTime<Utc>,
    master: MasterAccountId,
    event: &NewEvent,
) -> String {
    serde_json::json!({
        "type": event_type,
        "timestamp": now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        "data": {
            "account": master.0.to_string(),
            "person": {
                "id": event.target_member_id,
                "email": event.target_email,
            },
            "actor": event.actor_email,
            "actor_token": event.actor_token,
            "before": event.before,
            "after": event.after,
        }
    })
    .to_string()
}

/// One recorded event, decoded for a page.
pub struct Entry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub action: Option<Action>,
    pub actor_email: Option<String>,
    /// The personal token the change came through, when it came by the API.
    pub actor_token: Option<String>,
    pub target_email: Option<String>,
    pub client_ip: Option<IpAddr>,
    pub before: Option<State>,
    pub after: Option<State>,
    /// Both states grouped as they were recorded, for the Activity page, which then reads no
    /// state (`db::audit::page`); `None` for records written before they were.
    pub grouped: Option<GroupedStates>,
    pub master: MasterAccountId,
}

impl Entry {
    /// Both states grouped: as recorded, or from the states of a record older than that.
    pub fn grouped_states(&self) -> Cow<'_, GroupedStates> {
        match &self.grouped {
            Some(grouped) => Cow::Borrowed(grouped),
            None => Cow::Owned(GroupedStates::of(
                self.before.as_ref(),
                self.after.as_ref(),
                self.master,
            )),
        }
    }
}

impl From<Event> for Entry {
    fn from(event: Event) -> Entry {
        let state = |recorded: Option<db::audit::Recorded>| recorded.and_then(|state| state.0);
        Entry {
            id: event.id,
            at: event.occurred_at,
            action: Action::from_code(&event.action),
            actor_email: event.actor_email,
            actor_token: event.actor_token,
            target_email: event.target_email,
            client_ip: event.client_ip.map(|net| net.addr()),
            before: state(event.before),
            after: state(event.after),
            grouped: event.grouped_states.and_then(|grouped| grouped.0),
            master: MasterAccountId(event.master_account_id),
        }
    }
}

/// Records per page of the Activity page.
pub const PAGE_SIZE: u32 = 50;

/// A page of the Activity log.
pub struct ActivityPage {
    pub entries: Vec<Entry>,
    /// Whether older records follow.
    pub more: bool,
    /// The owner's sub-accounts now: to name accounts a record does not, and to tell "all".
    pub sub_accounts: Vec<(SubAccountId, String)>,
}

/// A page of the owner's records, newest first, with the sub-accounts to describe them: one
/// statement.
pub async fn activity(
    state: &AppState,
    owner: &Owner,
    filter: EventFilter,
    page: u32,
) -> AppResult<ActivityPage> {
    let master = owner.master();
    let offset = i64::from(page.saturating_sub(1)) * i64::from(PAGE_SIZE);
    let (mut events, sub_accounts) = state
        .db
        .read(move |conn| {
            Ok(db::audit::page(
                conn,
                master.0,
                &filter,
                offset,
                i64::from(PAGE_SIZE),
                true,
            )?)
        })
        .await?;
    let more = events.len() > PAGE_SIZE as usize;
    events.truncate(PAGE_SIZE as usize);
    Ok(ActivityPage {
        entries: events.into_iter().map(Entry::from).collect(),
        more,
        sub_accounts: (sub_accounts.into_iter())
            .map(|(id, name)| (SubAccountId(id), name))
            .collect(),
    })
}

/// Up to `limit` of the owner's records matching `filter`, newest first (the members API pages
/// with `filter.before_id`), and whether older ones follow: one statement.
pub async fn activity_before(
    state: &AppState,
    owner: &Owner,
    filter: EventFilter,
    limit: u32,
) -> AppResult<(Vec<Entry>, bool)> {
    let master = owner.master();
    let (mut events, _) = state
        .db
        .read(move |conn| {
            Ok(db::audit::page(
                conn,
                master.0,
                &filter,
                0,
                i64::from(limit),
                false,
            )?)
        })
        .await?;
    let more = events.len() > limit as usize;
    events.truncate(limit as usize);
    Ok((events.into_iter().map(Entry::from).collect(), more))
}

/// How many of a person's own records My account shows.
pub const OWN_RECORDS: i64 = 20;
