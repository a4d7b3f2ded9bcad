//! `/scim/v2` (issue 22; RFC 7643, RFC 7644): the owner's identity provider provisions and
//! deprovisions the people with access, with a SCIM token made on Share your account →
//! Provisioning. Users only; the discovery documents say exactly what is supported. Every
//! answer, errors included, is `application/scim+json`; nothing a client sends is a 5xx.

use actix_web::{
    HttpRequest, HttpResponse, ResponseError,
    http::{StatusCode, header},
    web,
};
use serde_json::{Map, Value, json};

use super::api::{bearer_text, body};
use crate::{
    domain::scim::{
        ERROR_SCHEMA, Filter, GROUP_SCHEMA, Invalid, LIST_SCHEMA, MAX_PAGE, SEARCH_SCHEMA,
        ScimType, Selection, USER_SCHEMA, filter_from, group_from, user_from,
    },
    error::AppError,
    services::scim::{self, Change, GroupChange, GroupView, Provider, Refused, UserView},
    state::AppState,
    web::client_ip::ClientIp,
};

const MEDIA_TYPE: &str = "application/scim+json";

/// A SCIM error response (RFC 7644 3.12).
#[derive(Debug)]
pub struct ScimError {
    status: StatusCode,
    kind: Option<ScimType>,
    detail: String,
    allow: Option<String>,
}

impl ScimError {
    fn new(status: StatusCode, detail: impl Into<String>) -> ScimError {
        ScimError {
            status,
            kind: None,
            detail: detail.into(),
            allow: None,
        }
    }

    pub fn not_found() -> ScimError {
        ScimError::new(StatusCode::NOT_FOUND, "There is no such resource here.")
    }

    pub fn method_not_allowed(allow: &str) -> ScimError {
        ScimError {
            allow: Some(allow.to_owned()),
            ..ScimError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                format!("This endpoint answers {allow}."),
            )
        }
    }
}

impl From<Invalid> for ScimError {
    fn from(invalid: Invalid) -> ScimError {
        ScimError {
            kind: Some(invalid.kind),
            ..ScimError::new(StatusCode::BAD_REQUEST, invalid.detail)
        }
    }
}

impl From<Refused> for ScimError {
    fn from(refused: Refused) -> ScimError {
        match refused {
            Refused::Invalid(invalid) => invalid.into(),
            Refused::NotFound => ScimError::not_found(),
            Refused::Stale => ScimError::new(
                StatusCode::PRECONDITION_FAILED,
                "The User changed since the version named in If-Match: read it again.",
            ),
            Refused::Taken(detail) => ScimError {
                kind: Some(ScimType::Uniqueness),
                ..ScimError::new(StatusCode::CONFLICT, detail)
            },
            Refused::NotAllowed(detail) => ScimError::new(StatusCode::FORBIDDEN, detail),
        }
    }
}

/// The service's own failure: logged, answered without detail.
impl From<AppError> for ScimError {
    fn from(error: AppError) -> ScimError {
        let status = error.status_code();
        if status.is_server_error() {
            tracing::error!(error = %error, "a SCIM request failed");
            return ScimError::new(status, "The service could not answer now: try again.");
        }
        ScimError::new(status, error.to_string())
    }
}

impl std::fmt::Display for ScimError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.status, self.detail)
    }
}

impl ResponseError for ScimError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        let mut body = json!({
            "schemas": [ERROR_SCHEMA],
            "status": self.status.as_u16().to_string(),
            "detail": self.detail,
        });
        if let Some(kind) = self.kind {
            body["scimType"] = json!(kind.code());
        }
        let mut response = HttpResponse::build(self.status);
        response.content_type(MEDIA_TYPE);
        if let Some(allow) = &self.allow {
            response.insert_header((header::ALLOW, allow.as_str()));
        }
        if self.status == StatusCode::UNAUTHORIZED {
            response.insert_header((header::WWW_AUTHENTICATE, "Bearer realm=\"scim\""));
        }
        response.body(body.to_string())
    }
}

type Answer = Result<HttpResponse, ScimError>;

