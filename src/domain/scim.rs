//! SCIM 2.0 Users (RFC 7643, RFC 7644) as this service keeps them (issue 22): what an identity
//! provider may send, read strictly where it matters and leniently where providers differ; the
//! filters, PATCH operations and attribute selection the protocol asks for. Pure: the service
//! decides what a change does to a person's access.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::email::EmailAddress;

pub const USER_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
pub const GROUP_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
pub const PATCH_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
pub const SEARCH_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";
pub const LIST_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
pub const ERROR_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:Error";

/// Most Users a page holds, and what a request without `count` gets.
pub const MAX_PAGE: i64 = 100;
/// Longest userName or externalId kept, in characters.
const MAX_TEXT: usize = 256;
/// Most addresses one User carries, and most operations one PATCH holds.
const MAX_EMAILS: usize = 10;
const MAX_OPERATIONS: usize = 100;
/// Most members one Group holds.
pub const MAX_MEMBERS: usize = 1000;

/// The User core attributes a provider may send that this service does not keep: accepted and
/// left aside, so that Okta's and Entra ID's usual payloads go through (RFC 7643 4.1).
const NOT_KEPT: &[&str] = &[
    "name",
    "displayName",
    "nickName",
    "profileUrl",
    "title",
    "userType",
    "preferredLanguage",
    "locale",
    "timezone",
    "password",
    "phoneNumbers",
    "ims",
    "photos",
    "addresses",
    "groups",
    "entitlements",
    "roles",
    "x509Certificates",
];

/// An address of a User, as RFC 7643 4.1.2 shapes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Email {
    pub value: String,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary: Option<bool>,
}

/// What a User holds here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserFields {
    pub user_name: String,
    pub external_id: Option<String>,
    pub emails: Vec<Email>,
    /// `None` when the provider never said: an active User.
    pub active: Option<bool>,
}

impl UserFields {
    /// The address the access goes to: the userName when it is one, as most providers send it;
    /// else the primary email, else the first.
    pub fn address(&self) -> Result<EmailAddress, Invalid> {
        if let Ok(address) = EmailAddress::parse(&self.user_name) {
            return Ok(address);
        }
        let email = self
            .emails
            .iter()
            .find(|email| email.primary == Some(true))
            .or_else(|| self.emails.first())
            .ok_or_else(|| {
                Invalid::value("userName is not an email address and no email is given")
            })?;
        EmailAddress::parse(&email.value).map_err(|error| {
            Invalid::value(format!(
                "emails: {:?} is not an email address ({error})",
                truncated(&email.value)
            ))
        })
    }

    /// Whether the User is to have access.
    pub fn is_active(&self) -> bool {
        self.active != Some(false)
    }
}

/// The SCIM error types this service answers with (RFC 7644 3.12).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScimType {
    InvalidSyntax,
    InvalidValue,
    InvalidFilter,
    InvalidPath,
    NoTarget,
    Mutability,
    Uniqueness,
}

impl ScimType {
    pub fn code(self) -> &'static str {
        match self {
            ScimType::InvalidSyntax => "invalidSyntax",
            ScimType::InvalidValue => "invalidValue",
            ScimType::InvalidFilter => "invalidFilter",
            ScimType::InvalidPath => "invalidPath",
            ScimType::NoTarget => "noTarget",
            ScimType::Mutability => "mutability",
            ScimType::Uniqueness => "uniqueness",
        }
    }
}

/// A request refused as written: a 400 with its type and words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    pub kind: ScimType,
    pub detail: String,
}

impl Invalid {
    fn new(kind: ScimType, detail: impl Into<String>) -> Invalid {
        Invalid {
            kind,
            detail: detail.into(),
        }
    }
    pub fn syntax(detail: impl Into<String>) -> Invalid {
        Invalid::new(ScimType::InvalidSyntax, detail)
    }
    pub fn value(detail: impl Into<String>) -> Invalid {
        Invalid::new(ScimType::InvalidValue, detail)
    }
}

/// At most 60 characters of what was sent, for a message.
fn truncated(text: &str) -> String {
    text.chars().take(60).collect()
}

