//! The members API (INTEGRATION.md S17): what an owner does on the sharing pages, by script,
//! with a personal access token (S16). Every call goes through the same service functions as
//! the pages (`services::sharing`, `services::audit`): the same quotas under the account's lock,
//! the verified sender, rate limits, audit records and mail. Only the shapes are the API's own:
//! strict JSON in, JSON out, RFC 9457 problems worded in the token owner's language.

use actix_web::{HttpRequest, HttpResponse, http::StatusCode, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Deserializer, Serialize, de::DeserializeOwned};
use sha2::{Digest, Sha256};
use utoipa::{IntoParams, ToSchema};

use super::api::{bearer_text, body, is_json, truncated, truncated_error};
use crate::{
    db::{self, personal_tokens::Claim},
    domain::{
        access_draft::{AccessDraft, DraftRow, Problem as DraftProblem},
        access_end::parse_end_date,
        api_scope::{Scope, scopes_of},
        audit::{Action, State},
        email::EmailAddress,
        ids::{AccountRef, MemberId},
        invitation::AccessStatus,
        permission::{Area, AreaSet, Restriction, RestrictionSet},
        quota::QuotaError,
        role::Role,
    },
    error::AppError,
    i18n::Locale,
    messages,
    services::{
        audit::{self, Entry},
        limits::{self, Limited},
        owner::Owner,
        personal_tokens,
        sharing::{
            self, BatchOutcome, Decision, FormCommand, ListProblem, MemberView, PeopleFilter,
            PersonKey, Refusal, StatusFilter,
        },
    },
    state::AppState,
    web::{
        client_ip::ClientIp,
        problem::{FieldError, Problem},
    },
};

/// People per page when `limit` is not given, and the most a page holds (S17).
const DEFAULT_LIMIT: u32 = 50;
const MAX_LIMIT: u32 = 100;
/// An answer kept under an `Idempotency-Key` whose request died with its process is taken over
/// after this long.
const ABANDONED_AFTER: chrono::Duration = chrono::Duration::minutes(2);

// ---------------------------------------------------------------------------------------------
// The shapes (S17)

/// One access: a master account (`"42"`) or one of its sub-accounts (`"42/7"`) with a role.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccessJson {
    /// `"42"` for the master account, `"42/7"` for its sub-account 7.
    #[schema(example = "42")]
    pub account: String,
    /// `manager`, `accountant`, `developer`, `marketer`, `designer` or `custom`.
    #[schema(example = "marketer")]
    pub role: String,
    /// Custom only: the areas it opens (docs/permissions.md).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub areas: Option<Vec<String>>,
    /// Advanced roles only: `drafts_only`, `no_labels`, `no_section_locking`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restrictions: Option<Vec<String>>,
}

/// A person with access to the account.
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonJson {
    /// The access's id: the `{id}` of `/people/{id}`.
    pub id: i64,
    pub email: String,
    /// Their login's name, once they accepted.
    pub name: Option<String>,
    /// `pending`, `active` or `expired` (the invitation link ran out).
    #[schema(example = "pending")]
    pub status: &'static str,
    pub accesses: Vec<AccessJson>,
    /// The last day of the access, when it ends.
    pub ends_on: Option<NaiveDate>,
    pub last_sign_in: Option<DateTime<Utc>>,
    /// Their last request inside this account, to within five minutes.
    pub last_activity: Option<DateTime<Utc>>,
    pub invited_at: DateTime<Utc>,
    /// Until when the invitation link works, while it is not accepted.
    pub invitation_expires_at: Option<DateTime<Utc>>,
    /// Whether their login has a second factor turned on (false before they have a login).
    pub two_factor: bool,
}

/// A page of people.
#[derive(Debug, Serialize, ToSchema)]
pub struct PeopleListJson {
    pub people: Vec<PersonJson>,
    /// The `after` of the next page; `null` on the last.
    pub next: Option<String>,
}

/// `POST /people`: one invitation.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InvitationJson {
    #[schema(example = "ada@example.com")]
    pub email: String,
    pub accesses: Vec<AccessJson>,
    /// The access's last day; absent or `null` when it does not end.
    #[serde(default)]
    pub ends_on: Option<String>,
}

/// `POST /people/batch`: up to 50 addresses invited with the same accesses.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BatchJson {
    pub emails: Vec<String>,
    pub accesses: Vec<AccessJson>,
    #[serde(default)]
    pub ends_on: Option<String>,
}

/// What became of one address of a batch.
#[derive(Debug, Serialize, ToSchema)]
pub struct BatchResultJson {
    pub email: String,
    /// `invited`, `refused`, `invalid` or `listed_twice`.
    pub outcome: &'static str,
    /// Why, when it was not invited.
    pub detail: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BatchAnswerJson {
    pub results: Vec<BatchResultJson>,
}

/// `PATCH /people/{id}`: what to change; what is left out stays as it is.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EditJson {
    #[serde(default)]
    pub accesses: Option<Vec<AccessJson>>,
    /// A date, or `null` for an access that does not end.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub ends_on: Option<Option<String>>,
}

/// A field that may be absent (keep) or `null` (clear).
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

