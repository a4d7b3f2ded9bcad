//! Single sign-on (issue 22): the owner's page (/sharing/sso: the provider and the domains), the
//! proof link a domain's mailbox confirms (/sso/domains/confirm), and the round trip through the
//! provider (/sso/start, /sso/callback).

use actix_web::{HttpResponse, http::StatusCode, web};
use askama::Template;
use serde::Deserialize;

use super::{safe_next, sessions::sign_in_page};
use crate::web::filters;
use crate::{
    domain::{
        email::EmailAddress,
        sso::{DomainError, IssuerError},
    },
    error::AppResult,
    messages,
    routes::other_account,
    services::{
        limits::{self, Limited},
        owner::Owner,
        sso::{self, ClaimRefusal, ConnectionRefusal, DnsRefusal, Refusal, SIGN_IN_WINDOW},
    },
    state::AppState,
    web::{
        client_ip::ClientIp,
        current::CurrentOwner,
        form::{Form, FormErrors},
        layout::Layout,
        render::{render_page, see_other},
        session::TypedSession,
    },
};

const BACK: &str = "/sharing/sso";

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ConnectionForm {
    #[serde(default)]
    issuer: String,
    #[serde(default)]
    client_id: String,
    #[serde(default)]
    client_secret: String,
    #[serde(default)]
    for_account: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct DomainForm {
    #[serde(default)]
    domain: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    for_account: Option<String>,
}

/// A domain as the page lists it.
pub struct DomainLine {
    pub domain: String,
    /// "Proven on …" or "Waiting for … to confirm".
    pub state: String,
    pub proven: bool,
    /// While waiting: the TXT record's name and text that prove it too.
    pub dns_name: String,
    pub dns_text: String,
}

#[derive(Template)]
#[template(path = "sharing/sso.html")]
struct SsoPage {
    layout: Layout,
    for_account: i64,
    redirect_uri: String,
    issuer: String,
    client_id: String,
    has_secret: bool,
    domains: Vec<DomainLine>,
    domain: String,
    address: String,
    errors: FormErrors,
}

/// What the forms show when one was refused: what was typed.
#[derive(Default)]
struct Typed {
    issuer: Option<String>,
    client_id: Option<String>,
    domain: String,
    address: String,
}

async fn page(
    state: &AppState,
    owner: &Owner,
    layout: Layout,
    typed: Typed,
    errors: FormErrors,
) -> AppResult<HttpResponse> {
    let l = layout.locale;
    let overview = sso::overview(state, owner).await?;
    let page = SsoPage {
        for_account: owner.master().0,
        redirect_uri: format!(
            "{}/sso/callback",
            state.settings.base_url.trim_end_matches('/')
        ),
        has_secret: overview.issuer.is_some(),
        issuer: typed.issuer.or(overview.issuer).unwrap_or_default(),
        client_id: typed.client_id.or(overview.client_id).unwrap_or_default(),
        domains: overview
            .domains
            .into_iter()
            .map(|domain| {
                let (dns_name, dns_text) = match domain.verified_at {
                    None => sso::dns_record(state, domain.master_account_id, &domain.domain),
                    Some(_) => Default::default(),
                };
                DomainLine {
                    dns_name,
                    dns_text,
                    state: match domain.verified_at {
                        Some(at) => l.tr1("sso-domain-proven", "date", l.date(at)),
                        None => l.tr1(
                            "sso-domain-waiting",
                            "address",
                            domain.proof_address.as_str(),
                        ),
                    },
                    proven: domain.verified_at.is_some(),
                    domain: domain.domain,
                }
            })
            .collect(),
        domain: typed.domain,
        address: typed.address,
        errors,
        layout,
    };
    Ok(render_page(page.errors.status(), &page))
}

pub async fn show(
    state: web::Data<AppState>,
    CurrentOwner(owner): CurrentOwner,
    layout: Layout,
) -> AppResult<HttpResponse> {
    page(
        &state,
        &owner,
        layout,
        Typed::default(),
        FormErrors::default(),
    )
    .await
}

/// Saves the provider once it answers as one.
pub async fn save_connection(
    state: web::Data<AppState>,
    session: TypedSession,
    CurrentOwner(owner): CurrentOwner,
    layout: Layout,
    Form(form): Form<ConnectionForm>,
) -> AppResult<HttpResponse> {
    if let Some(page) = other_account::refusal(&layout, &owner, form.for_account.as_deref(), BACK)?
    {
        return Ok(page);
    }
    let l = layout.locale;
    let saved = sso::save_connection(
        &state,
        &owner,
        &form.issuer,
        &form.client_id,
        &form.client_secret,
    )
    .await?;
    let (field, words) = match saved {
        Ok(()) => {
            session.set_flash(&l.t("sso-flash-saved"))?;
            return Ok(see_other(BACK));
        }
        Err(ConnectionRefusal::Issuer(IssuerError::Empty)) => ("issuer", l.t("sso-issuer-empty")),
        Err(ConnectionRefusal::Issuer(IssuerError::NotHttps)) => {
            ("issuer", l.t("sso-issuer-https"))
        }
        Err(ConnectionRefusal::Issuer(_)) => ("issuer", l.t("sso-issuer-plain")),
        Err(ConnectionRefusal::ClientId) => ("client_id", l.t("sso-client-id-empty")),
        Err(ConnectionRefusal::Secret) => ("client_secret", l.t("sso-secret-empty")),
        Err(ConnectionRefusal::Discovery(why)) => (
            "issuer",
            l.tr1("sso-issuer-unreachable", "why", why.as_str()),
        ),
    };
    let mut errors = FormErrors::default();
    errors.add(field, words);
    let typed = Typed {
        issuer: Some(form.issuer),
        client_id: Some(form.client_id),
        ..Typed::default()
    };
    page(&state, &owner, layout, typed, errors).await
}

/// Claims a domain: the proof link goes to the address given, at that domain.
pub async fn claim_domain(
    state: web::Data<AppState>,
    session: TypedSession,
    CurrentOwner(owner): CurrentOwner,
    layout: Layout,
    Form(form): Form<DomainForm>,
) -> AppResult<HttpResponse> {
    if let Some(page) = other_account::refusal(&layout, &owner, form.for_account.as_deref(), BACK)?
    {
        return Ok(page);
    }
    let l = layout.locale;
    let mut errors = FormErrors::default();
    let address = match EmailAddress::parse(&form.address) {
        Ok(address) => Some(address),
        Err(error) => {
            errors.add("address", messages::email_error(l, error));
            None
        }
    };
    if let Some(address) = address {
        match sso::claim_domain(&state, &owner, &form.domain, &address).await? {
            Ok(domain) => {
                session.set_flash(&l.tr(
                    "sso-flash-claimed",
                    &[
                        ("domain", domain.as_str().into()),
                        ("address", address.as_str().into()),
                    ],
                ))?;
                return Ok(see_other(BACK));
            }
            Err(ClaimRefusal::Domain(DomainError::Invalid)) => {
                errors.add("domain", l.t("sso-domain-invalid"))
            }
            Err(ClaimRefusal::Domain(DomainError::Public)) => {
                errors.add("domain", l.t("sso-domain-public"))
            }
            Err(ClaimRefusal::AddressElsewhere) => {
                errors.add("address", l.t("sso-address-elsewhere"))
            }
        }
    }
    let typed = Typed {
        domain: form.domain,
        address: form.address,
        ..Typed::default()
    };
    page(&state, &owner, layout, typed, errors).await
}

/// The forms that act on one claimed domain: Remove, and Check the DNS record.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DomainActionForm {
    #[serde(default)]
    for_account: Option<String>,
}