/// Whether `schemas` lists `wanted` (URIs compare without case, RFC 7643 2.1).
fn lists_schema(body: &Map<String, Value>, wanted: &str) -> Result<(), Invalid> {
    let listed = match body.get("schemas") {
        Some(Value::Array(schemas)) => schemas
            .iter()
            .any(|s| s.as_str().is_some_and(|s| s.eq_ignore_ascii_case(wanted))),
        _ => false,
    };
    if listed {
        Ok(())
    } else {
        Err(Invalid::syntax(format!("\"schemas\" must list {wanted}")))
    }
}

/// An attribute name as sent, with `schema`'s URN prefix taken off.
fn without_urn<'a>(name: &'a str, schema: &str) -> &'a str {
    let prefix = schema.len() + 1;
    if name.len() > prefix
        && name.is_char_boundary(prefix)
        && name[..prefix - 1].eq_ignore_ascii_case(schema)
        && name.as_bytes()[prefix - 1] == b':'
    {
        &name[prefix..]
    } else {
        name
    }
}

fn bare(name: &str) -> &str {
    without_urn(name, USER_SCHEMA)
}

fn bare_group(name: &str) -> &str {
    without_urn(name, GROUP_SCHEMA)
}

/// The attributes a User has here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Attribute {
    UserName,
    ExternalId,
    Emails,
    Active,
    /// A User core attribute this service does not keep.
    NotKept,
}

impl Attribute {
    fn named(name: &str) -> Option<Attribute> {
        let name = bare(name);
        let is = |wanted: &str| name.eq_ignore_ascii_case(wanted);
        if is("userName") {
            Some(Attribute::UserName)
        } else if is("externalId") {
            Some(Attribute::ExternalId)
        } else if is("emails") {
            Some(Attribute::Emails)
        } else if is("active") {
            Some(Attribute::Active)
        } else {
            // `name.givenName`, `phoneNumbers[type eq "work"].value`: inside one not kept.
            let head = name.split(['.', '[']).next().unwrap_or(name);
            NOT_KEPT
                .iter()
                .any(|kept| head.eq_ignore_ascii_case(kept))
                .then_some(Attribute::NotKept)
        }
    }
}

fn text(value: &Value, name: &str) -> Result<String, Invalid> {
    let Value::String(text) = value else {
        return Err(Invalid::value(format!("{name} must be a string")));
    };
    let text = text.trim();
    if text.is_empty() {
        return Err(Invalid::value(format!("{name} must not be empty")));
    }
    if text.chars().count() > MAX_TEXT {
        return Err(Invalid::value(format!(
            "{name} is longer than {MAX_TEXT} characters"
        )));
    }
    if text.chars().any(char::is_control) {
        return Err(Invalid::value(format!("{name} holds control characters")));
    }
    Ok(text.to_owned())
}