/// One record of the activity log.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventJson {
    pub id: i64,
    pub at: DateTime<Utc>,
    /// `invitation_sent`, `access_edited`, `access_deleted`, … (docs/api.md lists them).
    pub action: Option<&'static str>,
    pub actor: Option<String>,
    /// The personal token the change came through.
    pub actor_token: Option<String>,
    pub target: Option<String>,
    pub ip: Option<String>,
    #[schema(value_type = Option<Object>)]
    pub before: Option<State>,
    #[schema(value_type = Option<Object>)]
    pub after: Option<State>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ActivityJson {
    pub events: Vec<EventJson>,
    /// The `after` of the next (older) page; `null` on the last.
    pub next: Option<String>,
}

/// The list's query string.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PeopleQuery {
    /// The `next` of the previous page.
    after: Option<String>,
    /// 1 to 100; 50 when left out.
    limit: Option<String>,
    /// Part of the address or the name.
    q: Option<String>,
    /// `pending`, `active` or `expired`.
    status: Option<String>,
    /// Someone holding this role on at least one account.
    role: Option<String>,
}

/// The activity log's query string.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ActivityQuery {
    /// The `next` of the previous page.
    after: Option<String>,
    /// 1 to 100; 50 when left out.
    limit: Option<String>,
    /// Records about, or made by, someone whose address or name holds this text.
    person: Option<String>,
    /// One action code.
    action: Option<String>,
    /// The first day, `YYYY-MM-DD`.
    from: Option<String>,
    /// The last day, `YYYY-MM-DD`.
    to: Option<String>,
}

// ---------------------------------------------------------------------------------------------
// Who is calling

/// A caller the token lets in: the owner it acts as, in their language.
struct Caller {
    owner: Owner,
    token_id: i64,
    l: Locale,
}

/// The token's holder, if it may act on `account` with `scope`: 401 without a live token,
/// 404 for an account not the token's (another owner's is not revealed), 403 for a person who
/// may not manage its sharing or a token without the scope.
async fn caller(
    req: &HttpRequest,
    state: &AppState,
    account: &str,
    scope: Scope,
) -> Result<Caller, Problem> {
    let unauthorized = || {
        Problem::unauthorized(
            "Send a personal access token as Authorization: Bearer asp_… (made in My account → API tokens).",
        )
    };
    let hash = bearer_text(req.headers())
        .and_then(personal_tokens::hash_of_presented)
        .ok_or_else(unauthorized)?;
    let ip = ClientIp::of(req).0;
    let holder = personal_tokens::holder(state, hash, Some(ip))
        .await
        .map_err(problem_of)?
        .ok_or_else(|| {
            Problem::unauthorized(
                "This token is unknown, revoked or expired, or its person's access to the account has ended.",
            )
        })?;
    let l = holder
        .person
        .locale
        .as_deref()
        .and_then(Locale::from_code)
        .unwrap_or(Locale::En);
    if AccountRef::parse_master_code(account).map(|master| master.0)
        != Some(holder.token.master_account_id)
    {
        return Err(Problem::not_found(l.t("api-no-such-account")));
    }
    if !holder.owns {
        return Err(Problem::forbidden(l.t("api-not-the-owner")));
    }
    if !scopes_of(&holder.token.scopes).contains(&scope) {
        return Err(Problem::forbidden(l.tr1(
            "api-scope-missing",
            "scope",
            scope.code(),
        )));
    }
    let token_label = format!("{} ({})", holder.token.name, holder.token.hint);
    Ok(Caller {
        owner: Owner {
            token: Some(token_label),
            ..Owner::of(holder.person, holder.account, l, Some(ip))
        },
        token_id: holder.token.id,
        l,
    })
}

/// A change through the token counts against its hourly allowance (`RATE_API_WRITES_PER_TOKEN`).
async fn count_write(state: &AppState, caller: &Caller) -> Result<(), Problem> {
    limits::count_all(
        state,
        vec![(Limited::ApiWritesPerToken, caller.token_id.to_string())],
    )
    .await
    .map_err(|e| problem_in(caller.l, e))
}

// ---------------------------------------------------------------------------------------------
// Errors

/// The service's own failure, logged, answered as a problem document.
fn problem_of(error: AppError) -> Problem {
    problem_in(Locale::En, error)
}

/// An error of a use case, as a problem document in the caller's language.
fn problem_in(l: Locale, error: AppError) -> Problem {
    match error {
        AppError::NotFound => Problem::not_found(l.t("api-no-such-person")),
        AppError::Forbidden => Problem::forbidden(l.t("api-not-the-owner")),
        AppError::AddressNotVerified => Problem::forbidden(l.t("api-verify-first")),
        AppError::TooManyRequests { retry_after, limit } => {
            Problem::too_many(l.t("api-too-many"), retry_after, limit)
        }
        AppError::BadRequest(_) | AppError::BadAddress => {
            Problem::bad_request(l.t("api-bad-request"))
        }
        AppError::Unavailable(_) | AppError::Busy => Problem::unavailable(),
        other => {
            tracing::error!(error = %other, "a members API call failed");
            Problem::unavailable()
        }
    }
}

fn field(pointer: impl Into<String>, detail: impl Into<String>) -> FieldError {
    FieldError {
        pointer: pointer.into(),
        detail: detail.into(),
    }
}