pub async fn remove_domain(
    state: web::Data<AppState>,
    session: TypedSession,
    CurrentOwner(owner): CurrentOwner,
    layout: Layout,
    path: web::Path<String>,
    Form(form): Form<DomainActionForm>,
) -> AppResult<HttpResponse> {
    if let Some(page) = other_account::refusal(&layout, &owner, form.for_account.as_deref(), BACK)?
    {
        return Ok(page);
    }
    let domain = path.into_inner();
    sso::remove_domain(&state, &owner, domain.clone()).await?;
    session.set_flash(&layout.tr1("sso-flash-removed", "domain", domain.as_str()))?;
    Ok(see_other(BACK))
}

/// "Check the DNS record": proves a claimed domain by its TXT record.
pub async fn check_dns(
    state: web::Data<AppState>,
    session: TypedSession,
    CurrentOwner(owner): CurrentOwner,
    layout: Layout,
    path: web::Path<String>,
    Form(form): Form<DomainActionForm>,
) -> AppResult<HttpResponse> {
    if let Some(page) = other_account::refusal(&layout, &owner, form.for_account.as_deref(), BACK)?
    {
        return Ok(page);
    }
    let domain = path.into_inner();
    let l = layout.locale;
    let refusal = match sso::prove_by_dns(&state, &owner, &domain).await? {
        Ok(()) => {
            session.set_flash(&l.tr1("sso-flash-dns-proven", "domain", domain.as_str()))?;
            return Ok(see_other(BACK));
        }
        Err(DnsRefusal::NotFound) => l.tr1("sso-dns-not-found", "domain", domain.as_str()),
        Err(DnsRefusal::Unanswered(why)) => l.tr1("sso-dns-unanswered", "why", why.as_str()),
        Err(DnsRefusal::Taken) => l.tr1("sso-taken", "domain", domain.as_str()),
    };
    let mut errors = FormErrors::default();
    errors.add(format!("dns-{domain}"), refusal);
    page(&state, &owner, layout, Typed::default(), errors).await
}