fn boolean(value: &Value, name: &str) -> Result<bool, Invalid> {
    match value {
        Value::Bool(b) => Ok(*b),
        // Entra ID sends "True" and "False" in PATCH values.
        Value::String(s) if s.eq_ignore_ascii_case("true") => Ok(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Ok(false),
        _ => Err(Invalid::value(format!("{name} must be true or false"))),
    }
}

fn emails(value: &Value) -> Result<Vec<Email>, Invalid> {
    let items = match value {
        Value::Array(items) => items.as_slice(),
        Value::Object(_) => std::slice::from_ref(value),
        _ => return Err(Invalid::value("emails must be a list of {\"value\": …}")),
    };
    if items.len() > MAX_EMAILS {
        return Err(Invalid::value(format!(
            "emails holds more than {MAX_EMAILS} addresses"
        )));
    }
    let emails: Vec<Email> = items
        .iter()
        .map(|item| {
            let Value::Object(item) = item else {
                return Err(Invalid::value("each of emails must be {\"value\": …}"));
            };
            let value = item
                .get("value")
                .ok_or_else(|| Invalid::value("each of emails needs a \"value\""))?;
            let value = text(value, "emails.value")?;
            EmailAddress::parse(&value).map_err(|error| {
                Invalid::value(format!(
                    "emails: {:?} is not an email address ({error})",
                    truncated(&value)
                ))
            })?;
            let kind = match item.get("type") {
                None | Some(Value::Null) => None,
                Some(kind) => Some(text(kind, "emails.type")?),
            };
            let primary = match item.get("primary") {
                None | Some(Value::Null) => None,
                Some(primary) => Some(boolean(primary, "emails.primary")?),
            };
            Ok(Email {
                value,
                kind,
                primary,
            })
        })
        .collect::<Result<_, _>>()?;
    if emails.iter().filter(|e| e.primary == Some(true)).count() > 1 {
        return Err(Invalid::value("only one of emails may be primary"));
    }
    Ok(emails)
}

/// A User as POST and PUT send it: `schemas` names the User schema, `userName` is given.
/// Read-only attributes (`id`, `meta`) and attributes not kept here are left aside.
pub fn user_from(body: &Value) -> Result<UserFields, Invalid> {
    let Value::Object(body) = body else {
        return Err(Invalid::syntax("The body must be a JSON object"));
    };
    lists_schema(body, USER_SCHEMA)?;
    let mut fields = UserFields {
        user_name: String::new(),
        external_id: None,
        emails: Vec::new(),
        active: None,
    };
    let mut named = false;
    for (name, value) in body {
        if name.eq_ignore_ascii_case("externalId") {
            fields.external_id = optional_text(value, "externalId")?;
            continue;
        }
        match Attribute::named(name) {
            Some(Attribute::UserName) => {
                fields.user_name = text(value, "userName")?;
                named = true;
            }
            Some(Attribute::Emails) if !value.is_null() => fields.emails = emails(value)?,
            Some(Attribute::Active) if !value.is_null() => {
                fields.active = Some(boolean(value, "active")?)
            }
            _ => {}
        }
    }
    if !named {
        return Err(Invalid::value("userName is required"));
    }
    fields.address()?;
    Ok(fields)
}

fn optional_text(value: &Value, name: &str) -> Result<Option<String>, Invalid> {
    match value {
        Value::Null => Ok(None),
        value => text(value, name).map(Some),
    }
}

/// One PATCH operation's verb.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Add,
    Replace,
    Remove,
}

/// One PATCH operation: its verb, path and value.
type Operation<'a> = (Op, Option<&'a str>, Option<&'a Value>);

/// The operations of a PATCH request (RFC 7644 3.5.2).
fn operations(body: &Value) -> Result<Vec<Operation<'_>>, Invalid> {
    let Value::Object(body) = body else {
        return Err(Invalid::syntax("The body must be a JSON object"));
    };
    lists_schema(body, PATCH_SCHEMA)?;
    let operations = body
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("Operations"))
        .map(|(_, value)| value);
    let Some(Value::Array(operations)) = operations else {
        return Err(Invalid::syntax("\"Operations\" must be a list"));
    };
    if operations.is_empty() || operations.len() > MAX_OPERATIONS {
        return Err(Invalid::syntax(format!(
            "\"Operations\" must hold 1 to {MAX_OPERATIONS} operations"
        )));
    }
    operations
        .iter()
        .map(|operation| {
            let Value::Object(operation) = operation else {
                return Err(Invalid::syntax("Each operation must be a JSON object"));
            };
            let get = |wanted: &str| {
                operation
                    .iter()
                    .find(|(name, _)| name.eq_ignore_ascii_case(wanted))
                    .map(|(_, value)| value)
            };
            let op = match get("op").and_then(Value::as_str) {
                Some(op) if op.eq_ignore_ascii_case("add") => Op::Add,
                Some(op) if op.eq_ignore_ascii_case("replace") => Op::Replace,
                Some(op) if op.eq_ignore_ascii_case("remove") => Op::Remove,
                _ => {
                    return Err(Invalid::syntax(
                        "\"op\" must be \"add\", \"replace\" or \"remove\"",
                    ));
                }
            };
            let path = match get("path") {
                None | Some(Value::Null) => None,
                Some(Value::String(path)) => Some(path.as_str()),
                Some(_) => {
                    return Err(Invalid::new(
                        ScimType::InvalidPath,
                        "\"path\" must be a string",
                    ));
                }
            };
            Ok((op, path, get("value")))
        })
        .collect()
}