fn invalid(l: Locale, errors: Vec<FieldError>) -> Problem {
    Problem::invalid(l.t("api-invalid"), errors)
}

/// The body as `T`: JSON, within the size limit, no unknown field, no key twice.
async fn json_body<T: DeserializeOwned>(
    req: &HttpRequest,
    payload: web::Payload,
    l: Locale,
) -> Result<(T, Vec<u8>), Problem> {
    if !is_json(req.headers()) {
        return Err(Problem::unsupported_media_type());
    }
    let bytes = body(req, payload).await?;
    // Every body is an object: serde would also read a struct from an array of its fields.
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err(Problem::bad_request(l.t("api-not-an-object")));
    }
    let parsed = serde_json::from_slice(&bytes)
        .map_err(|e| Problem::bad_request(l.tr1("api-bad-json", "error", truncated_error(&e))))?;
    Ok((parsed, bytes))
}

/// The query string as `T`: every parameter known, each once.
fn query<T: DeserializeOwned + Default>(req: &HttpRequest, l: Locale) -> Result<T, Problem> {
    let text = req.query_string();
    if text.is_empty() {
        return Ok(T::default());
    }
    let mut seen = std::collections::HashSet::new();
    for (key, _) in form_urlencoded::parse(text.as_bytes()) {
        if !seen.insert(key.into_owned()) {
            return Err(Problem::bad_request(l.t("api-bad-query")));
        }
    }
    serde_urlencoded::from_str(text).map_err(|_| Problem::bad_request(l.t("api-bad-query")))
}

fn limit_of(typed: Option<&str>, l: Locale, errors: &mut Vec<FieldError>) -> u32 {
    match typed.map(str::parse::<u32>) {
        None => DEFAULT_LIMIT,
        Some(Ok(limit)) if (1..=MAX_LIMIT).contains(&limit) => limit,
        Some(_) => {
            errors.push(field("limit", l.tr1("api-limit", "max", MAX_LIMIT)));
            DEFAULT_LIMIT
        }
    }
}

