//! Single sign-on with OpenID Connect (issue 22), per owner. The owner registers a provider (an
//! issuer, a client id and a secret) and proves email domains theirs by a link mailed to an
//! address at each. From then on an address at a proven domain signs in through that owner's
//! provider: the authorization code flow with PKCE, `state` and `nonce`, the ID token's signature,
//! issuer, audience and expiry checked by `openidconnect`, and its `email` held to the address
//! that started. The owner's own login is never sent there, so a broken provider cannot lock
//! them out.

use std::time::Duration;

use openidconnect::{
    AuthenticationFlow, AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl, Nonce,
    PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope, TokenResponse,
    core::{CoreClient, CoreProviderMetadata, CoreResponseType},
};
use serde::{Deserialize, Serialize};

use crate::{
    db::{self, people::NewPerson},
    domain::{
        email::EmailAddress,
        sso::{self, DomainError, IssuerError},
    },
    error::{AppError, AppResult},
    mail::{self, Envelope, Mail},
    secrets,
    services::{
        accounts::SigningIn,
        limits::{self, Limited},
        owner::Owner,
    },
    state::AppState,
};

/// How long the provider has to answer, and a sign-in to come back.
const PROVIDER_TIMEOUT: Duration = Duration::from_secs(10);
pub const SIGN_IN_WINDOW: chrono::Duration = chrono::Duration::minutes(10);

/// The associated data a client secret is sealed with: the account it belongs to.
fn context(master: i64) -> Vec<u8> {
    format!("sso-client-secret:{master}").into_bytes()
}

/// The HTTP client openidconnect speaks through: the service's own reqwest, never following a
/// redirect (SSRF, as openidconnect's documentation warns).
fn http_client() -> AppResult<reqwest::Client> {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(PROVIDER_TIMEOUT)
        .user_agent("account-sharing-sso/1")
        .build()
        .map_err(|e| AppError::Internal(anyhow::anyhow!("SSO HTTP client: {e}")))
}

async fn send(
    client: reqwest::Client,
    request: openidconnect::HttpRequest,
) -> Result<openidconnect::HttpResponse, reqwest::Error> {
    let (parts, body) = request.into_parts();
    let response = client
        .request(parts.method, parts.uri.to_string())
        .headers(parts.headers)
        .body(body)
        .send()
        .await?;
    let mut answer = openidconnect::http::Response::builder().status(response.status());
    if let Some(headers) = answer.headers_mut() {
        *headers = response.headers().clone();
    }
    let body = response.bytes().await?.to_vec();
    Ok(answer
        .body(body)
        .unwrap_or_else(|_| openidconnect::http::Response::new(Vec::new())))
}

/// The provider's metadata (OpenID Connect Discovery), or why it cannot be had, in words.
async fn discover(issuer: &str) -> Result<CoreProviderMetadata, String> {
    let client = http_client().map_err(|e| e.to_string())?;
    let http = |request| send(client.clone(), request);
    let issuer = IssuerUrl::new(issuer.to_owned()).map_err(|e| e.to_string())?;
    CoreProviderMetadata::discover_async(issuer, &http)
        .await
        .map_err(|e| {
            let mut words = e.to_string();
            if let Some(source) = std::error::Error::source(&e) {
                words = format!("{words}: {source}");
            }
            words.chars().take(300).collect()
        })
}

/// What the SSO page shows.
pub struct Overview {
    pub issuer: Option<String>,
    pub client_id: Option<String>,
    pub domains: Vec<db::sso::Domain>,
}

pub async fn overview(state: &AppState, owner: &Owner) -> AppResult<Overview> {
    let master = owner.master().0;
    let overview = state
        .db
        .run(move |conn| Ok(db::sso::overview(conn, master)?))
        .await?;
    Ok(Overview {
        issuer: overview.issuer,
        client_id: overview.client_id,
        domains: serde_json::from_value(overview.domains)
            .map_err(|e| AppError::Internal(anyhow::anyhow!("SSO domains unreadable: {e}")))?,
    })
}

/// Why a provider was not saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConnectionRefusal {
    Issuer(IssuerError),
    ClientId,
    Secret,
    /// The issuer did not answer as an OpenID Connect provider: the words say how.
    Discovery(String),
}