/// `fields` with the operations of the PATCH request `body` applied by `apply`, each path (or
/// each attribute of a value without one) in turn; all operations or none.
fn apply_operations<T: Clone>(
    fields: &T,
    body: &Value,
    apply: impl Fn(&mut T, Op, &str, Option<&Value>) -> Result<(), Invalid>,
) -> Result<T, Invalid> {
    let mut result = fields.clone();
    for (op, path, value) in operations(body)? {
        match (path, op, value) {
            (Some(path), ..) => apply(&mut result, op, path, value)?,
            (None, Op::Remove, _) => {
                return Err(Invalid::new(
                    ScimType::NoTarget,
                    "\"remove\" needs a \"path\"",
                ));
            }
            (None, _, Some(Value::Object(values))) => {
                for (name, value) in values {
                    apply(&mut result, op, name, Some(value))?;
                }
            }
            (None, ..) => {
                return Err(Invalid::syntax(
                    "Without a \"path\", \"value\" must be an object of attributes",
                ));
            }
        }
    }
    Ok(result)
}

/// `fields` with the PATCH request `body` applied; all operations or none.
pub fn patched(fields: &UserFields, body: &Value) -> Result<UserFields, Invalid> {
    let result = apply_operations(fields, body, apply)?;
    result.address()?;
    Ok(result)
}

fn apply(
    fields: &mut UserFields,
    op: Op,
    path: &str,
    value: Option<&Value>,
) -> Result<(), Invalid> {
    if path.eq_ignore_ascii_case("externalId") {
        fields.external_id = match (op, value) {
            (Op::Remove, _) => None,
            (_, Some(value)) => optional_text(value, "externalId")?,
            (_, None) => return Err(missing_value(path)),
        };
        return Ok(());
    }
    let attribute = Attribute::named(path).ok_or_else(|| {
        let detail = if path.contains('[') || path.contains('.') {
            format!(
                "{:?}: only whole attributes can be a path here (userName, externalId, emails, active)",
                truncated(path)
            )
        } else {
            format!("{:?} is not an attribute of a User", truncated(path))
        };
        Invalid::new(ScimType::InvalidPath, detail)
    })?;
    let value = match (op, value) {
        (Op::Remove, _) => None,
        (_, Some(Value::Null)) | (_, None) => return Err(missing_value(path)),
        (_, Some(value)) => Some(value),
    };
    match (attribute, value) {
        (Attribute::NotKept, _) => {}
        (Attribute::UserName, None) => {
            return Err(Invalid::new(
                ScimType::Mutability,
                "userName cannot be removed",
            ));
        }
        (Attribute::UserName, Some(value)) => {
            if !text(value, "userName")?.eq_ignore_ascii_case(&fields.user_name) {
                return Err(Invalid::new(
                    ScimType::Mutability,
                    "userName cannot change: remove the User and create it again",
                ));
            }
        }
        (Attribute::Emails, None) => fields.emails.clear(),
        (Attribute::Emails, Some(value)) => {
            let given = emails(value)?;
            if op == Op::Add {
                fields
                    .emails
                    .retain(|old| !given.iter().any(|new| new.value == old.value));
                if given.iter().any(|new| new.primary == Some(true)) {
                    for old in &mut fields.emails {
                        old.primary = None;
                    }
                }
                fields.emails.extend(given);
                if fields.emails.len() > MAX_EMAILS {
                    return Err(Invalid::value(format!(
                        "emails holds more than {MAX_EMAILS} addresses"
                    )));
                }
            } else {
                fields.emails = given;
            }
        }
        (Attribute::Active, None) => fields.active = None,
        (Attribute::Active, Some(value)) => fields.active = Some(boolean(value, "active")?),
        (Attribute::ExternalId, _) => unreachable!("handled above"),
    }
    Ok(())
}