fn cursor_of(typed: Option<&str>, l: Locale, errors: &mut Vec<FieldError>) -> Option<i64> {
    let typed = typed?;
    match typed.parse::<i64>() {
        Ok(id) if id > 0 => Some(id),
        _ => {
            errors.push(field("after", l.t("api-cursor")));
            None
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Accesses in and out

fn access_json(access: AccountRef, grant: &crate::domain::role::Grant) -> AccessJson {
    AccessJson {
        account: access.platform_code(),
        role: grant.role.code().to_owned(),
        areas: (grant.role == Role::Custom)
            .then(|| grant.areas.iter().map(|a| a.code().to_owned()).collect()),
        restrictions: (!grant.restrictions.is_empty()).then(|| {
            grant
                .restrictions
                .iter()
                .map(|r| r.code().to_owned())
                .collect()
        }),
    }
}

fn person_json(view: MemberView) -> PersonJson {
    PersonJson {
        id: view.member.id,
        status: match view.status {
            AccessStatus::Active => "active",
            AccessStatus::Pending => "pending",
            AccessStatus::Expired => "expired",
        },
        accesses: view
            .grants
            .iter()
            .map(|(account, grant)| access_json(*account, grant))
            .collect(),
        ends_on: view.member.access_ends_on,
        last_sign_in: view.last_sign_in_at,
        last_activity: view.member.last_activity_at,
        invited_at: view.member.created_at,
        invitation_expires_at: view
            .member
            .accepted_at
            .is_none()
            .then_some(view.member.invitation_expires_at),
        name: view.name,
        two_factor: view.two_factor,
        email: view.member.email,
    }
}

/// The accesses asked for, as the form's draft: the master account first, as the form has it.
/// Returns the draft and, for each of its rows, the index of the access it came from.
fn draft_of(
    owner: &Owner,
    accesses: &[AccessJson],
    l: Locale,
    errors: &mut Vec<FieldError>,
) -> (AccessDraft, Vec<usize>) {
    let master = owner.master();
    let mut rows: Vec<(usize, DraftRow)> = Vec::new();
    if accesses.is_empty() {
        errors.push(field("/accesses", l.t(messages::ADD_AN_ACCOUNT)));
    }
    for (i, access) in accesses.iter().enumerate() {
        let at = |name: &str| format!("/accesses/{i}/{name}");
        let account = AccountRef::parse_platform_code(&access.account)
            .filter(|account| account.master == master);
        let Some(account) = account else {
            errors.push(field(
                at("account"),
                l.tr1(
                    "api-not-your-account",
                    "account",
                    truncated(&access.account),
                ),
            ));
            continue;
        };
        if rows.iter().any(|(_, row)| row.account == account) {
            errors.push(field(at("account"), l.t("api-account-twice")));
            continue;
        }
        let Some(role) = Role::from_code(&access.role) else {
            errors.push(field(
                at("role"),
                l.tr1("api-unknown-role", "role", truncated(&access.role)),
            ));
            continue;
        };
        let mut areas = AreaSet::EMPTY;
        match (&access.areas, role) {
            (Some(codes), Role::Custom) => {
                for (j, code) in codes.iter().enumerate() {
                    match Area::from_code(code).filter(|area| area.exists_on(account.kind())) {
                        Some(area) => areas = areas.with(area),
                        None => errors.push(field(
                            format!("/accesses/{i}/areas/{j}"),
                            l.tr1("api-unknown-area", "area", truncated(code)),
                        )),
                    }
                }
            }
            (Some(_), _) => errors.push(field(at("areas"), l.t("api-areas-for-custom"))),
            (None, _) => {}
        }
        let mut restrictions = RestrictionSet::NONE;
        if let Some(codes) = &access.restrictions {
            if !role.allows_restrictions() {
                errors.push(field(
                    at("restrictions"),
                    l.t("api-restrictions-for-advanced"),
                ));
            }
            for (j, code) in codes.iter().enumerate() {
                match Restriction::from_code(code) {
                    Some(restriction) => restrictions = restrictions.with(restriction),
                    None => errors.push(field(
                        format!("/accesses/{i}/restrictions/{j}"),
                        l.tr1("api-unknown-restriction", "restriction", truncated(code)),
                    )),
                }
            }
        }
        if role != Role::Custom && role.areas_on(account.kind()).is_empty() {
            errors.push(field(
                at("role"),
                messages::role_empty_on(l, role, &account.platform_code()),
            ));
            continue;
        }
        rows.push((
            i,
            DraftRow {
                role: Some(role),
                areas,
                restrictions,
                ..DraftRow::new(account)
            },
        ));
    }
    // The master account's row first; sub-accounts in the order given.
    rows.sort_by_key(|(_, row)| !row.account.is_master());
    let (origins, rows) = rows.into_iter().unzip();
    (
        AccessDraft {
            rows,
            copy_to_all_below: false,
        },
        origins,
    )
}

fn ends_on(
    typed: Option<&str>,
    today: NaiveDate,
    l: Locale,
    errors: &mut Vec<FieldError>,
) -> Option<NaiveDate> {
    match parse_end_date(typed.unwrap_or(""), today) {
        Ok(date) => date,
        Err(error) => {
            errors.push(field("/ends_on", messages::end_date_error(l, error)));
            None
        }
    }
}

fn email_of(
    typed: &str,
    pointer: &str,
    l: Locale,
    errors: &mut Vec<FieldError>,
) -> Option<EmailAddress> {
    match EmailAddress::parse(typed) {
        Ok(email) => Some(email),
        Err(error) => {
            errors.push(field(pointer, messages::email_error(l, error)));
            None
        }
    }
}

/// The draft's problems, each at the access it concerns.
fn draft_problems(
    l: Locale,
    problems: &[DraftProblem],
    draft: &AccessDraft,
    origins: &[usize],
) -> Vec<FieldError> {
    let at =
        |i: usize, name: &str| format!("/accesses/{}/{name}", origins.get(i).copied().unwrap_or(i));
    let label = |i: usize| {
        draft
            .rows
            .get(i)
            .map(|row| row.account.platform_code())
            .unwrap_or_default()
    };
    problems
        .iter()
        .map(|problem| match *problem {
            DraftProblem::NoRole(i) => {
                field(at(i, "role"), messages::select_role_for(l, &label(i)))
            }
            DraftProblem::NoArea(i) => {
                field(at(i, "areas"), messages::select_areas_for(l, &label(i)))
            }
            DraftProblem::RoleNotHere(i, role) => {
                field(at(i, "role"), messages::role_empty_on(l, role, &label(i)))
            }
            _ => field("/accesses", l.t(messages::ADD_AN_ACCOUNT)),
        })
        .collect()
}

/// A refusal of the service, at the field it concerns.
fn refusal_problem(
    l: Locale,
    refusal: Refusal,
    email: &str,
    draft: &AccessDraft,
    origins: &[usize],
) -> Problem {
    let row_with = |wanted: &dyn Fn(Role) -> bool| {
        let i = draft
            .rows
            .iter()
            .position(|row| row.role.is_some_and(wanted))
            .unwrap_or(0);
        format!("/accesses/{}/role", origins.get(i).copied().unwrap_or(i))
    };
    let error = match refusal {
        Refusal::OwnAddress => field("/email", l.t(messages::INVITING_YOURSELF)),
        Refusal::AlreadyHasAccess => {
            return Problem::conflict(messages::already_has_access(l, email));
        }
        Refusal::Quota(refusal @ (QuotaError::NoSharingOnPlan | QuotaError::SeatsFull { .. })) => {
            field("/email", messages::quota_refusal(l, refusal))
        }
        Refusal::Quota(refusal @ QuotaError::RoleNeedsAdvancedPlan { role }) => field(
            row_with(&|r| r == role),
            messages::quota_refusal(l, refusal),
        ),
        Refusal::Quota(refusal @ QuotaError::AdvancedAccessesFull { .. }) => field(
            row_with(&Role::is_premium),
            messages::quota_refusal(l, refusal),
        ),
    };
    invalid(l, vec![error])
}

fn json(status: StatusCode, value: &impl Serialize) -> (StatusCode, String) {
    (status, serde_json::to_string(value).unwrap_or_default())
}

fn respond((status, body): (StatusCode, String)) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("application/json")
        .body(body)
}

fn member_id(id: &str, l: Locale) -> Result<MemberId, Problem> {
    // Written as the API writes ids: digits, no sign, no leading zero.
    id.parse::<i64>()
        .ok()
        .filter(|n| *n > 0 && n.to_string() == id)
        .map(MemberId)
        .ok_or_else(|| Problem::not_found(l.t("api-no-such-person")))
}

// ---------------------------------------------------------------------------------------------
// Idempotency-Key (IETF draft): the same key within 24 hours answers the first answer again

/// Runs `run` once per `Idempotency-Key`: a repeat of the same request gets the first answer
/// (with `Idempotent-Replayed: true`), the key with another request 422, a repeat while the
/// first is under way 409. Without the header, `run` simply runs.
async fn idempotent<F, Fut>(
    req: &HttpRequest,
    state: &AppState,
    caller: &Caller,
    body: &[u8],
    run: F,
) -> Result<HttpResponse, Problem>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Result<(StatusCode, String), Problem>>,
{
    let l = caller.l;
    let mut keys = req.headers().get_all("idempotency-key");
    let key = match (keys.next(), keys.next()) {
        (None, _) => return run().await.map(respond),
        (Some(value), None) => value
            .to_str()
            .ok()
            .filter(|key| !key.is_empty() && key.len() <= 255)
            .filter(|key| key.bytes().all(|b| b.is_ascii_graphic() || b == b' '))
            .ok_or_else(|| Problem::bad_request(l.t("api-idempotency-key")))?
            .to_owned(),
        (Some(_), Some(_)) => return Err(Problem::bad_request(l.t("api-idempotency-key"))),
    };
    let mut hasher = Sha256::new();
    hasher.update(req.method().as_str());
    hasher.update(b" ");
    hasher.update(req.path());
    hasher.update(b"\n");
    hasher.update(body);
    let request_hash = hasher.finalize().to_vec();
    let (token_id, now) = (caller.token_id, state.settings.clock.now());
    let claimed = {
        let (key, request_hash) = (key.clone(), request_hash.clone());
        state
            .db
            .run(move |conn| {
                Ok(db::personal_tokens::claim(
                    conn,
                    token_id,
                    &key,
                    &request_hash,
                    now,
                    ABANDONED_AFTER,
                )?)
            })
            .await
            .map_err(problem_of)?
    };
    match claimed {
        Claim::Answered {
            request_hash: first,
            status,
            body,
        } if first == request_hash => {
            let status = StatusCode::from_u16(status as u16).unwrap_or(StatusCode::OK);
            let kind = if status.is_success() {
                "application/json"
            } else {
                "application/problem+json"
            };
            Ok(HttpResponse::build(status)
                .content_type(kind)
                .insert_header(("Idempotent-Replayed", "true"))
                .body(body))
        }
        Claim::UnderWay {
            request_hash: first,
        } if first == request_hash => Err(Problem::conflict(l.t("api-idempotency-under-way"))),
        Claim::Answered { .. } | Claim::UnderWay { .. } => {
            Err(Problem::invalid(l.t("api-idempotency-reused"), Vec::new()))
        }
        Claim::Claimed => {
            let answer = run().await;
            let kept = match &answer {
                Ok((status, body)) => Some((status.as_u16(), body.clone())),
                // What the client sent wrong is answered the same way again; our own failure
                // is not kept, so a retry may succeed.
                Err(problem) if problem.status() < 500 && problem.status() != 429 => Some((
                    problem.status(),
                    serde_json::to_string(problem).unwrap_or_default(),
                )),
                Err(_) => None,
            };
            let key_for_db = key.clone();
            let stored = state
                .db
                .run(move |conn| {
                    match kept {
                        Some((status, body)) => db::personal_tokens::answer(
                            conn,
                            token_id,
                            &key_for_db,
                            i32::from(status),
                            &body,
                        )?,
                        None => db::personal_tokens::release(conn, token_id, &key_for_db)?,
                    }
                    Ok(())
                })
                .await;
            if let Err(e) = stored {
                tracing::error!(error = %e, "an idempotent answer could not be kept");
            }
            answer.map(respond)
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The routes

/// List the people with access.
#[utoipa::path(get, path = "/api/v1/accounts/{account}/people", tag = "people",
    params(("account" = String, Path, description = "The master account, as `42`"), PeopleQuery),
    responses((status = 200, body = PeopleListJson), (status = 401), (status = 403), (status = 404), (status = 422)),
    security(("personal_token" = ["people:read"])))]
pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, Problem> {
    let caller = caller(&req, &state, &path, Scope::PeopleRead).await?;
    let l = caller.l;
    let asked: PeopleQuery = query(&req, l)?;
    let mut errors = Vec::new();
    let limit = limit_of(asked.limit.as_deref(), l, &mut errors);
    let after = cursor_of(asked.after.as_deref(), l, &mut errors);
    let status = match asked.status.as_deref() {
        None => None,
        Some("active") => Some(StatusFilter::Member(AccessStatus::Active)),
        Some("pending") => Some(StatusFilter::Member(AccessStatus::Pending)),
        Some("expired") => Some(StatusFilter::Member(AccessStatus::Expired)),
        Some(_) => {
            errors.push(field("status", l.t("api-status")));
            None
        }
    };
    let role = match asked.role.as_deref() {
        None => None,
        Some(code) => {
            let role = Role::from_code(code);
            if role.is_none() {
                errors.push(field(
                    "role",
                    l.tr1("api-unknown-role", "role", truncated(code)),
                ));
            }
            role
        }
    };
    let search = asked
        .q
        .map(|q| q.trim().to_owned())
        .filter(|q| !q.is_empty());
    if search.as_ref().is_some_and(|q| q.chars().count() > 200) {
        errors.push(field("q", l.t("api-search-too-long")));
    }
    if !errors.is_empty() {
        return Err(invalid(l, errors));
    }
    let filter = PeopleFilter {
        search,
        status,
        role,
        ..PeopleFilter::default()
    };
    let page = sharing::people_after(&state, &caller.owner, filter, after.map(MemberId), limit)
        .await
        .map_err(|e| problem_in(l, e))?;
    Ok(respond(json(
        StatusCode::OK,
        &PeopleListJson {
            people: page.members.into_iter().map(person_json).collect(),
            next: page.next.map(|id| id.0.to_string()),
        },
    )))
}

/// Invite one person.
#[utoipa::path(post, path = "/api/v1/accounts/{account}/people", tag = "people",
    params(("account" = String, Path, description = "The master account, as `42`"),
        ("Idempotency-Key" = Option<String>, Header, description = "The same key within 24 hours answers the first answer again")),
    request_body = InvitationJson,
    responses((status = 201, body = PersonJson), (status = 401), (status = 403), (status = 404), (status = 409), (status = 422), (status = 429)),
    security(("personal_token" = ["people:write"])))]
pub async fn invite(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, Problem> {
    let caller = caller(&req, &state, &path, Scope::PeopleWrite).await?;
    let (asked, bytes): (InvitationJson, _) = json_body(&req, payload, caller.l).await?;
    idempotent(&req, &state, &caller, &bytes, || {
        invite_now(&state, &caller, asked)
    })
    .await
}

async fn invite_now(
    state: &AppState,
    caller: &Caller,
    asked: InvitationJson,
) -> Result<(StatusCode, String), Problem> {
    let (l, owner) = (caller.l, &caller.owner);
    let mut errors = Vec::new();
    let email = email_of(&asked.email, "/email", l, &mut errors);
    let today = state.settings.clock.now().date_naive();
    let ends_on = ends_on(asked.ends_on.as_deref(), today, l, &mut errors);
    let (draft, origins) = draft_of(owner, &asked.accesses, l, &mut errors);
    let (Some(email), true) = (email, errors.is_empty()) else {
        return Err(invalid(l, errors));
    };
    count_write(state, caller).await?;
    let submission = sharing::submit_invitation(
        state,
        owner,
        Some(email.clone()),
        ends_on,
        FormCommand::from_api(draft.clone()),
    )
    .await
    .map_err(|e| problem_in(l, e))?;
    match submission.decision {
        Decision::Done => {
            let person =
                sharing::person(state, owner, PersonKey::Address(email.as_str().to_owned()))
                    .await
                    .map_err(|e| problem_in(l, e))?;
            Ok(json(StatusCode::CREATED, &person_json(person)))
        }
        Decision::Refused(refusal) => Err(refusal_problem(
            l,
            refusal,
            email.as_str(),
            &draft,
            &origins,
        )),
        Decision::Shown | Decision::CheckFirst(_) => Err(invalid(
            l,
            draft_problems(l, &submission.problems, &draft, &origins),
        )),
    }
}

/// Invite up to 50 people with the same accesses.
#[utoipa::path(post, path = "/api/v1/accounts/{account}/people/batch", tag = "people",
    params(("account" = String, Path, description = "The master account, as `42`"),
        ("Idempotency-Key" = Option<String>, Header, description = "The same key within 24 hours answers the first answer again")),
    request_body = BatchJson,
    responses((status = 200, body = BatchAnswerJson), (status = 401), (status = 403), (status = 404), (status = 422), (status = 429)),
    security(("personal_token" = ["people:write"])))]