/// The provider a request's token stands for; 401 without a live one.
async fn provider(req: &HttpRequest, state: &AppState) -> Result<Provider, ScimError> {
    let unauthorized = |detail: &str| ScimError::new(StatusCode::UNAUTHORIZED, detail);
    let hash = bearer_text(req.headers())
        .and_then(scim::hash_of_presented)
        .ok_or_else(|| {
            unauthorized(
                "Send a SCIM token as Authorization: Bearer asc_… (made on Share your account → Provisioning).",
            )
        })?;
    scim::provider(state, hash, ClientIp::of(req).0)
        .await?
        .ok_or_else(|| unauthorized("This SCIM token is unknown or revoked."))
}

fn base(state: &AppState) -> String {
    format!("{}/scim/v2", state.settings.base_url.trim_end_matches('/'))
}

fn scim_json(status: StatusCode, value: &Value) -> HttpResponse {
    HttpResponse::build(status)
        .content_type(MEDIA_TYPE)
        .body(value.to_string())
}

/// The body as JSON, of a SCIM or JSON media type.
async fn json_body(req: &HttpRequest, payload: web::Payload) -> Result<Value, ScimError> {
    let media = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .map(|media| media.trim().to_ascii_lowercase());
    if !matches!(
        media.as_deref(),
        Some("application/scim+json" | "application/json")
    ) {
        return Err(ScimError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Send the body as application/scim+json.",
        ));
    }
    let bytes = body(req, payload).await.map_err(|problem| {
        ScimError::new(
            StatusCode::from_u16(problem.status()).unwrap_or(StatusCode::BAD_REQUEST),
            problem.to_string(),
        )
    })?;
    serde_json::from_slice(&bytes).map_err(|error| {
        let mut detail = error.to_string();
        detail.truncate(200);
        Invalid::syntax(format!("The body is not JSON: {detail}")).into()
    })
}

/// The query parameters of a list, each once.
#[derive(Default)]
struct ListQuery {
    filter: Option<String>,
    start_index: Option<String>,
    count: Option<String>,
    attributes: Option<String>,
    excluded: Option<String>,
}

fn list_query(req: &HttpRequest) -> Result<ListQuery, ScimError> {
    let mut asked = ListQuery::default();
    for (key, value) in form_urlencoded::parse(req.query_string().as_bytes()) {
        let slot = match key.as_ref() {
            "filter" => &mut asked.filter,
            "startIndex" => &mut asked.start_index,
            "count" => &mut asked.count,
            "attributes" => &mut asked.attributes,
            "excludedAttributes" => &mut asked.excluded,
            // Sorting is not offered (ServiceProviderConfig says so): the order is creation's.
            _ => continue,
        };
        if slot.replace(value.into_owned()).is_some() {
            return Err(Invalid::syntax(format!("{key} is given twice")).into());
        }
    }
    Ok(asked)
}

/// `startIndex` (from 1) and `count`, as numbers; out-of-range values are brought in range
/// (RFC 7644 3.4.2.4), anything else is refused.
fn paging(start: Option<&str>, count: Option<&str>) -> Result<(i64, i64), ScimError> {
    let number = |text: Option<&str>, name: &str, default: i64| match text {
        None => Ok(default),
        Some(text) => text
            .trim()
            .parse::<i64>()
            .map_err(|_| Invalid::value(format!("{name} must be a whole number"))),
    };
    let start = number(start, "startIndex", 1)?.max(1);
    let count = number(count, "count", MAX_PAGE)?.clamp(0, MAX_PAGE);
    Ok((start, count))
}

fn user_json(base: &str, user: &UserView) -> Map<String, Value> {
    let mut resource = Map::new();
    resource.insert("schemas".into(), json!([USER_SCHEMA]));
    resource.insert("id".into(), json!(user.id));
    if let Some(external_id) = &user.fields.external_id {
        resource.insert("externalId".into(), json!(external_id));
    }
    resource.insert("userName".into(), json!(user.fields.user_name));
    if !user.fields.emails.is_empty() {
        resource.insert("emails".into(), json!(user.fields.emails));
    }
    if let Some(active) = user.fields.active {
        resource.insert("active".into(), json!(active));
    }
    resource.insert(
        "meta".into(),
        json!({
            "resourceType": "User",
            "created": user.created.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            "lastModified": user.last_modified.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            "location": format!("{base}/Users/{}", user.id),
            "version": user.version,
        }),
    );
    resource
}