fn missing_value(path: &str) -> Invalid {
    Invalid::value(format!("{:?} needs a \"value\"", truncated(path)))
}

/// What a Group holds here: its name and its members, by User id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupFields {
    pub display_name: String,
    pub external_id: Option<String>,
    /// User ids, each once, in the order given.
    pub members: Vec<String>,
}

fn members(value: &Value) -> Result<Vec<String>, Invalid> {
    let items = match value {
        Value::Array(items) => items.as_slice(),
        Value::Object(_) => std::slice::from_ref(value),
        _ => return Err(Invalid::value("members must be a list of {\"value\": …}")),
    };
    let mut ids: Vec<String> = Vec::new();
    for item in items {
        let Value::Object(item) = item else {
            return Err(Invalid::value("each of members must be {\"value\": …}"));
        };
        let id = item
            .get("value")
            .ok_or_else(|| Invalid::value("each of members needs a \"value\": a User's id"))?;
        let id = text(id, "members.value")?;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    if ids.len() > MAX_MEMBERS {
        return Err(Invalid::value(format!(
            "members holds more than {MAX_MEMBERS} Users"
        )));
    }
    Ok(ids)
}

/// A Group as POST and PUT send it.
pub fn group_from(body: &Value) -> Result<GroupFields, Invalid> {
    let Value::Object(body) = body else {
        return Err(Invalid::syntax("The body must be a JSON object"));
    };
    lists_schema(body, GROUP_SCHEMA)?;
    let mut fields = GroupFields {
        display_name: String::new(),
        external_id: None,
        members: Vec::new(),
    };
    let mut named = false;
    for (name, value) in body {
        let is = |wanted: &str| bare_group(name).eq_ignore_ascii_case(wanted);
        if is("displayName") {
            fields.display_name = text(value, "displayName")?;
            named = true;
        } else if is("externalId") {
            fields.external_id = optional_text(value, "externalId")?;
        } else if is("members") && !value.is_null() {
            fields.members = members(value)?;
        }
    }
    if !named {
        return Err(Invalid::value("displayName is required"));
    }
    Ok(fields)
}

/// `fields` with the PATCH request `body` applied; all operations or none. Beside whole
/// attributes, `members[value eq "…"]` removes one member, as Okta and Entra ID send it.
pub fn patched_group(fields: &GroupFields, body: &Value) -> Result<GroupFields, Invalid> {
    apply_operations(fields, body, apply_group)
}

fn apply_group(
    fields: &mut GroupFields,
    op: Op,
    path: &str,
    value: Option<&Value>,
) -> Result<(), Invalid> {
    let path = bare_group(path);
    let is = |wanted: &str| path.eq_ignore_ascii_case(wanted);
    let value = match (op, value) {
        (Op::Remove, _) => None,
        (_, Some(Value::Null)) | (_, None) => return Err(missing_value(path)),
        (_, Some(value)) => Some(value),
    };
    if is("displayName") {
        match value {
            None => {
                return Err(Invalid::new(
                    ScimType::Mutability,
                    "displayName cannot be removed",
                ));
            }
            Some(value) => fields.display_name = text(value, "displayName")?,
        }
    } else if is("externalId") {
        fields.external_id = value
            .map(|v| optional_text(v, "externalId"))
            .transpose()?
            .flatten();
    } else if is("members") {
        match (op, value) {
            (_, None) => fields.members.clear(),
            (Op::Add, Some(value)) => {
                for id in members(value)? {
                    if !fields.members.contains(&id) {
                        fields.members.push(id);
                    }
                }
                if fields.members.len() > MAX_MEMBERS {
                    return Err(Invalid::value(format!(
                        "members holds more than {MAX_MEMBERS} Users"
                    )));
                }
            }
            (_, Some(value)) => fields.members = members(value)?,
        }
    } else if let Some(id) = member_selected(path) {
        if op != Op::Remove {
            return Err(Invalid::new(
                ScimType::InvalidPath,
                "members[value eq \"…\"] can only be removed; add members with the path \"members\"",
            ));
        }
        fields.members.retain(|member| *member != id);
    } else {
        return Err(Invalid::new(
            ScimType::InvalidPath,
            format!(
                "{:?} is not an attribute of a Group here (displayName, externalId, members)",
                truncated(path)
            ),
        ));
    }
    Ok(())
}

/// The id in `members[value eq "…"]`.
fn member_selected(path: &str) -> Option<String> {
    let inner = path
        .get(..8)
        .filter(|head| head.eq_ignore_ascii_case("members["))
        .and(path.get(8..))?
        .strip_suffix(']')?;
    match filter_from(&format!("emails[{inner}]")).ok()? {
        Filter::Email(id) => Some(id),
        _ => None,
    }
}

/// What a list may be narrowed to (RFC 7644 3.4.2.2): one attribute equal to one string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Filter {
    UserName(String),
    DisplayName(String),
    ExternalId(String),
    Id(String),
    Email(String),
}

