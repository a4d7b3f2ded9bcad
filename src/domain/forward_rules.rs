//! The operator's forward-auth rules (INTEGRATION.md S15): which permission each request of the
//! email platform needs, by host, method and path. Rules are tried in order; the first whose
//! host, method and path match decides, and no match is a refusal.
//!
//! ```toml
//! [[rule]]
//! host = "app.example.com"            # optional; any host when absent
//! methods = ["GET", "HEAD"]           # optional; any method when absent
//! path = "/accounts/{account}/sub-accounts/{sub_account}/campaigns/**"
//! permission = "campaigns"            # or "public"
//! ```
//!
//! `{name}` matches one path segment, `**` the rest of the path (nothing included).
//! `{account}` is the master account's id and `{sub_account}` one of its sub-accounts; a rule
//! without `{account}` can only be `public`.

use serde::Deserialize;
use toml::Spanned;

use super::{
    ids::{AccountRef, MasterAccountId, SubAccountId},
    vocabulary::Permission,
};

/// What a rule lets through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Needed {
    /// Anyone, signed in or not.
    Public,
    Permission(Permission),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Literal(String),
    /// `{name}`: one segment; `account` and `sub_account` are read from it.
    Named(String),
    /// `**`: the rest of the path.
    Rest,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    host: Option<String>,
    methods: Option<Vec<String>>,
    segments: Vec<Segment>,
    pub needed: Needed,
}

/// A rules file that cannot be used: where, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct RulesError {
    pub line: usize,
    pub message: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    rule: Vec<RawRule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    host: Option<Spanned<String>>,
    methods: Option<Spanned<Vec<String>>>,
    path: Spanned<String>,
    permission: Spanned<String>,
}

/// The request a rule is matched against.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// Without a port: rules name hosts.
    pub host: &'a str,
    pub method: &'a str,
    /// The path alone, without its query.
    pub path: &'a str,
}

/// What the first matching rule decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Matched {
    pub needed: Needed,
    /// The account the path names, when the rule has `{account}`.
    pub account: Option<AccountRef>,
}

/// Why a request is refused before any rule decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unmatched {
    /// No rule matches: refused.
    NoRule,
    /// `.`, `..`, an empty segment, a backslash or an encoded slash: a path the platform might
    /// read otherwise than the rules do, never matched.
    NotCanonical,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rules(Vec<Rule>);

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

impl Rules {
    pub fn parse(text: &str) -> Result<Rules, RulesError> {
        let file: File = toml::from_str(text).map_err(|e| RulesError {
            line: e.span().map_or(1, |span| line_of(text, span.start)),
            message: e.message().trim().to_owned(),
        })?;
        file.rule
            .into_iter()
            .map(|raw| Rule::from_raw(text, raw))
            .collect::<Result<Vec<_>, _>>()
            .map(Rules)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The first rule that matches decides.
    pub fn decide(&self, request: Request) -> Result<Matched, Unmatched> {
        if !canonical(request.path) {
            return Err(Unmatched::NotCanonical);
        }
        let segments: Vec<&str> = request.path[1..].split('/').collect();
        for rule in &self.0 {
            if let Some(host) = &rule.host
                && !host.eq_ignore_ascii_case(request.host)
            {
                continue;
            }
            if let Some(methods) = &rule.methods
                && !methods.iter().any(|m| m == request.method)
            {
                continue;
            }
            if let Some(account) = rule.match_path(&segments) {
                return Ok(Matched {
                    needed: rule.needed,
                    account,
                });
            }
        }
        Err(Unmatched::NoRule)
    }
}

/// A path the rules can be trusted to read as the platform does: absolute, no `.` or `..`
/// segment, no empty segment (`//`), no backslash, nothing percent-encoded that could be a
/// slash, a dot or a backslash once decoded.
fn canonical(path: &str) -> bool {
    if !path.starts_with('/') || path.contains('\\') {
        return false;
    }
    let lower = path.to_ascii_lowercase();
    if ["%2f", "%2e", "%5c", "%00"]
        .iter()
        .any(|encoded| lower.contains(encoded))
    {
        return false;
    }
    let rest = &path[1..];
    rest.is_empty()
        || rest
            .split('/')
            .enumerate()
            .all(|(i, segment)| match segment {
                "." | ".." => false,
                // A trailing slash is the path's own; an empty segment inside it is not.
                "" => i == rest.split('/').count() - 1,
                _ => segment.bytes().all(|b| b.is_ascii_graphic()),
            })
}

impl Rule {
    fn from_raw(text: &str, raw: RawRule) -> Result<Rule, RulesError> {
        let at = |span: std::ops::Range<usize>, message: String| RulesError {
            line: line_of(text, span.start),
            message,
        };
        let path_span = raw.path.span();
        let path = raw.path.into_inner();
        let segments = parse_path(&path).map_err(|message| at(path_span.clone(), message))?;
        let names = |name: &str| {
            segments
                .iter()
                .any(|segment| *segment == Segment::Named(name.to_owned()))
        };
        let permission_span = raw.permission.span();
        let needed = match raw.permission.into_inner().as_str() {
            "public" => Needed::Public,
            code => Needed::Permission(Permission::parse(code).ok_or_else(|| {
                at(
                    permission_span.clone(),
                    format!(
                        "unknown permission {code:?}: use \"public\" or one of docs/permissions.md"
                    ),
                )
            })?),
        };
        if matches!(needed, Needed::Permission(_)) && !names("account") {
            return Err(at(
                path_span,
                "a rule without {account} in its path can only be \"public\"".to_owned(),
            ));
        }
        if names("sub_account") && !names("account") {
            return Err(at(
                path_span,
                "{sub_account} needs {account} in the same path".to_owned(),
            ));
        }
        let methods = match raw.methods {
            None => None,
            Some(methods) => {
                let span = methods.span();
                let methods = methods.into_inner();
                if methods.is_empty()
                    || methods
                        .iter()
                        .any(|m| m.is_empty() || !m.bytes().all(|b| b.is_ascii_uppercase()))
                {
                    return Err(at(
                        span,
                        "methods are upper-case HTTP methods, such as [\"GET\", \"HEAD\"]"
                            .to_owned(),
                    ));
                }
                Some(methods)
            }
        };
        let host = match raw.host {
            None => None,
            Some(host) => {
                let span = host.span();
                let host = host.into_inner();
                if host.is_empty() || host.contains(['/', ':', ' ']) {
                    return Err(at(
                        span,
                        format!("{host:?} is not a host name, such as \"app.example.com\""),
                    ));
                }
                Some(host.to_ascii_lowercase())
            }
        };
        Ok(Rule {
            host,
            methods,
            segments,
            needed,
        })
    }