pub async fn batch(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, Problem> {
    let caller = caller(&req, &state, &path, Scope::PeopleWrite).await?;
    let (asked, bytes): (BatchJson, _) = json_body(&req, payload, caller.l).await?;
    idempotent(&req, &state, &caller, &bytes, || {
        batch_now(&state, &caller, asked)
    })
    .await
}

async fn batch_now(
    state: &AppState,
    caller: &Caller,
    asked: BatchJson,
) -> Result<(StatusCode, String), Problem> {
    let (l, owner) = (caller.l, &caller.owner);
    let mut errors = Vec::new();
    let today = state.settings.clock.now().date_naive();
    let ends_on = ends_on(asked.ends_on.as_deref(), today, l, &mut errors);
    let (draft, origins) = draft_of(owner, &asked.accesses, l, &mut errors);
    if !errors.is_empty() {
        return Err(invalid(l, errors));
    }
    count_write(state, caller).await?;
    let addresses = asked
        .emails
        .into_iter()
        .map(|typed| {
            let parsed = EmailAddress::parse(&typed);
            (typed, parsed)
        })
        .collect();
    let submitted = sharing::submit_batch(
        state,
        owner,
        addresses,
        ends_on,
        FormCommand::from_api(draft.clone()),
    )
    .await
    .map_err(|e| problem_in(l, e))?;
    match submitted.list_problem {
        Some(ListProblem::NoAddress) => {
            return Err(invalid(l, vec![field("/emails", l.t("batch-no-address"))]));
        }
        Some(ListProblem::TooMany { count }) => {
            return Err(invalid(
                l,
                vec![field(
                    "/emails",
                    l.tr2(
                        "batch-too-many",
                        "max",
                        crate::domain::invitation::MAX_ADDRESSES_AT_ONCE,
                        "count",
                        count,
                    ),
                )],
            ));
        }
        None => {}
    }
    if let Decision::Shown = submitted.submission.decision {
        return Err(invalid(
            l,
            draft_problems(l, &submitted.submission.problems, &draft, &origins),
        ));
    }
    if let Decision::Refused(refusal) = submitted.submission.decision {
        return Err(refusal_problem(l, refusal, "", &draft, &origins));
    }
    let results = submitted
        .outcomes
        .into_iter()
        .map(|(email, outcome)| {
            let (outcome, detail) = match outcome {
                BatchOutcome::Invited => ("invited", None),
                BatchOutcome::Refused(Refusal::OwnAddress) => {
                    ("refused", Some(l.t("batch-own-address")))
                }
                BatchOutcome::Refused(Refusal::AlreadyHasAccess) => {
                    ("refused", Some(l.t("batch-already-has-access")))
                }
                BatchOutcome::Refused(Refusal::Quota(refusal)) => {
                    ("refused", Some(messages::quota_refusal(l, refusal)))
                }
                BatchOutcome::Invalid(error) => ("invalid", Some(messages::email_error(l, error))),
                BatchOutcome::ListedTwice => ("listed_twice", Some(l.t("batch-listed-twice"))),
            };
            BatchResultJson {
                email,
                outcome,
                detail,
            }
        })
        .collect();
    Ok(json(StatusCode::OK, &BatchAnswerJson { results }))
}

/// One person.
#[utoipa::path(get, path = "/api/v1/accounts/{account}/people/{id}", tag = "people",
    params(("account" = String, Path, description = "The master account, as `42`"), ("id" = i64, Path)),
    responses((status = 200, body = PersonJson), (status = 401), (status = 403), (status = 404)),
    security(("personal_token" = ["people:read"])))]
pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, Problem> {
    let (account, id) = path.into_inner();
    let caller = caller(&req, &state, &account, Scope::PeopleRead).await?;
    let id = member_id(&id, caller.l)?;
    let person = sharing::person(&state, &caller.owner, PersonKey::Member(id))
        .await
        .map_err(|e| problem_in(caller.l, e))?;
    Ok(respond(json(StatusCode::OK, &person_json(person))))
}

/// Change a person's accesses or end date.
#[utoipa::path(patch, path = "/api/v1/accounts/{account}/people/{id}", tag = "people",
    params(("account" = String, Path, description = "The master account, as `42`"), ("id" = i64, Path)),
    request_body = EditJson,
    responses((status = 200, body = PersonJson), (status = 401), (status = 403), (status = 404), (status = 422), (status = 429)),
    security(("personal_token" = ["people:write"])))]
pub async fn edit(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    payload: web::Payload,
) -> Result<HttpResponse, Problem> {
    let (account, id) = path.into_inner();
    let caller = caller(&req, &state, &account, Scope::PeopleWrite).await?;
    let (l, owner) = (caller.l, &caller.owner);
    let id = member_id(&id, l)?;
    let (asked, _): (EditJson, _) = json_body(&req, payload, l).await?;
    let (member, current) = sharing::edit_form(&state, owner, id)
        .await
        .map_err(|e| problem_in(l, e))?;
    let mut errors = Vec::new();
    let today = state.settings.clock.now().date_naive();
    let ends_on = match &asked.ends_on {
        None => member.access_ends_on,
        Some(typed) => ends_on(typed.as_deref(), today, l, &mut errors),
    };
    let (draft, origins) = match &asked.accesses {
        Some(accesses) => draft_of(owner, accesses, l, &mut errors),
        None => {
            let origins = (0..current.draft.rows.len()).collect();
            (current.draft, origins)
        }
    };
    if !errors.is_empty() {
        return Err(invalid(l, errors));
    }
    count_write(&state, &caller).await?;
    let (_, submission) = sharing::submit_edit(
        &state,
        owner,
        id,
        ends_on,
        FormCommand::from_api(draft.clone()),
    )
    .await
    .map_err(|e| problem_in(l, e))?;
    match submission.decision {
        Decision::Done => {
            let person = sharing::person(&state, owner, PersonKey::Member(id))
                .await
                .map_err(|e| problem_in(l, e))?;
            Ok(respond(json(StatusCode::OK, &person_json(person))))
        }
        Decision::Refused(refusal) => {
            Err(refusal_problem(l, refusal, &member.email, &draft, &origins))
        }
        Decision::Shown | Decision::CheckFirst(_) => Err(invalid(
            l,
            draft_problems(l, &submission.problems, &draft, &origins),
        )),
    }
}