/// Saves the owner's provider once its discovery document answers; an empty `secret` keeps the
/// one saved before.
pub async fn save_connection(
    state: &AppState,
    owner: &Owner,
    issuer: &str,
    client_id: &str,
    secret: &str,
) -> AppResult<Result<(), ConnectionRefusal>> {
    let issuer = match sso::issuer_url(issuer) {
        Ok(issuer) => issuer,
        Err(error) => return Ok(Err(ConnectionRefusal::Issuer(error))),
    };
    let client_id = client_id.trim();
    if client_id.is_empty() || client_id.len() > 500 || client_id.chars().any(char::is_control) {
        return Ok(Err(ConnectionRefusal::ClientId));
    }
    if secret.len() > 1000 || secret.chars().any(char::is_control) {
        return Ok(Err(ConnectionRefusal::Secret));
    }
    if let Err(words) = discover(&issuer).await {
        return Ok(Err(ConnectionRefusal::Discovery(words)));
    }
    let master = owner.master().0;
    let sealed =
        (!secret.is_empty()).then(|| state.sealer.seal(secret.as_bytes(), &context(master)));
    let client_id = client_id.to_owned();
    let now = state.settings.clock.now();
    state
        .db
        .run(move |conn| {
            let sealed = match sealed {
                Some(sealed) => sealed,
                None => match db::sso::connection(conn, master)? {
                    Some(saved) => saved.sealed_secret,
                    None => return Ok(Err(ConnectionRefusal::Secret)),
                },
            };
            db::sso::save_connection(conn, master, &issuer, &client_id, &sealed, now)?;
            Ok(Ok(()))
        })
        .await
}

/// Why a domain was not claimed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimRefusal {
    Domain(DomainError),
    /// The address to prove it with is not at the domain.
    AddressElsewhere,
}

/// Claims `domain` for the owner and mails the proof link to `address`, at that domain.
pub async fn claim_domain(
    state: &AppState,
    owner: &Owner,
    domain: &str,
    address: &EmailAddress,
) -> AppResult<Result<String, ClaimRefusal>> {
    let domain = match sso::claimable_domain(domain) {
        Ok(domain) => domain,
        Err(error) => return Ok(Err(ClaimRefusal::Domain(error))),
    };
    if sso::domain_of(address) != domain {
        return Ok(Err(ClaimRefusal::AddressElsewhere));
    }
    owner.may_send_mail()?;
    let owner = owner.clone();
    let address = address.as_str().to_owned();
    let now = state.settings.clock.now();
    let rates = state.settings.rates;
    let claimed = domain.clone();
    state
        .db
        .transaction(move |conn| {
            let master = owner.master().0;
            // Counted with the claim: each is a mail to an address the owner chose.
            limits::count(
                conn,
                &rates,
                Limited::DomainProofsPerOwner,
                &owner.person_id.to_string(),
                now,
            )?;
            db::sso::claim(conn, master, &domain, &address, now)?;
            let envelope = Envelope {
                recipient: &address,
                master_account_id: Some(master),
                member_id: None,
                locale: owner.locale,
            };
            let proof = Mail::DomainProof {
                master_account_id: master,
                domain,
                owner_name: owner.name.clone(),
                owner_email: owner.email.clone(),
            };
            mail::enqueue(conn, &envelope, &proof)
        })
        .await?;
    state.outbox.wake();
    Ok(Ok(claimed))
}

/// The claim a proof link stands for, while it works.
pub async fn claim_of_link(state: &AppState, token: &str) -> AppResult<Option<db::sso::Domain>> {
    let Some(hash) = secrets::presented_hash(token, "") else {
        return Ok(None);
    };
    let now = state.settings.clock.now();
    state
        .db
        .run(move |conn| Ok(db::sso::claim_of_token(conn, &hash, now)?))
        .await
}