    /// `None` when the path does not match; else the account it names, if any.
    fn match_path(&self, path: &[&str]) -> Option<Option<AccountRef>> {
        let (mut master, mut sub) = (None, None);
        let mut i = 0;
        for segment in &self.segments {
            match segment {
                Segment::Rest => return account_of(master, sub),
                Segment::Literal(literal) => {
                    if path.get(i) != Some(&literal.as_str()) {
                        return None;
                    }
                }
                Segment::Named(name) => {
                    let value = *path.get(i)?;
                    if value.is_empty() {
                        return None;
                    }
                    match name.as_str() {
                        "account" => master = Some(id(value)?),
                        "sub_account" => sub = Some(id(value)?),
                        _ => {}
                    }
                }
            }
            i += 1;
        }
        (i == path.len()).then_some(())?;
        account_of(master, sub)
    }
}

/// An id as forms and links write it: digits, no sign, no leading zero, within i64.
fn id(text: &str) -> Option<i64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) || text.starts_with('0') {
        return None;
    }
    text.parse().ok()
}

/// `Some(None)` for no account, `Some(Some(..))` for one, `None` for a path whose ids do not
/// parse (it matches nothing then).
fn account_of(master: Option<i64>, sub: Option<i64>) -> Option<Option<AccountRef>> {
    Some(master.map(|master| match sub {
        None => AccountRef::master(MasterAccountId(master)),
        Some(sub) => AccountRef::sub(MasterAccountId(master), SubAccountId(sub)),
    }))
}

fn parse_path(path: &str) -> Result<Vec<Segment>, String> {
    let Some(rest) = path.strip_prefix('/') else {
        return Err(format!("path {path:?} must start with /"));
    };
    let parts: Vec<&str> = rest.split('/').collect();
    let mut segments = Vec::new();
    for (i, part) in parts.iter().enumerate() {
        let segment = if *part == "**" {
            if i != parts.len() - 1 {
                return Err(format!("** must end the path {path:?}"));
            }
            Segment::Rest
        } else if let Some(name) = part.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
            if name.is_empty() || !name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
                return Err(format!("{{{name}}} is not a name: use letters and _"));
            }
            let named = Segment::Named(name.to_owned());
            if segments.contains(&named) {
                return Err(format!("{{{name}}} appears twice in {path:?}"));
            }
            named
        } else if part.contains(['{', '}', '*']) || *part == "." || *part == ".." {
            return Err(format!("{part:?} in {path:?}: use {{name}} or a final **"));
        } else {
            Segment::Literal((*part).to_owned())
        };
        segments.push(segment);
    }
    Ok(segments)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"
[[rule]]
path = "/health"
permission = "public"

[[rule]]
host = "App.Example.com"
methods = ["GET", "HEAD"]
path = "/accounts/{account}/sub-accounts/{sub_account}/campaigns/**"
permission = "campaigns"