/// `filter` read: `userName eq "…"`, `externalId eq "…"`, `id eq "…"` or `emails eq "…"` (also
/// `emails.value`, `emails[value eq "…"]`); anything else is refused in words.
pub fn filter_from(filter: &str) -> Result<Filter, Invalid> {
    let invalid = |detail: String| Invalid::new(ScimType::InvalidFilter, detail);
    let filter = filter.trim();
    let (attribute, rest) = filter
        .split_once(char::is_whitespace)
        .ok_or_else(|| invalid("A filter reads: userName eq \"ada@example.com\"".into()))?;
    let rest = rest.trim_start();
    let (op, literal) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    let (attribute, op, literal) = match attribute.split_once('[') {
        // emails[value eq "…"]
        Some((outer, inner)) if outer.eq_ignore_ascii_case("emails") => {
            let inner = format!("{inner} {rest}");
            let inner = inner.trim_end();
            let inner = inner
                .strip_suffix(']')
                .ok_or_else(|| invalid("A \"[\" in a filter needs its \"]\"".into()))?;
            let (sub, inner_rest) = inner
                .split_once(char::is_whitespace)
                .ok_or_else(|| invalid("emails[value eq \"…\"] is the form understood".into()))?;
            if !sub.eq_ignore_ascii_case("value") {
                return Err(invalid(
                    "emails[value eq \"…\"] is the form understood".into(),
                ));
            }
            let inner_rest = inner_rest.trim_start();
            let (op, literal) = inner_rest
                .split_once(char::is_whitespace)
                .unwrap_or((inner_rest, ""));
            ("emails".to_owned(), op.to_owned(), literal.to_owned())
        }
        _ => (attribute.to_owned(), op.to_owned(), literal.to_owned()),
    };
    if !op.eq_ignore_ascii_case("eq") {
        return Err(invalid(format!(
            "Only \"eq\" is understood in filters here, not {:?}",
            truncated(&op)
        )));
    }
    let value: String = serde_json::from_str(literal.trim())
        .map_err(|_| invalid("The value compared must be a quoted string".into()))?;
    let attribute = bare_group(bare(&attribute));
    let is = |wanted: &str| attribute.eq_ignore_ascii_case(wanted);
    if is("userName") {
        Ok(Filter::UserName(value))
    } else if is("displayName") {
        Ok(Filter::DisplayName(value))
    } else if is("externalId") {
        Ok(Filter::ExternalId(value))
    } else if is("id") {
        Ok(Filter::Id(value))
    } else if is("emails") || is("emails.value") {
        Ok(Filter::Email(value))
    } else {
        Err(invalid(format!(
            "Filters name userName, displayName, externalId, id or emails, not {:?}",
            truncated(attribute)
        )))
    }
}

/// Which attributes an answer carries (RFC 7644 3.4.2.5): `attributes` keeps only those named,
/// `excludedAttributes` drops those named; `id` and `schemas` are always returned.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    only: Option<Vec<String>>,
    except: Vec<String>,
}