/// One User, with its ETag and, when it was just made, where it lives.
fn one_user(state: &AppState, status: StatusCode, user: &UserView) -> HttpResponse {
    let base = base(state);
    let mut response = HttpResponse::build(status);
    response
        .content_type(MEDIA_TYPE)
        .insert_header((header::ETAG, user.version.as_str()));
    if status == StatusCode::CREATED {
        response.insert_header((header::LOCATION, format!("{base}/Users/{}", user.id)));
    }
    response.body(Value::Object(user_json(&base, user)).to_string())
}

fn selection(req: &HttpRequest) -> Result<Selection, ScimError> {
    let asked = list_query(req)?;
    Ok(Selection::new(
        asked.attributes.as_deref(),
        asked.excluded.as_deref(),
    ))
}

/// What a list or a search asks for.
struct Ask {
    filter: Option<Filter>,
    /// From 1.
    start: i64,
    count: i64,
    selection: Selection,
}

fn ask_of_query(req: &HttpRequest) -> Result<Ask, ScimError> {
    let asked = list_query(req)?;
    let (start, count) = paging(asked.start_index.as_deref(), asked.count.as_deref())?;
    Ok(Ask {
        filter: asked.filter.as_deref().map(filter_from).transpose()?,
        start,
        count,
        selection: Selection::new(asked.attributes.as_deref(), asked.excluded.as_deref()),
    })
}

/// A SearchRequest body (RFC 7644 3.4.3).
async fn ask_of_body(req: &HttpRequest, payload: web::Payload) -> Result<Ask, ScimError> {
    let body = json_body(req, payload).await?;
    let Value::Object(body) = body else {
        return Err(Invalid::syntax("The body must be a JSON object").into());
    };
    let listed = matches!(body.get("schemas"), Some(Value::Array(s))
        if s.iter().any(|s| s.as_str().is_some_and(|s| s.eq_ignore_ascii_case(SEARCH_SCHEMA))));
    if !listed {
        return Err(Invalid::syntax(format!("\"schemas\" must list {SEARCH_SCHEMA}")).into());
    }
    let text = |name: &str| -> Result<Option<String>, ScimError> {
        match body.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(text)) => Ok(Some(text.clone())),
            Some(Value::Array(names)) => names
                .iter()
                .map(|n| n.as_str().map(str::to_owned))
                .collect::<Option<Vec<_>>>()
                .map(|names| Some(names.join(",")))
                .ok_or_else(|| Invalid::value(format!("{name} must list strings")).into()),
            Some(Value::Number(n)) => Ok(Some(n.to_string())),
            Some(_) => Err(Invalid::value(format!("{name} has the wrong type")).into()),
        }
    };
    let (start, count) = paging(text("startIndex")?.as_deref(), text("count")?.as_deref())?;
    Ok(Ask {
        filter: text("filter")?.as_deref().map(filter_from).transpose()?,
        start,
        count,
        selection: Selection::new(
            text("attributes")?.as_deref(),
            text("excludedAttributes")?.as_deref(),
        ),
    })
}

/// Which resources a list holds.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Users,
    Groups,
    /// Users, then Groups (`POST /.search`).
    Both,
}