[[rule]]
path = "/accounts/{account}/transactional/templates/{id}/publish"
methods = ["POST"]
permission = "transactional:templates.publish"
"#;

    fn request<'a>(host: &'a str, method: &'a str, path: &'a str) -> Request<'a> {
        Request { host, method, path }
    }

    #[test]
    fn the_first_matching_rule_decides_and_reads_the_account() {
        let rules = Rules::parse(SAMPLE).unwrap();
        assert_eq!(rules.len(), 3);
        let matched = rules
            .decide(request(
                "app.example.com",
                "GET",
                "/accounts/42/sub-accounts/7/campaigns",
            ))
            .unwrap();
        assert_eq!(
            matched.needed,
            Needed::Permission(Permission::parse("campaigns").unwrap())
        );
        assert_eq!(matched.account.unwrap().value(), "42:7");
        // ** takes the rest, nothing included.
        assert!(
            rules
                .decide(request(
                    "app.example.com",
                    "HEAD",
                    "/accounts/42/sub-accounts/7/campaigns/a/b/c"
                ))
                .is_ok()
        );
        // Another host or method is not this rule.
        for (host, method) in [("other.example.com", "GET"), ("app.example.com", "POST")] {
            assert_eq!(
                rules.decide(request(
                    host,
                    method,
                    "/accounts/42/sub-accounts/7/campaigns"
                )),
                Err(Unmatched::NoRule)
            );
        }
        let publish = rules
            .decide(request(
                "x",
                "POST",
                "/accounts/42/transactional/templates/9/publish",
            ))
            .unwrap();
        assert_eq!(publish.account.unwrap().value(), "42");
        assert_eq!(
            rules.decide(request("x", "GET", "/health")).unwrap(),
            Matched {
                needed: Needed::Public,
                account: None
            }
        );
        // A segment too many or too few, or an id that is not one, matches nothing.
        for path in [
            "/accounts/42/transactional/templates/9/publish/now",
            "/accounts/42/transactional/templates/publish",
            "/accounts/0042/transactional/templates/9/publish",
            "/accounts/-1/transactional/templates/9/publish",
            "/accounts/99999999999999999999/transactional/templates/9/publish",
        ] {
            assert_eq!(
                rules.decide(request("x", "POST", path)),
                Err(Unmatched::NoRule),
                "{path}"
            );
        }
    }

    #[test]
    fn paths_that_could_be_read_two_ways_match_nothing() {
        let rules = Rules::parse(SAMPLE).unwrap();
        for path in [
            "/accounts/42/../43/transactional/templates/9/publish",
            "/accounts/42/./transactional/templates/9/publish",
            "/accounts//42/transactional/templates/9/publish",
            "/accounts/42%2F..%2F43/transactional/templates/9/publish",
            "/accounts/42/transactional/templates/9/publish%2e",
            "/accounts\\42/transactional",
            "accounts/42",
            "",
            "/health%00",
        ] {
            assert_eq!(
                rules.decide(request("x", "POST", path)),
                Err(Unmatched::NotCanonical),
                "{path:?}"
            );
        }
    }

    #[test]
    fn a_rules_file_that_cannot_be_used_names_its_line() {
        let cases = [
            (
                "[[rule]]\npath = \"/a/{account}\"\npermission = \"sharing\"\n",
                3,
                "unknown permission",
            ),
            (
                "[[rule]]\npath = \"/a\"\npermission = \"campaigns\"\n",
                2,
                "{account}",
            ),
            (
                "[[rule]]\npath = \"/a/**/b\"\npermission = \"public\"\n",
                2,
                "**",
            ),
            (
                "[[rule]]\npath = \"/a\"\npermission = \"public\"\ncolour = \"red\"\n",
                4,
                "unknown field",
            ),
            ("[[rule]]\npath = \"/a\"\n\npermission = \n", 4, ""),
            (
                "[[rule]]\nmethods = [\"get\"]\npath = \"/a\"\npermission = \"public\"\n",
                2,
                "upper-case",
            ),
            (
                "[[rule]]\nhost = \"https://app\"\npath = \"/a\"\npermission = \"public\"\n",
                2,
                "host",
            ),
            (
                "[[rule]]\npath = \"/a/{sub_account}\"\npermission = \"public\"\n",
                2,
                "{account}",
            ),
            ("[[rule]]\npermission = \"public\"\n", 1, "path"),
        ];
        for (text, line, says) in cases {
            let error = Rules::parse(text).unwrap_err();
            assert_eq!(error.line, line, "{text:?}: {error}");
            assert!(error.message.contains(says), "{text:?}: {error}");
        }
        assert!(Rules::parse("").unwrap().is_empty());
    }
}
