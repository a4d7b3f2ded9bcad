//! GET /sharing/activity — the audit log (SPEC S12, R34): who changed what, when and from where,
//! with the state before and after, newest first, filtered by person, action and dates.

use std::borrow::Cow;

use actix_web::{HttpResponse, http::StatusCode, web};
use askama::Template;
use chrono::{NaiveDate, NaiveTime};
use serde::Deserialize;

use super::Choice;
use crate::web::filters;
use crate::{
    db::audit::EventFilter,
    domain::{
        audit::{Action, GroupedState, RecordedGroup},
        ids::SubAccountId,
    },
    error::{AppError, AppResult},
    i18n::Locale,
    messages,
    services::audit::{self, ActivityPage, Entry},
    state::AppState,
    web::{current::CurrentOwner, form::FormErrors, layout::Layout, render::render_page},
};

/// The query string: every view can be bookmarked, and the filters work without JS.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActivityQuery {
    person: Option<String>,
    action: Option<String>,
    from: Option<String>,
    to: Option<String>,
    page: Option<String>,
}

/// The filter value for every refused use of a link at once.
const REFUSALS: &str = "refused";
/// Longer than any address we store: more can only be a forged request.
const MAX_PERSON_CHARS: usize = 254;
const MAX_PAGE: u32 = 1_000_000;

/// One record as the table shows it.
pub struct EventRow {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub refusal: bool,
    pub target: String,
    pub ip: String,
    /// "by API token …" when the change came through a personal token.
    pub via: String,
    pub before: Vec<String>,
    pub after: Vec<String>,
}

#[derive(Template)]
#[template(path = "sharing/activity.html")]
struct ActivityTemplate<'a> {
    layout: &'a Layout,
    errors: FormErrors,
    person: String,
    from: String,
    to: String,
    actions: Vec<Choice>,
    filtered: bool,
    /// `None` when a filter must be corrected first.
    events: Option<Vec<EventRow>>,
    page: u32,
    newer: Option<String>,
    older: Option<String>,
}

fn nonempty(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// The filter the query asks for. A forged value (an unknown action, a page beyond any list) is
/// refused outright; a date a person typed wrongly is said next to its field.
fn filter_from(
    l: Locale,
    query: &ActivityQuery,
    errors: &mut FormErrors,
) -> AppResult<EventFilter> {
    let person = nonempty(&query.person).map(str::to_lowercase);
    if person
        .as_ref()
        .is_some_and(|p| p.chars().count() > MAX_PERSON_CHARS)
    {
        return Err(AppError::BadRequest(messages::SEARCH_TOO_LONG));
    }
    let actions = match nonempty(&query.action) {
        None => None,
        Some(REFUSALS) => Some(
            Action::ALL
                .into_iter()
                .filter(|action| action.is_refusal())
                .map(Action::code)
                .collect(),
        ),
        Some(code) => Some(vec![
            Action::from_code(code)
                .ok_or(AppError::BadRequest(messages::UNKNOWN_FILTER))?
                .code(),
        ]),
    };
    let mut day = |field: &str, value: &Option<String>| {
        let value = nonempty(value)?;
        let parsed = NaiveDate::parse_from_str(value, "%Y-%m-%d");
        errors.check(field, parsed, |_| l.t(messages::DATE_FORMAT))
    };
    let from = day("from", &query.from);
    let to = day("to", &query.to);
    if let (Some(from), Some(to)) = (from, to)
        && to < from
    {
        errors.add("to", l.t(messages::DATES_REVERSED));
    }
    let midnight = |date: NaiveDate| date.and_time(NaiveTime::MIN).and_utc();
    Ok(EventFilter {
        person,
        actions,
        from: from.map(midnight),
        // "To" includes the whole day.
        until: to.and_then(|to| to.succ_opt()).map(midnight),
        before_id: None,
    })
}

fn page_from(query: &ActivityQuery) -> AppResult<u32> {
    match nonempty(&query.page) {
        None => Ok(1),
        Some(page) => page
            .parse::<u32>()
            .ok()
            .filter(|page| (1..=MAX_PAGE).contains(page))
            .ok_or(AppError::BadRequest(messages::NO_SUCH_PAGE)),
    }
}

/// The address of another page of the same view.
fn page_link(query: &ActivityQuery, page: u32) -> String {
    let mut link = form_urlencoded::Serializer::new(String::new());
    for (name, value) in [
        ("person", &query.person),
        ("action", &query.action),
        ("from", &query.from),
        ("to", &query.to),
    ] {
        if let Some(value) = nonempty(value) {
            link.append_pair(name, value);
        }
    }
    if page > 1 {
        link.append_pair("page", &page.to_string());
    }
    let link = link.finish();
    if link.is_empty() {
        "/sharing/activity".to_owned()
    } else {
        format!("/sharing/activity?{link}")
    }
}

/// A recorded state in words: one line per group of identical accesses, or the plan.
fn state_in_words(
    l: Locale,
    state: Option<&GroupedState>,
    sub_accounts: &[(SubAccountId, String)],
) -> Vec<String> {
    match state {
        None => Vec::new(),
        Some(GroupedState::Plan(code)) => {
            let plan = crate::domain::plan::Plan::from_code(code)
                .map_or_else(|| code.clone(), |plan| messages::plan_name(l, plan));
            vec![l.tr1("activity-plan", "plan", plan)]
        }
        Some(GroupedState::Owner(email)) => {
            vec![l.tr1("activity-owner", "email", email.as_str())]
        }
        Some(GroupedState::TwoFactorRequired(required)) => vec![l.t(if *required {
            "activity-two-factor-required"
        } else {
            "activity-two-factor-optional"
        })],
        Some(access @ GroupedState::Access { groups, until }) => {
            let groups: Vec<_> = groups
                .iter()
                .filter_map(RecordedGroup::access_group)
                .collect();
            if groups.is_empty() {
                return vec![l.t("activity-no-access")];
            }
            // Borrowed, not copied: the page describes some 4,000 recorded accounts.
            let recorded = access.sub_account_names();
            let name = |sub: SubAccountId| -> Cow<'_, str> {
                match recorded.binary_search_by_key(&sub, |(id, _)| *id) {
                    Ok(found) => Cow::Borrowed(recorded[found].1),
                    Err(_) => sub_accounts
                        .iter()
                        .find(|(id, _)| *id == sub)
                        .map_or_else(|| Cow::Owned(sub.to_string()), |(_, name)| name.into()),
                }
            };
            let until = until.map(|day| l.tr1("activity-until", "date", l.day(day)));
            messages::describe_groups(l, &groups, name, sub_accounts.len())
                .into_iter()
                .map(|access| {
                    let mut line = format!("{} {}", access.access, access.scope);
                    if !access.restrictions.is_empty() {
                        line.push_str(" — ");
                        line.push_str(&l.tr1(
                            "share-restricted",
                            "restrictions",
                            access.restrictions.join("; "),
                        ));
                    }
                    line
                })
                .chain(until)
                .collect()
        }
    }
}