/// Proves the claim the link stands for. `Ok(None)` when the link does not work (any more);
/// `Ok(Some(Err(domain)))` when another owner proved that domain first.
pub async fn prove_domain(
    state: &AppState,
    token: &str,
) -> AppResult<Option<Result<String, String>>> {
    let Some(hash) = secrets::presented_hash(token, "") else {
        return Ok(None);
    };
    let now = state.settings.clock.now();
    state
        .db
        .transaction(move |conn| {
            let Some(claim) = db::sso::claim_of_token(conn, &hash, now)? else {
                return Ok(None);
            };
            let proven = db::sso::prove(conn, claim.master_account_id, &claim.domain, now)?;
            Ok(Some(if proven {
                Ok(claim.domain)
            } else {
                Err(claim.domain)
            }))
        })
        .await
}

/// The TXT record that proves `domain` the owner's, as the page shows it: the same each time,
/// computable only by this service (an HMAC under a key derived from SESSION_KEY), different for
/// each owner and domain, so nothing is stored for it.
pub fn dns_record(state: &AppState, master: i64, domain: &str) -> (String, String) {
    let tag = state
        .sealer
        .tag(format!("sso-domain-dns:{master}:{domain}").as_bytes());
    // Hex: nothing in it a line could break at, or a DNS panel could take for a separator.
    let value: String = tag[..20].iter().map(|b| format!("{b:02x}")).collect();
    (sso::dns_record_name(domain), sso::dns_record_text(&value))
}

/// Why a domain's DNS record did not prove it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DnsRefusal {
    /// The name has no TXT record with the expected text (yet: records take time to spread).
    NotFound,
    /// The resolver did not answer: the words say how.
    Unanswered(String),
    /// Another owner proved the domain first.
    Taken,
}

/// The TXT strings at `name`, each record's strings joined; none for a name that does not exist.
async fn txt_records(state: &AppState, name: &str) -> Result<Vec<String>, String> {
    use hickory_resolver::{
        Resolver,
        config::{NameServerConfig, ResolverConfig},
        net::runtime::TokioRuntimeProvider,
        proto::rr::RData,
    };
    let provider = TokioRuntimeProvider::default();
    let mut builder = match state.settings.dns_server {
        Some(server) => {
            let mut config = NameServerConfig::udp_and_tcp(server.ip());
            for connection in &mut config.connections {
                connection.port = server.port();
            }
            Resolver::builder_with_config(ResolverConfig::from_name_servers(vec![config]), provider)
        }
        None => Resolver::builder(provider).map_err(|e| e.to_string())?,
    };
    let options = builder.options_mut();
    options.timeout = std::time::Duration::from_secs(5);
    options.attempts = 1;
    // An owner who just added the record checks again at once: no answer is kept.
    options.cache_size = 0;
    let resolver = builder.build().map_err(|e| e.to_string())?;
    let fqdn = format!("{name}.");
    match resolver.txt_lookup(fqdn.as_str()).await {
        Ok(lookup) => Ok(lookup
            .answers()
            .iter()
            .filter_map(|record| match &record.data {
                RData::TXT(txt) => Some(
                    txt.txt_data
                        .iter()
                        .map(|part| String::from_utf8_lossy(part))
                        .collect::<String>(),
                ),
                _ => None,
            })
            .collect()),
        Err(error) if error.is_no_records_found() || error.is_nx_domain() => Ok(Vec::new()),
        Err(error) => Err(error.to_string()),
    }
}

/// Proves a claimed domain by its TXT record, instead of the mailed link.
pub async fn prove_by_dns(
    state: &AppState,
    owner: &Owner,
    domain: &str,
) -> AppResult<Result<(), DnsRefusal>> {
    let master = owner.master().0;
    let wanted = domain.to_owned();
    let claimed = state
        .db
        .run(move |conn| Ok(db::sso::domains(conn, master)?))
        .await?
        .into_iter()
        .any(|claim| claim.domain == wanted && claim.verified_at.is_none());
    if !claimed {
        return Err(AppError::NotFound);
    }
    let (name, text) = dns_record(state, master, domain);
    let records = match txt_records(state, &name).await {
        Ok(records) => records,
        Err(words) => return Ok(Err(DnsRefusal::Unanswered(words))),
    };
    if !sso::dns_record_found(&records, &text) {
        return Ok(Err(DnsRefusal::NotFound));
    }
    let now = state.settings.clock.now();
    let domain = domain.to_owned();
    let proven = state
        .db
        .transaction(move |conn| Ok(db::sso::prove(conn, master, &domain, now)?))
        .await?;
    Ok(if proven {
        Ok(())
    } else {
        Err(DnsRefusal::Taken)
    })
}