/// Delete a person's access.
#[utoipa::path(delete, path = "/api/v1/accounts/{account}/people/{id}", tag = "people",
    params(("account" = String, Path, description = "The master account, as `42`"), ("id" = i64, Path)),
    responses((status = 204), (status = 401), (status = 403), (status = 404), (status = 429)),
    security(("personal_token" = ["people:write"])))]
pub async fn delete(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, Problem> {
    let (account, id) = path.into_inner();
    let caller = caller(&req, &state, &account, Scope::PeopleWrite).await?;
    let id = member_id(&id, caller.l)?;
    count_write(&state, &caller).await?;
    sharing::delete(&state, &caller.owner, id)
        .await
        .map_err(|e| problem_in(caller.l, e))?;
    Ok(HttpResponse::NoContent().finish())
}

/// Send a pending invitation again: the old link stops working.
#[utoipa::path(post, path = "/api/v1/accounts/{account}/people/{id}/resend", tag = "people",
    params(("account" = String, Path, description = "The master account, as `42`"), ("id" = i64, Path),
        ("Idempotency-Key" = Option<String>, Header, description = "The same key within 24 hours answers the first answer again")),
    responses((status = 202, body = PersonJson), (status = 401), (status = 403), (status = 404), (status = 409), (status = 429)),
    security(("personal_token" = ["people:write"])))]