impl Selection {
    pub fn new(attributes: Option<&str>, excluded: Option<&str>) -> Selection {
        let names = |list: &str| -> Vec<String> {
            list.split(',')
                .map(|name| {
                    let name = bare(name.trim());
                    // `emails.value` selects emails; `meta.created` selects meta.
                    name.split('.').next().unwrap_or(name).to_ascii_lowercase()
                })
                .filter(|name| !name.is_empty())
                .collect()
        };
        Selection {
            only: attributes.map(names),
            except: excluded.map(names).unwrap_or_default(),
        }
    }

    /// `resource` with only the attributes selected.
    pub fn apply(&self, mut resource: Map<String, Value>) -> Map<String, Value> {
        resource.retain(|name, _| {
            let name = name.to_ascii_lowercase();
            if name == "id" || name == "schemas" {
                return true;
            }
            match &self.only {
                Some(only) => only.contains(&name),
                None => !self.except.contains(&name),
            }
        });
        resource
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn user(body: Value) -> Result<UserFields, Invalid> {
        user_from(&body)
    }

    fn ada() -> UserFields {
        user(json!({"schemas": [USER_SCHEMA], "userName": "ada@example.com"})).unwrap()
    }

    fn patch(fields: &UserFields, operations: Value) -> Result<UserFields, Invalid> {
        patched(
            fields,
            &json!({"schemas": [PATCH_SCHEMA], "Operations": operations}),
        )
    }

    #[test]
    fn the_address_is_the_user_name_or_else_the_primary_email() {
        assert_eq!(ada().address().unwrap().as_str(), "ada@example.com");
        let okta = user(json!({
            "schemas": [USER_SCHEMA], "userName": "ada.lovelace",
            "emails": [{"value": "a@old.example"}, {"value": "Ada@Example.com", "primary": true}],
            "name": {"givenName": "Ada"}, "displayName": "Ada",
        }))
        .unwrap();
        assert_eq!(okta.address().unwrap().as_str(), "ada@example.com");
        let bad = user(json!({"schemas": [USER_SCHEMA], "userName": "ada"})).unwrap_err();
        assert_eq!(bad.kind, ScimType::InvalidValue);
    }

    #[test]
    fn a_user_is_read_strictly_where_it_matters() {
        let cases = [
            json!([]),
            json!({"userName": "ada@example.com"}),
            json!({"schemas": ["urn:x"], "userName": "ada@example.com"}),
            json!({"schemas": [USER_SCHEMA]}),
            json!({"schemas": [USER_SCHEMA], "userName": 7}),
            json!({"schemas": [USER_SCHEMA], "userName": " "}),
            json!({"schemas": [USER_SCHEMA], "userName": "a\u{0}@example.com"}),
            json!({"schemas": [USER_SCHEMA], "userName": "x".repeat(300)}),
            json!({"schemas": [USER_SCHEMA], "userName": "ada@example.com", "active": "maybe"}),
            json!({"schemas": [USER_SCHEMA], "userName": "ada@example.com", "emails": "a@b.c"}),
            json!({"schemas": [USER_SCHEMA], "userName": "u", "emails": [{"value": "nope"}]}),
            json!({"schemas": [USER_SCHEMA], "userName": "u", "emails": [
                {"value": "a@example.com", "primary": true}, {"value": "b@example.com", "primary": true}]}),
            json!({"schemas": [USER_SCHEMA], "userName": "ada@example.com", "externalId": []}),
        ];
        for case in cases {
            assert!(user(case.clone()).is_err(), "{case}");
        }
    }

    #[test]
    fn patch_sets_adds_and_removes_whole_attributes() {
        let fields = patch(
            &ada(),
            json!([
                {"op": "Replace", "value": {"active": "False", "externalId": "00u1"}},
                {"op": "add", "path": "emails", "value": [{"value": "b@example.com", "primary": true}]},
                {"op": "add", "path": "urn:ietf:params:scim:schemas:core:2.0:User:name.givenName", "value": "Ada"},
            ]),
        )
        .unwrap();
        assert_eq!(fields.active, Some(false));
        assert_eq!(fields.external_id.as_deref(), Some("00u1"));
        assert_eq!(fields.emails.len(), 1);
        let removed = patch(
            &fields,
            json!([{"op": "remove", "path": "active"}, {"op": "remove", "path": "emails"}]),
        )
        .unwrap();
        assert_eq!((removed.active, removed.emails.len()), (None, 0));
        assert!(removed.is_active());
    }

    #[test]
    fn patch_refuses_what_it_cannot_do_and_applies_nothing_then() {
        let refused = [
            (
                json!([{"op": "replace", "path": "userName", "value": "eve@example.com"}]),
                ScimType::Mutability,
            ),
            (
                json!([{"op": "remove", "path": "userName"}]),
                ScimType::Mutability,
            ),
            (json!([{"op": "remove"}]), ScimType::NoTarget),
            (
                json!([{"op": "copy", "path": "active", "value": true}]),
                ScimType::InvalidSyntax,
            ),
            (
                json!([{"op": "add", "path": "nickname2", "value": "x"}]),
                ScimType::InvalidPath,
            ),
            (
                json!([{"op": "replace", "path": "emails[type eq \"work\"].value", "value": "b@example.com"}]),
                ScimType::InvalidPath,
            ),
            (
                json!([{"op": "replace", "path": 7, "value": true}]),
                ScimType::InvalidPath,
            ),
            (
                json!([{"op": "replace", "path": "active"}]),
                ScimType::InvalidValue,
            ),
            (
                json!([{"op": "replace", "value": true}]),
                ScimType::InvalidSyntax,
            ),
            (json!([]), ScimType::InvalidSyntax),
            (json!(["add"]), ScimType::InvalidSyntax),
        ];
        for (operations, kind) in refused {
            assert_eq!(
                patch(&ada(), operations.clone()).unwrap_err().kind,
                kind,
                "{operations}"
            );
        }
        assert!(
            patched(
                &ada(),
                &json!({"Operations": [{"op": "remove", "path": "active"}]})
            )
            .is_err()
        );
        // Setting the same userName in another case changes nothing and is no error.
        let same = patch(
            &ada(),
            json!([{"op": "replace", "path": "userName", "value": "ADA@example.com"}]),
        );
        assert_eq!(same.unwrap(), ada());
    }

    #[test]
    fn filters_are_one_equality_on_a_kept_attribute() {
        assert_eq!(
            filter_from("userName eq \"Ada@Example.com\"").unwrap(),
            Filter::UserName("Ada@Example.com".into())
        );
        assert_eq!(
            filter_from("externalId EQ \"a \\\"b\\\"\"").unwrap(),
            Filter::ExternalId("a \"b\"".into())
        );
        assert_eq!(
            filter_from("emails[value eq \"a@b.example\"]").unwrap(),
            Filter::Email("a@b.example".into())
        );
        assert_eq!(
            filter_from("urn:ietf:params:scim:schemas:core:2.0:User:userName eq \"x\"").unwrap(),
            Filter::UserName("x".into())
        );
        for bad in [
            "",
            "userName",
            "userName eq",
            "userName eq ada",
            "userName co \"a\"",
            "userName pr",
            "title eq \"x\"",
            "userName eq \"a\" or userName eq \"b\"",
            "emails[type eq \"work\"]",
            "emails[value eq \"a\"",
        ] {
            assert_eq!(
                filter_from(bad).unwrap_err().kind,
                ScimType::InvalidFilter,
                "{bad:?}"
            );
        }
    }

    #[test]
    fn a_selection_keeps_id_and_schemas_always() {
        let resource = json!({"schemas": [], "id": "1", "userName": "u", "emails": [], "meta": {}});
        let Value::Object(resource) = resource else {
            unreachable!()
        };
        let only = Selection::new(Some("emails.value"), None).apply(resource.clone());
        assert_eq!(only.keys().collect::<Vec<_>>(), ["emails", "id", "schemas"]);
        let except = Selection::new(None, Some("userName,meta")).apply(resource);
        assert_eq!(
            except.keys().collect::<Vec<_>>(),
            ["emails", "id", "schemas"]
        );
    }
}