async fn list_answer(state: &AppState, provider: &Provider, kind: Kind, ask: Ask) -> Answer {
    let base = base(state);
    let offset = ask.start - 1;
    let mut resources: Vec<Value> = Vec::new();
    let mut total = 0;
    if kind != Kind::Groups {
        let (users, users_total) =
            scim::list(state, provider, ask.filter.clone(), offset, ask.count).await?;
        total += users_total;
        resources.extend(
            users
                .iter()
                .map(|user| Value::Object(ask.selection.apply(user_json(&base, user)))),
        );
    }
    if kind != Kind::Users {
        // After the Users, when both are listed: the Groups' share of the page.
        let (offset, count) = match kind {
            Kind::Both => ((offset - total).max(0), ask.count - resources.len() as i64),
            _ => (offset, ask.count),
        };
        let (groups, groups_total) =
            scim::list_groups(state, provider, ask.filter, offset, count).await?;
        total += groups_total;
        resources.extend(
            groups
                .iter()
                .map(|group| Value::Object(ask.selection.apply(group_json(&base, group)))),
        );
    }
    Ok(scim_json(
        StatusCode::OK,
        &json!({
            "schemas": [LIST_SCHEMA],
            "totalResults": total,
            "startIndex": ask.start,
            "itemsPerPage": resources.len(),
            "Resources": resources,
        }),
    ))
}

/// `GET /scim/v2/Users`: filtered by `userName eq "…"` and the like, a page at a time.
pub async fn list(req: HttpRequest, state: web::Data<AppState>) -> Answer {
    let provider = provider(&req, &state).await?;
    list_answer(&state, &provider, Kind::Users, ask_of_query(&req)?).await
}

/// `POST /scim/v2/Users/.search`: the same list, asked in a body (RFC 7644 3.4.3).
pub async fn search(req: HttpRequest, state: web::Data<AppState>, payload: web::Payload) -> Answer {
    let provider = provider(&req, &state).await?;
    let ask = ask_of_body(&req, payload).await?;
    list_answer(&state, &provider, Kind::Users, ask).await
}

/// `GET /scim/v2/Groups`.
pub async fn list_groups(req: HttpRequest, state: web::Data<AppState>) -> Answer {
    let provider = provider(&req, &state).await?;
    list_answer(&state, &provider, Kind::Groups, ask_of_query(&req)?).await
}

/// `POST /scim/v2/Groups/.search`.
pub async fn search_groups(
    req: HttpRequest,
    state: web::Data<AppState>,
    payload: web::Payload,
) -> Answer {
    let provider = provider(&req, &state).await?;
    let ask = ask_of_body(&req, payload).await?;
    list_answer(&state, &provider, Kind::Groups, ask).await
}

/// `POST /scim/v2/.search`: Users and Groups at once.
pub async fn search_all(
    req: HttpRequest,
    state: web::Data<AppState>,
    payload: web::Payload,
) -> Answer {
    let provider = provider(&req, &state).await?;
    let ask = ask_of_body(&req, payload).await?;
    list_answer(&state, &provider, Kind::Both, ask).await
}

fn group_json(base: &str, group: &GroupView) -> Map<String, Value> {
    let mut resource = Map::new();
    resource.insert("schemas".into(), json!([GROUP_SCHEMA]));
    resource.insert("id".into(), json!(group.id));
    if let Some(external_id) = &group.fields.external_id {
        resource.insert("externalId".into(), json!(external_id));
    }
    resource.insert("displayName".into(), json!(group.fields.display_name));
    if !group.fields.members.is_empty() {
        let members: Vec<Value> = group
            .fields
            .members
            .iter()
            .map(|id| json!({"value": id, "$ref": format!("{base}/Users/{id}"), "type": "User"}))
            .collect();
        resource.insert("members".into(), json!(members));
    }
    resource.insert(
        "meta".into(),
        json!({
            "resourceType": "Group",
            "created": group.created.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            "lastModified": group.last_modified.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            "location": format!("{base}/Groups/{}", group.id),
            "version": group.version,
        }),
    );
    resource
}

fn one_group(state: &AppState, status: StatusCode, group: &GroupView) -> HttpResponse {
    let base = base(state);
    let mut response = HttpResponse::build(status);
    response
        .content_type(MEDIA_TYPE)
        .insert_header((header::ETAG, group.version.as_str()));
    if status == StatusCode::CREATED {
        response.insert_header((header::LOCATION, format!("{base}/Groups/{}", group.id)));
    }
    response.body(Value::Object(group_json(&base, group)).to_string())
}