pub async fn remove_domain(state: &AppState, owner: &Owner, domain: String) -> AppResult<()> {
    let master = owner.master().0;
    let removed = state
        .db
        .run(move |conn| Ok(db::sso::remove(conn, master, &domain)?))
        .await?;
    if removed {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// Where an address signs in when not here: the provider of the owner who proved its domain.
#[derive(Debug, Clone)]
pub struct Route {
    pub master: i64,
    pub issuer: String,
    pub client_id: String,
    sealed_secret: Vec<u8>,
}

/// The provider `address` must sign in through, if any: its domain is proven by an owner with a
/// provider, and it is not that owner's own login.
pub async fn route_for(state: &AppState, address: &EmailAddress) -> AppResult<Option<Route>> {
    let domain = sso::domain_of(address).to_owned();
    let address = address.as_str().to_owned();
    state
        .db
        .run(move |conn| {
            let Some((connection, owner_id)) = db::sso::route(conn, &domain)? else {
                return Ok(None);
            };
            let owner = db::people::find_by_id(conn, owner_id)?;
            if owner.is_some_and(|owner| owner.email == address) {
                return Ok(None);
            }
            Ok(Some(Route {
                master: connection.master_account_id,
                issuer: connection.issuer,
                client_id: connection.client_id,
                sealed_secret: connection.sealed_secret,
            }))
        })
        .await
}

/// A sign-in waiting for the provider, kept in the session: what the callback checks.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Pending {
    pub master: i64,
    pub email: String,
    pub state: String,
    pub nonce: String,
    pub verifier: String,
    pub next: String,
    pub started_at: chrono::DateTime<chrono::Utc>,
}

fn redirect_uri(state: &AppState) -> String {
    format!(
        "{}/sso/callback",
        state.settings.base_url.trim_end_matches('/')
    )
}

fn client_of(
    state: &AppState,
    route: &Route,
    metadata: CoreProviderMetadata,
) -> Result<
    CoreClient<
        openidconnect::EndpointSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointMaybeSet,
        openidconnect::EndpointMaybeSet,
    >,
    String,
> {
    let secret = state
        .sealer
        .open(&route.sealed_secret, &context(route.master))
        .ok_or("the client secret does not open under this SESSION_KEY")?;
    let secret = String::from_utf8(secret).map_err(|_| "the client secret is not text")?;
    let redirect = RedirectUrl::new(redirect_uri(state)).map_err(|e| e.to_string())?;
    Ok(CoreClient::from_provider_metadata(
        metadata,
        ClientId::new(route.client_id.clone()),
        Some(ClientSecret::new(secret)),
    )
    .set_redirect_uri(redirect))
}

/// Where to send the browser to sign `email` in at the provider, and what to keep meanwhile.
/// `Err` holds why the provider cannot be reached, in words.
pub async fn begin(
    state: &AppState,
    route: &Route,
    email: &EmailAddress,
    next: &str,
) -> AppResult<Result<(String, Pending), String>> {
    let metadata = match discover(&route.issuer).await {
        Ok(metadata) => metadata,
        Err(words) => return Ok(Err(words)),
    };
    let client = match client_of(state, route, metadata) {
        Ok(client) => client,
        Err(words) => return Ok(Err(words)),
    };
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, csrf, nonce) = client
        .authorize_url(
            AuthenticationFlow::<CoreResponseType>::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .add_scope(Scope::new("email".into()))
        .add_scope(Scope::new("profile".into()))
        .add_extra_param("login_hint", email.as_str())
        .set_pkce_challenge(challenge)
        .url();
    Ok(Ok((
        url.to_string(),
        Pending {
            master: route.master,
            email: email.as_str().to_owned(),
            state: csrf.secret().clone(),
            nonce: nonce.secret().clone(),
            verifier: verifier.secret().clone(),
            next: next.to_owned(),
            started_at: state.settings.clock.now(),
        },
    )))
}

/// Why the provider's answer signs nobody in, in words for the sign-in page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The code could not be exchanged, or the ID token is not valid (signature, issuer,
    /// audience, expiry, nonce): the words say which.
    Token(String),
    /// A valid ID token for another address than the one signing in.
    OtherAddress(String),
    /// The provider is no longer the one for this address.
    NoLongerRouted,
}