pub async fn resend(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    payload: web::Payload,
) -> Result<HttpResponse, Problem> {
    let (account, id) = path.into_inner();
    let caller = caller(&req, &state, &account, Scope::PeopleWrite).await?;
    let id = member_id(&id, caller.l)?;
    // No body is needed; one that is sent must still be JSON within the limit.
    let bytes = body(&req, payload).await?;
    if !bytes.iter().all(u8::is_ascii_whitespace)
        && serde_json::from_slice::<EmptyJson>(&bytes).is_err()
    {
        return Err(Problem::bad_request(caller.l.t("api-resend-body")));
    }
    idempotent(&req, &state, &caller, &bytes, || async {
        let l = caller.l;
        count_write(&state, &caller).await?;
        let (member, resent) = sharing::resend(&state, &caller.owner, id)
            .await
            .map_err(|e| problem_in(l, e))?;
        if !resent {
            return Err(Problem::conflict(messages::flash_already_accepted(
                l,
                &member.email,
            )));
        }
        let person = sharing::person(&state, &caller.owner, PersonKey::Member(id))
            .await
            .map_err(|e| problem_in(l, e))?;
        Ok(json(StatusCode::ACCEPTED, &person_json(person)))
    })
    .await
}

/// `{}`: the only body re-send takes.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EmptyJson {}

/// The account's activity log, newest first.
#[utoipa::path(get, path = "/api/v1/accounts/{account}/activity", tag = "activity",
    params(("account" = String, Path, description = "The master account, as `42`"), ActivityQuery),
    responses((status = 200, body = ActivityJson), (status = 401), (status = 403), (status = 404), (status = 422)),
    security(("personal_token" = ["activity:read"])))]
pub async fn activity(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, Problem> {
    let caller = caller(&req, &state, &path, Scope::ActivityRead).await?;
    let l = caller.l;
    let asked: ActivityQuery = query(&req, l)?;
    let mut errors = Vec::new();
    let limit = limit_of(asked.limit.as_deref(), l, &mut errors);
    let before = cursor_of(asked.after.as_deref(), l, &mut errors);
    let action = match asked.action.as_deref() {
        None => None,
        Some(code) => {
            let action = Action::from_code(code);
            if action.is_none() {
                errors.push(field(
                    "action",
                    l.tr1("api-unknown-action", "action", truncated(code)),
                ));
            }
            action
        }
    };
    let day = |typed: Option<&str>, name: &str, errors: &mut Vec<FieldError>| {
        let typed = typed?;
        let parsed = NaiveDate::parse_from_str(typed, "%Y-%m-%d").ok();
        if parsed.is_none() {
            errors.push(field(name, l.t("api-date")));
        }
        parsed
    };
    let from = day(asked.from.as_deref(), "from", &mut errors);
    let to = day(asked.to.as_deref(), "to", &mut errors);
    let person = asked
        .person
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty());
    if person.as_ref().is_some_and(|p| p.chars().count() > 200) {
        errors.push(field("person", l.t("api-search-too-long")));
    }
    if !errors.is_empty() {
        return Err(invalid(l, errors));
    }
    let filter = db::audit::EventFilter {
        person,
        actions: action.map(|action| vec![action.code()]),
        from: from
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|t| t.and_utc()),
        until: to
            .and_then(|d| d.succ_opt())
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|t| t.and_utc()),
        before_id: before,
    };
    let (entries, more) = audit::activity_before(&state, &caller.owner, filter, limit)
        .await
        .map_err(|e| problem_in(l, e))?;
    let next = more
        .then(|| entries.last().map(|entry| entry.id.to_string()))
        .flatten();
    Ok(respond(json(
        StatusCode::OK,
        &ActivityJson {
            events: entries.into_iter().map(event_json).collect(),
            next,
        },
    )))
}

fn event_json(entry: Entry) -> EventJson {
    EventJson {
        id: entry.id,
        at: entry.at,
        action: entry.action.map(Action::code),
        actor: entry.actor_email,
        actor_token: entry.actor_token,
        target: entry.target_email,
        ip: entry.client_ip.map(|ip| ip.to_string()),
        before: entry.before,
        after: entry.after,
    }
}