/// Whether `If-None-Match` names `version`.
fn unchanged(req: &HttpRequest, version: &str) -> bool {
    req.headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|tags| {
            tags.split(',')
                .any(|tag| tag.trim().trim_start_matches("W/") == version.trim_start_matches("W/"))
        })
}

fn not_modified(version: &str) -> HttpResponse {
    HttpResponse::NotModified()
        .insert_header((header::ETAG, version))
        .finish()
}

/// `GET /scim/v2/Groups/{id}`.
pub async fn show_group(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Answer {
    let provider = provider(&req, &state).await?;
    let selection = selection(&req)?;
    let group = scim::get_group(&state, &provider, id.into_inner())
        .await?
        .ok_or_else(ScimError::not_found)?;
    if unchanged(&req, &group.version) {
        return Ok(not_modified(&group.version));
    }
    let base = base(&state);
    Ok(HttpResponse::Ok()
        .content_type(MEDIA_TYPE)
        .insert_header((header::ETAG, group.version.as_str()))
        .body(Value::Object(selection.apply(group_json(&base, &group))).to_string()))
}

/// `POST /scim/v2/Groups`.
pub async fn create_group(
    req: HttpRequest,
    state: web::Data<AppState>,
    payload: web::Payload,
) -> Answer {
    let provider = provider(&req, &state).await?;
    let fields = group_from(&json_body(&req, payload).await?)?;
    let group = scim::create_group(&state, &provider, fields).await??;
    Ok(one_group(&state, StatusCode::CREATED, &group))
}

/// `PUT /scim/v2/Groups/{id}`.
pub async fn replace_group(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
    payload: web::Payload,
) -> Answer {
    let provider = provider(&req, &state).await?;
    let fields = group_from(&json_body(&req, payload).await?)?;
    let group = scim::change_group(
        &state,
        &provider,
        id.into_inner(),
        GroupChange::Replace(fields),
        if_match(&req),
    )
    .await??;
    Ok(one_group(&state, StatusCode::OK, &group))
}

/// `PATCH /scim/v2/Groups/{id}`: members added and removed, as providers send them.
pub async fn patch_group(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
    payload: web::Payload,
) -> Answer {
    let provider = provider(&req, &state).await?;
    let body = json_body(&req, payload).await?;
    let group = scim::change_group(
        &state,
        &provider,
        id.into_inner(),
        GroupChange::Patch(body),
        if_match(&req),
    )
    .await??;
    Ok(one_group(&state, StatusCode::OK, &group))
}

/// `DELETE /scim/v2/Groups/{id}`.
pub async fn delete_group(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Answer {
    let provider = provider(&req, &state).await?;
    scim::delete_group(&state, &provider, id.into_inner(), if_match(&req)).await??;
    Ok(HttpResponse::NoContent().finish())
}

/// `GET /scim/v2/Users/{id}`; `If-None-Match` with the current version answers 304.
pub async fn show(req: HttpRequest, state: web::Data<AppState>, id: web::Path<String>) -> Answer {
    let provider = provider(&req, &state).await?;
    let selection = selection(&req)?;
    let user = scim::get(&state, &provider, id.into_inner())
        .await?
        .ok_or_else(ScimError::not_found)?;
    if unchanged(&req, &user.version) {
        return Ok(not_modified(&user.version));
    }
    let base = base(&state);
    Ok(HttpResponse::Ok()
        .content_type(MEDIA_TYPE)
        .insert_header((header::ETAG, user.version.as_str()))
        .body(Value::Object(selection.apply(user_json(&base, &user))).to_string()))
}

/// `POST /scim/v2/Users`: an active User is invited with the owner's default access.
pub async fn create(req: HttpRequest, state: web::Data<AppState>, payload: web::Payload) -> Answer {
    let provider = provider(&req, &state).await?;
    let fields = user_from(&json_body(&req, payload).await?)?;
    let user = scim::create(&state, &provider, fields).await??;
    Ok(one_user(&state, StatusCode::CREATED, &user))
}

fn if_match(req: &HttpRequest) -> Option<String> {
    req.headers()
        .get(header::IF_MATCH)
        .map(|value| value.to_str().unwrap_or("\u{0}").to_owned())
}

/// `PUT /scim/v2/Users/{id}`: the User as sent.
pub async fn replace(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
    payload: web::Payload,
) -> Answer {
    let provider = provider(&req, &state).await?;
    let fields = user_from(&json_body(&req, payload).await?)?;
    let user = scim::change(
        &state,
        &provider,
        id.into_inner(),
        Change::Replace(fields),
        if_match(&req),
    )
    .await??;
    Ok(one_user(&state, StatusCode::OK, &user))
}

/// `PATCH /scim/v2/Users/{id}`: add, replace and remove on whole attributes.
pub async fn patch(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
    payload: web::Payload,
) -> Answer {
    let provider = provider(&req, &state).await?;
    let body = json_body(&req, payload).await?;
    let user = scim::change(
        &state,
        &provider,
        id.into_inner(),
        Change::Patch(body),
        if_match(&req),
    )
    .await??;
    Ok(one_user(&state, StatusCode::OK, &user))
}

/// `DELETE /scim/v2/Users/{id}`: the User and the access it stands for go.
pub async fn delete(req: HttpRequest, state: web::Data<AppState>, id: web::Path<String>) -> Answer {
    let provider = provider(&req, &state).await?;
    scim::delete(&state, &provider, id.into_inner(), if_match(&req)).await??;
    Ok(HttpResponse::NoContent().finish())
}

/// Anything else under `/scim/v2`: a SCIM 404, not a page; 401 first without a token, as on
/// every SCIM route.
pub async fn elsewhere(req: HttpRequest, state: web::Data<AppState>) -> Answer {
    provider(&req, &state).await?;
    Err(ScimError::not_found())
}

fn attribute(name: &str, kind: &str, required: bool, mutability: &str) -> Value {
    json!({
        "name": name, "type": kind, "multiValued": false, "description": "",
        "required": required, "caseExact": false, "mutability": mutability,
        "returned": "default", "uniqueness": "none",
    })
}

fn user_schema(base: &str) -> Value {
    let mut user_name = attribute("userName", "string", true, "immutable");
    user_name["uniqueness"] = json!("server");
    user_name["description"] =
        json!("The provider's name for the person: their address when it is one.");
    let mut kind = attribute("type", "string", false, "readWrite");
    kind["canonicalValues"] = json!(["work", "home", "other"]);
    let mut value = attribute("value", "string", true, "readWrite");
    value["description"] = json!("An email address.");
    let mut emails = attribute("emails", "complex", true, "readWrite");
    emails["multiValued"] = json!(true);
    emails["description"] = json!(
        "The person's addresses. Access goes to the userName when it is an address, else to the primary one, when the User is created or made active."
    );
    emails["subAttributes"] = json!([
        value,
        kind,
        attribute("primary", "boolean", false, "readWrite")
    ]);
    let mut active = attribute("active", "boolean", false, "readWrite");
    active["description"] = json!(
        "false removes the person's access; true invites them again with the default access."
    );
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Schema"],
        "id": USER_SCHEMA,
        "name": "User",
        "description": "A person with access to the owner's accounts",
        "attributes": [user_name, emails, active],
        "meta": {"resourceType": "Schema", "location": format!("{base}/Schemas/{USER_SCHEMA}")},
    })
}