/// Exchanges the provider's code for an ID token, checks it, and signs in the address it
/// names, making an access-only login for an address that has none.
pub async fn finish(
    state: &AppState,
    pending: &Pending,
    code: &str,
) -> AppResult<Result<SigningIn, Refusal>> {
    let email = EmailAddress::parse(&pending.email)
        .map_err(|_| AppError::Internal(anyhow::anyhow!("a pending SSO address is not one")))?;
    let Some(route) = route_for(state, &email)
        .await?
        .filter(|r| r.master == pending.master)
    else {
        return Ok(Err(Refusal::NoLongerRouted));
    };
    let metadata = match discover(&route.issuer).await {
        Ok(metadata) => metadata,
        Err(words) => return Ok(Err(Refusal::Token(words))),
    };
    let client = match client_of(state, &route, metadata) {
        Ok(client) => client,
        Err(words) => return Ok(Err(Refusal::Token(words))),
    };
    let http_client = http_client()?;
    let http = |request| send(http_client.clone(), request);
    let exchange = match client.exchange_code(AuthorizationCode::new(code.to_owned())) {
        Ok(exchange) => exchange,
        Err(e) => return Ok(Err(Refusal::Token(e.to_string()))),
    };
    let response = match exchange
        .set_pkce_verifier(PkceCodeVerifier::new(pending.verifier.clone()))
        .request_async(&http)
        .await
    {
        Ok(response) => response,
        Err(e) => return Ok(Err(Refusal::Token(format!("the code was refused: {e}")))),
    };
    let Some(id_token) = response.id_token() else {
        return Ok(Err(Refusal::Token("the provider sent no ID token".into())));
    };
    // Expiry is judged by the service's one clock, as every other expiry here.
    let clock = state.settings.clock.clone();
    let verifier = client.id_token_verifier().set_time_fn(move || clock.now());
    let claims = match id_token.claims(&verifier, &Nonce::new(pending.nonce.clone())) {
        Ok(claims) => claims,
        Err(e) => return Ok(Err(Refusal::Token(e.to_string()))),
    };
    let claimed = claims
        .email()
        .map(|e| e.as_str().to_owned())
        .unwrap_or_default();
    if !sso::same_address(&claimed, &email) {
        return Ok(Err(Refusal::OtherAddress(
            claimed.chars().take(100).collect(),
        )));
    }
    let name = claims
        .name()
        .and_then(|name| name.get(None))
        .map(|name| name.as_str().to_owned())
        .filter(|name| !name.trim().is_empty() && name.len() <= 100)
        .unwrap_or_else(|| {
            email
                .as_str()
                .split('@')
                .next()
                .unwrap_or_default()
                .to_owned()
        });
    // A login made here has no password anyone knows: it signs in through the provider.
    let unusable = crate::services::passwords::hash(state, secrets::random_token()).await?;
    let now = state.settings.clock.now();
    let address = email.as_str().to_owned();
    state
        .db
        .transaction(move |conn| {
            let person = match db::people::find_by_email(conn, &address)? {
                Some(person) => person,
                None => {
                    let new = NewPerson {
                        email: &address,
                        display_name: &name,
                        password_hash: &unusable,
                        locale: None,
                    };
                    match db::people::insert_if_new(conn, &new)? {
                        Some(person) => person,
                        None => {
                            db::people::find_by_email(conn, &address)?.ok_or(AppError::NotFound)?
                        }
                    }
                }
            };
            // The provider vouches for the address, at a domain its owner proved.
            db::people::mark_verified(conn, person.id, now)?;
            Ok(Ok(crate::services::accounts::record_sign_in(
                conn,
                person.person_id(),
                now,
            )?))
        })
        .await
}