pub fn event_row(l: Locale, entry: &Entry, sub_accounts: &[(SubAccountId, String)]) -> EventRow {
    let grouped = entry.grouped_states();
    let actor = match (&entry.actor_email, entry.action) {
        (Some(email), _) => email.clone(),
        (None, Some(Action::AccessExpired)) => l.t("activity-by-service"),
        (None, _) => l.t("activity-by-link"),
    };
    EventRow {
        at: l.date_time(entry.at),
        actor,
        action: entry
            .action
            .map_or_else(String::new, |action| messages::action_name(l, action)),
        refusal: entry.action.is_some_and(Action::is_refusal),
        target: entry.target_email.clone().unwrap_or_default(),
        ip: entry.client_ip.map(|ip| ip.to_string()).unwrap_or_default(),
        via: entry
            .actor_token
            .as_deref()
            .map_or_else(String::new, |token| {
                l.tr1("activity-via-token", "token", token)
            }),
        before: state_in_words(l, grouped.before.as_ref(), sub_accounts),
        after: state_in_words(l, grouped.after.as_ref(), sub_accounts),
    }
}

fn action_choices(l: Locale, chosen: Option<&str>) -> Vec<Choice> {
    let refusals = Choice {
        value: REFUSALS,
        label: l.t("activity-any-refusal"),
        selected: chosen == Some(REFUSALS),
    };
    Action::ALL
        .into_iter()
        .map(|action| Choice {
            value: action.code(),
            label: messages::action_name(l, action),
            selected: chosen == Some(action.code()),
        })
        .chain(std::iter::once(refusals))
        .collect()
}

pub async fn index(
    state: web::Data<AppState>,
    CurrentOwner(owner): CurrentOwner,
    layout: Layout,
    query: web::Query<ActivityQuery>,
) -> AppResult<HttpResponse> {
    let mut errors = FormErrors::default();
    let filter = filter_from(layout.locale, &query, &mut errors)?;
    let page = page_from(&query)?;
    let filtered = filter != EventFilter::default();
    if !errors.is_empty() {
        let template = activity_page(&layout, &query, page, filtered, errors, None);
        return Ok(render_page(StatusCode::BAD_REQUEST, &template));
    }
    let read = audit::activity(&state, &owner, filter, page).await?;
    let template = activity_page(&layout, &query, page, filtered, errors, Some(&read));
    Ok(render_page(StatusCode::OK, &template))
}

/// The page, from the records read (`None` when a filter must be corrected first).
fn activity_page<'a>(
    layout: &'a Layout,
    query: &ActivityQuery,
    page: u32,
    filtered: bool,
    errors: FormErrors,
    read: Option<&ActivityPage>,
) -> ActivityTemplate<'a> {
    let l = layout.locale;
    let text = |value: &Option<String>| value.clone().unwrap_or_default();
    let more = read.is_some_and(|read| read.more);
    ActivityTemplate {
        actions: action_choices(l, nonempty(&query.action)),
        person: text(&query.person),
        from: text(&query.from),
        to: text(&query.to),
        filtered,
        events: read.map(|read| {
            (read.entries.iter())
                .map(|entry| event_row(l, entry, &read.sub_accounts))
                .collect()
        }),
        page,
        newer: (page > 1).then(|| page_link(query, page - 1)),
        older: more.then(|| page_link(query, page + 1)),
        errors,
        layout,
    }
}

/// The first page of every record, unfiltered, from records already read: what the handler does
/// after its statement, for the render floor (`examples/render_floor.rs`).
pub fn render_activity_page(layout: &Layout, read: &ActivityPage) -> askama::Result<String> {
    let query = ActivityQuery::default();
    let template = activity_page(layout, &query, 1, false, FormErrors::default(), Some(read));
    crate::web::render::render_sized(&template)
}