fn group_schema(base: &str) -> Value {
    let mut display_name = attribute("displayName", "string", true, "readWrite");
    display_name["uniqueness"] = json!("server");
    display_name["description"] =
        json!("The group's name. The owner maps it to an access on the Provisioning page.");
    let mut value = attribute("value", "string", false, "immutable");
    value["description"] = json!("A User's id.");
    let mut reference = attribute("$ref", "reference", false, "immutable");
    reference["referenceTypes"] = json!(["User"]);
    reference["caseExact"] = json!(true);
    let mut kind = attribute("type", "string", false, "immutable");
    kind["canonicalValues"] = json!(["User"]);
    let mut members = attribute("members", "complex", false, "readWrite");
    members["multiValued"] = json!(true);
    members["description"] = json!(
        "The Users in the group. Once the owner maps the group to an access, its members get that access instead of the default one."
    );
    members["subAttributes"] = json!([value, reference, kind]);
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Schema"],
        "id": GROUP_SCHEMA,
        "name": "Group",
        "description": "A group of the identity provider's, mapped to an access by the owner",
        "attributes": [display_name, members],
        "meta": {"resourceType": "Schema", "location": format!("{base}/Schemas/{GROUP_SCHEMA}")},
    })
}

fn group_resource_type(base: &str) -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
        "id": "Group",
        "name": "Group",
        "endpoint": "/Groups",
        "description": "The identity provider's groups, each mapped to an access by the owner",
        "schema": GROUP_SCHEMA,
        "schemaExtensions": [],
        "meta": {"resourceType": "ResourceType", "location": format!("{base}/ResourceTypes/Group")},
    })
}