#[derive(Deserialize)]
pub struct TokenQuery {
    token: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfirmForm {
    #[serde(default)]
    token: String,
}

#[derive(Template)]
#[template(path = "sso/confirm_domain.html")]
struct ConfirmPage {
    layout: Layout,
    /// `None` when the link does not work.
    domain: Option<String>,
    token: String,
    /// After the button: proven, or proven by another owner first.
    done: Option<bool>,
}

/// The proof link: asks first, so a mail scanner opening it proves nothing.
pub async fn confirm_page(
    state: web::Data<AppState>,
    layout: Layout,
    query: web::Query<TokenQuery>,
) -> AppResult<HttpResponse> {
    let token = query.token.clone().unwrap_or_default();
    let claim = sso::claim_of_link(&state, &token).await?;
    let status = if claim.is_some() {
        StatusCode::OK
    } else {
        StatusCode::NOT_FOUND
    };
    let page = ConfirmPage {
        domain: claim.map(|claim| claim.domain),
        token,
        done: None,
        layout,
    };
    Ok(render_page(status, &page))
}

pub async fn confirm(
    state: web::Data<AppState>,
    layout: Layout,
    Form(form): Form<ConfirmForm>,
) -> AppResult<HttpResponse> {
    let (status, domain, done) = match sso::prove_domain(&state, &form.token).await? {
        None => (StatusCode::NOT_FOUND, None, None),
        Some(Ok(domain)) => (StatusCode::OK, Some(domain), Some(true)),
        Some(Err(domain)) => (StatusCode::CONFLICT, Some(domain), Some(false)),
    };
    let page = ConfirmPage {
        domain,
        token: String::new(),
        done,
        layout,
    };
    Ok(render_page(status, &page))
}

#[derive(Deserialize)]
pub struct StartQuery {
    email: Option<String>,
    next: Option<String>,
}

/// Sends the browser to the provider of the address's domain.
pub async fn start(
    state: web::Data<AppState>,
    session: TypedSession,
    layout: Layout,
    ClientIp(ip): ClientIp,
    query: web::Query<StartQuery>,
) -> AppResult<HttpResponse> {
    let next = safe_next(query.next.as_deref(), &state.settings.platform_origins).to_owned();
    let typed = query.email.clone().unwrap_or_default();
    let Ok(email) = EmailAddress::parse(&typed) else {
        return Ok(see_other("/sign-in"));
    };
    let Some(route) = sso::route_for(&state, &email).await? else {
        return Ok(see_other(&format!(
            "/sign-in?email={}",
            super::query_value(email.as_str())
        )));
    };
    // Each start costs the provider a discovery fetch: one client cannot make this service
    // hammer it.
    limits::count_all(&state, vec![(Limited::SsoStartsPerIp, ip.to_string())]).await?;
    match sso::begin(&state, &route, &email, &next).await? {
        Ok((url, pending)) => {
            session.await_provider(&pending)?;
            Ok(HttpResponse::SeeOther()
                .insert_header((actix_web::http::header::LOCATION, url))
                .finish())
        }
        Err(why) => {
            tracing::warn!(issuer = %route.issuer, why, "SSO provider unreachable");
            let mut errors = FormErrors::default();
            errors.add("email", layout.t("sso-provider-down"));
            Ok(sign_in_page(&state, layout, typed, &next, errors))
        }
    }
}

#[derive(Deserialize)]
pub struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

/// The provider's answer: checked against what the session kept, then the person is signed in.
pub async fn callback(
    state: web::Data<AppState>,
    session: TypedSession,
    layout: Layout,
    query: web::Query<CallbackQuery>,
) -> AppResult<HttpResponse> {
    let l = layout.locale;
    let pending = session.take_provider_pending();
    let fresh = pending
        .as_ref()
        .is_some_and(|p| state.settings.clock.now() - p.started_at < SIGN_IN_WINDOW);
    let (email, next) = pending
        .as_ref()
        .map(|p| (p.email.clone(), p.next.clone()))
        .unwrap_or_default();
    let refuse = |layout: Layout, words: String| {
        let mut errors = FormErrors::default();
        errors.add("email", words);
        Ok(sign_in_page(&state, layout, email.clone(), &next, errors))
    };
    let Some(pending) = pending.filter(|p| fresh && Some(&p.state) == query.state.as_ref()) else {
        return refuse(layout, l.t("sso-not-started-here"));
    };
    if let Some(error) = &query.error {
        let error: String = error.chars().take(80).collect();
        return refuse(layout, l.tr1("sso-provider-said", "error", error.as_str()));
    }
    let Some(code) = query
        .code
        .as_deref()
        .filter(|code| !code.is_empty() && code.len() < 2000)
    else {
        return refuse(layout, l.t("sso-not-started-here"));
    };
    match sso::finish(&state, &pending, code).await? {
        Ok(signed_in) => {
            session.sign_in(signed_in.person, signed_in.owns_account)?;
            super::sessions::signed_in_to(&state, &signed_in, l, &pending.next).await
        }
        Err(Refusal::OtherAddress(claimed)) => refuse(
            layout,
            l.tr(
                "sso-other-address",
                &[
                    ("claimed", claimed.as_str().into()),
                    ("email", pending.email.as_str().into()),
                ],
            ),
        ),
        Err(Refusal::Token(why)) => {
            tracing::warn!(why, "SSO ID token refused");
            refuse(layout, l.tr1("sso-token-refused", "why", why.as_str()))
        }
        Err(Refusal::NoLongerRouted) => refuse(layout, l.t("sso-not-started-here")),
    }
}

/// Whether an address signs in through a provider: where the sign-in form sends it instead of
/// checking a password.
pub async fn provider_sign_in(
    state: &AppState,
    email: &EmailAddress,
    next: &str,
) -> AppResult<Option<HttpResponse>> {
    if sso::route_for(state, email).await?.is_none() {
        return Ok(None);
    }
    Ok(Some(see_other(&format!(
        "/sso/start?email={}&next={}",
        super::query_value(email.as_str()),
        super::query_value(next)
    ))))
}