fn user_resource_type(base: &str) -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
        "id": "User",
        "name": "User",
        "endpoint": "/Users",
        "description": "People with access to the owner's accounts",
        "schema": USER_SCHEMA,
        "schemaExtensions": [],
        "meta": {"resourceType": "ResourceType", "location": format!("{base}/ResourceTypes/User")},
    })
}

fn list_of(resources: Vec<Value>) -> Value {
    json!({
        "schemas": [LIST_SCHEMA],
        "totalResults": resources.len(),
        "startIndex": 1,
        "itemsPerPage": resources.len(),
        "Resources": resources,
    })
}

/// `GET /scim/v2/ServiceProviderConfig`: what this server does and does not do.
pub async fn service_provider_config(req: HttpRequest, state: web::Data<AppState>) -> Answer {
    provider(&req, &state).await?;
    let base = base(&state);
    Ok(scim_json(
        StatusCode::OK,
        &json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
            "documentationUri": format!("{}/", state.settings.base_url.trim_end_matches('/')),
            "patch": {"supported": true},
            "bulk": {"supported": false, "maxOperations": 0, "maxPayloadSize": 0},
            "filter": {"supported": true, "maxResults": MAX_PAGE},
            "changePassword": {"supported": false},
            "sort": {"supported": false},
            "etag": {"supported": true},
            "authenticationSchemes": [{
                "type": "oauthbearertoken",
                "name": "Bearer token",
                "description": "A SCIM token made by the owner on Share your account → Provisioning",
                "primary": true,
            }],
            "meta": {"resourceType": "ServiceProviderConfig", "location": format!("{base}/ServiceProviderConfig")},
        }),
    ))
}

pub async fn resource_types(req: HttpRequest, state: web::Data<AppState>) -> Answer {
    provider(&req, &state).await?;
    Ok(scim_json(
        StatusCode::OK,
        &list_of(vec![
            user_resource_type(&base(&state)),
            group_resource_type(&base(&state)),
        ]),
    ))
}

pub async fn resource_type(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Answer {
    provider(&req, &state).await?;
    let base = base(&state);
    match id.as_str() {
        "User" => Ok(scim_json(StatusCode::OK, &user_resource_type(&base))),
        "Group" => Ok(scim_json(StatusCode::OK, &group_resource_type(&base))),
        _ => Err(ScimError::not_found()),
    }
}

pub async fn schemas(req: HttpRequest, state: web::Data<AppState>) -> Answer {
    provider(&req, &state).await?;
    Ok(scim_json(
        StatusCode::OK,
        &list_of(vec![
            user_schema(&base(&state)),
            group_schema(&base(&state)),
        ]),
    ))
}

pub async fn schema(req: HttpRequest, state: web::Data<AppState>, id: web::Path<String>) -> Answer {
    provider(&req, &state).await?;
    let base = base(&state);
    if id.eq_ignore_ascii_case(USER_SCHEMA) {
        Ok(scim_json(StatusCode::OK, &user_schema(&base)))
    } else if id.eq_ignore_ascii_case(GROUP_SCHEMA) {
        Ok(scim_json(StatusCode::OK, &group_schema(&base)))
    } else {
        Err(ScimError::not_found())
    }
}
