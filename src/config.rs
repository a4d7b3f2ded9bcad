//! Typed settings read from environment variables; README.md documents every one.

use std::{net::IpAddr, path::PathBuf, time::Duration};

use base64::Engine;

use crate::domain::{
    forward_rules::Rules,
    limits::Rate,
    origins::{Origin, Scheme},
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Environment {
    Development,
    Production,
}

#[derive(Clone)]
pub enum MailTransportSettings {
    /// A lettre SMTP URL, e.g. `smtps://user:pass@relay.example.com:465`.
    Smtp { url: String },
    /// Development: messages are kept as files in this folder and listed at /dev/mailbox.
    DevMailbox { dir: PathBuf },
}

#[derive(Clone)]
pub struct Settings {
    pub environment: Environment,
    pub bind_address: String,
    /// Where people reach the service; every link in mail is built from it, never from the
    /// request's Host header (R10). No trailing slash.
    pub base_url: String,
    pub database_url: String,
    pub database_pool_size: u32,
    /// Threads taking HTTP requests (HTTP_WORKERS). Twice the cores by default: a page's read
    /// runs on the thread that took the request (`db::Db::read`), so while half of them wait on
    /// PostgreSQL the other half keep the cores busy.
    pub http_workers: usize,
    /// Off behind PgBouncer in transaction mode, which cannot carry prepared statements from one
    /// transaction to the next.
    pub database_prepared_statements: bool,
    pub mail_transport: MailTransportSettings,
    pub mail_from: String,
    /// 64 bytes or more; signs the session cookie. Generated at start when absent, which signs
    /// everyone out on restart: production requires it.
    pub session_key: Option<Vec<u8>>,
    pub session_idle_timeout: Duration,
    pub session_absolute_timeout: Duration,
    pub verification_link_ttl: Duration,
    /// How long an invitation link works (SPEC S12: 7 days unless configured).
    pub invitation_link_ttl: Duration,
    pub mail_max_attempts: i32,
    pub seed_demo: bool,
    /// How often each thing open to the internet may be done (R23).
    pub rates: Rates,
    /// Proxies whose `X-Forwarded-For` names the client; nobody else's is believed.
    pub trusted_proxies: Vec<IpNet>,
    /// Which permission each request of the email platform needs (FORWARD_AUTH_RULES,
    /// INTEGRATION.md S15); none when unset, so forward auth refuses everything.
    pub forward_auth_rules: Rules,
    /// The email platform's origins: the only places a sign-in sends a person back to outside
    /// this service.
    pub platform_origins: Vec<Origin>,
    /// `.example.com`: the session cookie then reaches the platform's hosts too, for forward
    /// auth, and is named `__Secure-session` over HTTPS (`__Host-` forbids a domain).
    pub session_cookie_domain: Option<String>,
    /// Webhooks may call loopback, private and link-local addresses, and `http://`
    /// (WEBHOOK_ALLOW_PRIVATE, for tests and development; refused in production).
    pub webhook_allow_private: bool,
    /// Instance-wide webhook endpoints (WEBHOOKS): each URL with its `whsec_` secret.
    pub instance_webhooks: Vec<(String, String)>,
    /// How long a stopping server waits for requests in flight, then for the mail and webhook
    /// workers to finish what they are sending (SHUTDOWN_SECONDS).
    pub shutdown_timeout: Duration,
    /// `/metrics` on an address of its own (METRICS_BIND), unreachable from the public side.
    pub metrics_bind: Option<String>,
    /// The one DNS server asked for domain proofs (DNS_SERVER); else the system's resolvers.
    pub dns_server: Option<std::net::SocketAddr>,
    /// `/metrics` on the service's own address for `Authorization: Bearer` this (METRICS_TOKEN).
    pub metrics_token: Option<String>,
    /// One JSON object per log line (LOG_FORMAT=json), or text.
    pub log_json: bool,
    /// The system's time; tests move a copy of it forward.
    pub clock: crate::clock::Clock,
}

/// One rate per thing that is limited; README.md has the table and the variables.
#[derive(Debug, Clone, Copy)]
pub struct Rates {
    pub sign_in_per_address: Rate,
    pub sign_in_per_ip: Rate,
    pub sign_up_per_address: Rate,
    pub sign_up_per_ip: Rate,
    pub verification_per_address: Rate,
    pub verification_per_ip: Rate,
    pub invitations_per_owner: Rate,
    pub resend_per_person: Rate,
    pub accept_per_link: Rate,
    pub accept_per_ip: Rate,
    pub password_reset_per_address: Rate,
    pub password_reset_per_ip: Rate,
    pub sub_accounts_per_owner: Rate,
    /// Changes made through one personal token (the members API's POST, PATCH and DELETE).
    pub api_writes_per_token: Rate,
    /// Single sign-on round trips started from one client: each costs the provider a discovery
    /// fetch (issue 22).
    pub sso_starts_per_ip: Rate,
    /// Domain proof links an owner has mailed (issue 22): each is a mail to an address they name.
    pub domain_proofs_per_owner: Rate,
    /// Passwordless passkey sign-ins begun from one client (issue 22).
    pub passkey_sign_ins_per_ip: Rate,
}

/// An address or a network, as TRUSTED_PROXIES lists them: `10.0.0.7`, `10.0.0.0/8`, `::1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpNet {
    address: IpAddr,
    prefix: u8,
}

impl IpNet {
    pub fn parse(text: &str) -> Option<IpNet> {
        let (address, prefix) = match text.trim().split_once('/') {
            Some((address, prefix)) => (address.parse::<IpAddr>().ok()?, prefix.parse().ok()?),
            None => {
                let address = text.trim().parse::<IpAddr>().ok()?;
                (address, if address.is_ipv4() { 32 } else { 128 })
            }
        };
        let bits = if address.is_ipv4() { 32 } else { 128 };
        (prefix <= bits).then_some(IpNet { address, prefix })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        let as_bits = |ip: IpAddr| match ip {
            IpAddr::V4(v4) => (u128::from(u32::from(v4)), 32),
            IpAddr::V6(v6) => (u128::from(v6), 128),
        };
        let ip = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
            v4 => v4,
        };
        let ((net, width), (ip, ip_width)) = (as_bits(self.address), as_bits(ip));
        if width != ip_width {
            return false;
        }
        let shift = width - u32::from(self.prefix);
        shift >= width || (net >> shift) == (ip >> shift)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{0} is not set")]
    Missing(&'static str),
    #[error(
        "{0} is not set, and a server runs as in production unless APP_ENV=development says \
         otherwise (./dev run does); production needs SMTP_URL, SESSION_KEY and an https:// BASE_URL"
    )]
    NeededInProduction(&'static str),
    #[error("{name} has an unusable value: {reason}")]
    Invalid { name: &'static str, reason: String },
}

impl std::fmt::Debug for Settings {
    // Written by hand so that secrets (database password, SMTP credentials, session key) never
    // reach a log line.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("environment", &self.environment)
            .field("bind_address", &self.bind_address)
            .field("base_url", &self.base_url)
            .field("database_pool_size", &self.database_pool_size)
            .field("http_workers", &self.http_workers)
            .field(
                "mail_transport",
                &match &self.mail_transport {
                    MailTransportSettings::Smtp { .. } => "smtp".to_owned(),
                    MailTransportSettings::DevMailbox { dir } => {
                        format!("dev mailbox in {}", dir.display())
                    }
                },
            )
            .field("mail_from", &self.mail_from)
            .field("session_idle_timeout", &self.session_idle_timeout)
            .field("session_absolute_timeout", &self.session_absolute_timeout)
            .field("seed_demo", &self.seed_demo)
            .field("forward_auth_rules", &self.forward_auth_rules.len())
            .field(
                "platform_origins",
                &self
                    .platform_origins
                    .iter()
                    .map(Origin::as_str)
                    .collect::<Vec<_>>(),
            )
            .field("session_cookie_domain", &self.session_cookie_domain)
            .field("shutdown_timeout", &self.shutdown_timeout)
            .field("metrics_bind", &self.metrics_bind)
            .field("metrics_token", &self.metrics_token.as_ref().map(|_| "set"))
            .field("log_json", &self.log_json)
            .finish_non_exhaustive()
    }
}

impl Settings {
    pub fn from_env() -> Result<Settings, ConfigError> {
        Settings::from_lookup(|name| std::env::var(name).ok().filter(|value| !value.is_empty()))
    }

    /// Reads settings through `lookup`, so tests can hand in their own variables.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Settings, ConfigError> {
        // Unset means production: an operator who forgets the setting gets the safe server (no
        // demo owner, no development mailbox), or a message saying what to set.
        let environment = match lookup("APP_ENV").as_deref() {
            Some("development") => Environment::Development,
            None | Some("production") => Environment::Production,
            Some(other) => {
                return Err(ConfigError::Invalid {
                    name: "APP_ENV",
                    reason: format!("{other:?}: use development or production"),
                });
            }
        };
        let production = environment == Environment::Production;

        let bind_address = lookup("BIND_ADDRESS").unwrap_or_else(|| "127.0.0.1:8080".into());
        let base_url = lookup("BASE_URL")
            .unwrap_or_else(|| format!("http://{bind_address}"))
            .trim_end_matches('/')
            .to_owned();
        if !(base_url.starts_with("http://") || base_url.starts_with("https://")) {
            return Err(ConfigError::Invalid {
                name: "BASE_URL",
                reason: "must start with http:// or https://".into(),
            });
        }
        if production && !base_url.starts_with("https://") {
            return Err(ConfigError::Invalid {
                name: "BASE_URL",
                reason: "must be https:// in production, which is what runs unless \
                         APP_ENV=development is set (./dev run does)"
                    .into(),
            });
        }

        let database_url = lookup("DATABASE_URL").ok_or(ConfigError::Missing("DATABASE_URL"))?;
        let database_pool_size = parse_number(&lookup, "DATABASE_POOL_SIZE", 8)?;
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        let http_workers = parse_number(&lookup, "HTTP_WORKERS", 2 * cores)?;

        let mail_transport = match lookup("SMTP_URL") {
            Some(url) => MailTransportSettings::Smtp { url },
            None if production => return Err(ConfigError::NeededInProduction("SMTP_URL")),
            None => MailTransportSettings::DevMailbox {
                dir: lookup("DEV_MAILBOX_DIR")
                    .unwrap_or_else(|| ".data/mailbox".into())
                    .into(),
            },
        };
        let mail_from =
            lookup("MAIL_FROM").unwrap_or_else(|| "Account sharing <no-reply@example.com>".into());

        let session_key = match lookup("SESSION_KEY") {
            Some(encoded) => {
                let key = base64::engine::general_purpose::STANDARD
                    .decode(encoded.trim())
                    .map_err(|e| ConfigError::Invalid {
                        name: "SESSION_KEY",
                        reason: e.to_string(),
                    })?;
                if key.len() < 64 {
                    return Err(ConfigError::Invalid {
                        name: "SESSION_KEY",
                        reason: "must be at least 64 bytes, base64-encoded".into(),
                    });
                }
                Some(key)
            }
            None if production => return Err(ConfigError::NeededInProduction("SESSION_KEY")),
            None => None,
        };

        let database_prepared_statements = match lookup("DATABASE_PREPARED_STATEMENTS").as_deref() {
            None | Some("true" | "1") => true,
            Some("false" | "0") => false,
            Some(other) => {
                return Err(ConfigError::Invalid {
                    name: "DATABASE_PREPARED_STATEMENTS",
                    reason: format!("{other:?}: use true or false"),
                });
            }
        };

        let seed_demo = match lookup("SEED_DEMO").as_deref() {
            None => !production,
            Some("true" | "1") if production => {
                return Err(ConfigError::Invalid {
                    name: "SEED_DEMO",
                    reason: "never in production".into(),
                });
            }
            Some("true" | "1") => true,
            Some("false" | "0") => false,
            Some(other) => {
                return Err(ConfigError::Invalid {
                    name: "SEED_DEMO",
                    reason: format!("{other:?}: use true or false"),
                });
            }
        };

        let webhook_allow_private = match lookup("WEBHOOK_ALLOW_PRIVATE").as_deref() {
            None | Some("false" | "0") => false,
            Some("true" | "1") if production => {
                return Err(ConfigError::Invalid {
                    name: "WEBHOOK_ALLOW_PRIVATE",
                    reason: "never in production: it lets webhooks reach internal addresses".into(),
                });
            }
            Some("true" | "1") => true,
            Some(other) => {
                return Err(ConfigError::Invalid {
                    name: "WEBHOOK_ALLOW_PRIVATE",
                    reason: format!("{other:?}: use true or false"),
                });
            }
        };
        // "URL SECRET" pairs, separated by commas: each URL checked as an owner's would be.
        let mut instance_webhooks = Vec::new();
        for entry in lookup("WEBHOOKS").unwrap_or_default().split(',') {
            let entry = entry.trim();
            if entry.is_empty() {
                continue;
            }
            let invalid = |reason: String| ConfigError::Invalid {
                name: "WEBHOOKS",
                reason,
            };
            let (url, secret) = entry
                .split_once(' ')
                .map(|(url, secret)| (url.trim(), secret.trim()))
                .ok_or_else(|| invalid(format!("{entry:?}: write each as \"URL whsec_…\"")))?;
            crate::domain::webhook::parse_target(url, webhook_allow_private)
                .map_err(|e| invalid(format!("{url}: {e:?}")))?;
            crate::domain::webhook::secret_key(secret)
                .ok_or_else(|| invalid(format!("the secret for {url} is not a whsec_ secret")))?;
            instance_webhooks.push((url.to_owned(), secret.to_owned()));
        }

        let forward_auth_rules = match lookup("FORWARD_AUTH_RULES") {
            None => Rules::default(),
            Some(path) => {
                let text = std::fs::read_to_string(&path).map_err(|e| ConfigError::Invalid {
                    name: "FORWARD_AUTH_RULES",
                    reason: format!("cannot read {path}: {e}"),
                })?;
                Rules::parse(&text).map_err(|e| ConfigError::Invalid {
                    name: "FORWARD_AUTH_RULES",
                    reason: format!("{path}, line {}: {}", e.line, e.message),
                })?
            }
        };
        let schemes = if production {
            Scheme::HttpsOnly
        } else {
            Scheme::HttpAllowed
        };
        let platform_origins = lookup("PLATFORM_ORIGINS")
            .unwrap_or_default()
            .split([',', ' '])
            .filter(|item| !item.trim().is_empty())
            .map(|item| {
                Origin::parse(item, schemes).map_err(|reason| ConfigError::Invalid {
                    name: "PLATFORM_ORIGINS",
                    reason,
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let session_cookie_domain = match lookup("SESSION_COOKIE_DOMAIN") {
            None => None,
            Some(domain) => Some(cookie_domain(&domain, &base_url)?),
        };

        let metrics_bind = lookup("METRICS_BIND");
        if let Some(address) = &metrics_bind
            && address.parse::<std::net::SocketAddr>().is_err()
        {
            return Err(ConfigError::Invalid {
                name: "METRICS_BIND",
                reason: format!("{address:?} is not an address and port, such as 127.0.0.1:9464"),
            });
        }
        let dns_server =
            match lookup("DNS_SERVER") {
                None => None,
                Some(address) => Some(address.parse::<std::net::SocketAddr>().map_err(|_| {
                    ConfigError::Invalid {
                        name: "DNS_SERVER",
                        reason: format!(
                            "{address:?} is not an address and port, such as 10.0.0.2:53"
                        ),
                    }
                })?),
            };
        let metrics_token = lookup("METRICS_TOKEN");
        if let Some(token) = &metrics_token
            && (token.len() < 32 || !token.bytes().all(|b| b.is_ascii_graphic()))
        {
            return Err(ConfigError::Invalid {
                name: "METRICS_TOKEN",
                reason: "must be at least 32 visible characters, such as `openssl rand -hex 32` \
                         prints"
                    .into(),
            });
        }
        let log_json = match lookup("LOG_FORMAT").as_deref() {
            None | Some("text") => false,
            Some("json") => true,
            Some(other) => {
                return Err(ConfigError::Invalid {
                    name: "LOG_FORMAT",
                    reason: format!("{other:?}: use text or json"),
                });
            }
        };

        Ok(Settings {
            environment,
            bind_address,
            base_url,
            database_url,
            database_pool_size,
            http_workers,
            database_prepared_statements,
            mail_transport,
            mail_from,
            session_key,
            session_idle_timeout: Duration::from_secs(
                60 * parse_number(&lookup, "SESSION_IDLE_MINUTES", 30)?,
            ),
            session_absolute_timeout: Duration::from_secs(
                3600 * parse_number(&lookup, "SESSION_ABSOLUTE_HOURS", 12)?,
            ),
            verification_link_ttl: Duration::from_secs(
                3600 * parse_number(&lookup, "VERIFICATION_LINK_HOURS", 48)?,
            ),
            invitation_link_ttl: Duration::from_secs(
                86_400 * parse_number(&lookup, "INVITATION_DAYS", 7)?,
            ),
            mail_max_attempts: parse_number(&lookup, "MAIL_MAX_ATTEMPTS", 8)?,
            seed_demo,
            rates: Rates {
                sign_in_per_address: rate(&lookup, "RATE_SIGN_IN_PER_ADDRESS", 10, 15)?,
                sign_in_per_ip: rate(&lookup, "RATE_SIGN_IN_PER_IP", 50, 15)?,
                sign_up_per_address: rate(&lookup, "RATE_SIGN_UP_PER_ADDRESS", 3, 60)?,
                sign_up_per_ip: rate(&lookup, "RATE_SIGN_UP_PER_IP", 20, 60)?,
                verification_per_address: rate(&lookup, "RATE_VERIFICATION_PER_ADDRESS", 3, 60)?,
                verification_per_ip: rate(&lookup, "RATE_VERIFICATION_PER_IP", 20, 60)?,
                invitations_per_owner: rate(&lookup, "RATE_INVITATIONS_PER_OWNER", 200, 1440)?,
                resend_per_person: rate(&lookup, "RATE_RESEND_PER_PERSON", 3, 60)?,
                accept_per_link: rate(&lookup, "RATE_ACCEPT_PER_LINK", 10, 60)?,
                accept_per_ip: rate(&lookup, "RATE_ACCEPT_PER_IP", 30, 60)?,
                password_reset_per_address: rate(
                    &lookup,
                    "RATE_PASSWORD_RESET_PER_ADDRESS",
                    3,
                    60,
                )?,
                password_reset_per_ip: rate(&lookup, "RATE_PASSWORD_RESET_PER_IP", 20, 60)?,
                sub_accounts_per_owner: rate(&lookup, "RATE_SUB_ACCOUNTS_PER_OWNER", 20, 60)?,
                api_writes_per_token: rate(&lookup, "RATE_API_WRITES_PER_TOKEN", 600, 60)?,
                sso_starts_per_ip: rate(&lookup, "RATE_SSO_STARTS_PER_IP", 30, 15)?,
                domain_proofs_per_owner: rate(&lookup, "RATE_DOMAIN_PROOFS_PER_OWNER", 10, 60)?,
                passkey_sign_ins_per_ip: rate(&lookup, "RATE_PASSKEY_SIGN_INS_PER_IP", 30, 15)?,
            },
            trusted_proxies: match lookup("TRUSTED_PROXIES") {
                None => Vec::new(),
                Some(list) => list
                    .split(',')
                    .filter(|item| !item.trim().is_empty())
                    .map(|item| {
                        IpNet::parse(item).ok_or_else(|| ConfigError::Invalid {
                            name: "TRUSTED_PROXIES",
                            reason: format!("{:?} is not an address or network", item.trim()),
                        })
                    })
                    .collect::<Result<_, _>>()?,
            },
            forward_auth_rules,
            webhook_allow_private,
            instance_webhooks,
            platform_origins,
            session_cookie_domain,
            shutdown_timeout: Duration::from_secs(parse_number(&lookup, "SHUTDOWN_SECONDS", 30)?),
            metrics_bind,
            dns_server,
            metrics_token,
            log_json,
            clock: crate::clock::Clock::default(),
        })
    }

    /// Session cookies get the `__Host-` prefix and `Secure` whenever people reach us over HTTPS
    /// (R16); a plain-HTTP development server cannot set such cookies.
    pub fn uses_https(&self) -> bool {
        self.base_url.starts_with("https://")
    }

    /// `__Host-session` over HTTPS, bound to this host; `__Secure-session` when
    /// SESSION_COOKIE_DOMAIN shares it with the platform's hosts; `session` over plain HTTP.
    pub fn session_cookie_name(&self) -> &'static str {
        match (self.uses_https(), &self.session_cookie_domain) {
            (false, _) => "session",
            (true, None) => "__Host-session",
            (true, Some(_)) => "__Secure-session",
        }
    }
}

/// SESSION_COOKIE_DOMAIN as the cookie's Domain attribute: a host name this service's own
/// BASE_URL is on, or the browser would refuse the cookie and nobody could sign in.
fn cookie_domain(domain: &str, base_url: &str) -> Result<String, ConfigError> {
    let invalid = |reason: String| ConfigError::Invalid {
        name: "SESSION_COOKIE_DOMAIN",
        reason,
    };
    let bare = domain.trim().trim_start_matches('.').to_ascii_lowercase();
    let valid = bare.contains('.')
        && !bare.contains("..")
        && !bare.starts_with('-')
        && bare
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-');
    if !valid {
        return Err(invalid(format!(
            "{domain:?} is not a domain such as .example.com"
        )));
    }
    let host = base_url
        .split_once("://")
        .map_or("", |(_, rest)| rest)
        .split(['/', ':'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    if host != bare && !host.ends_with(&format!(".{bare}")) {
        return Err(invalid(format!(
            "BASE_URL's host {host} is not within {bare}, so browsers would refuse the cookie"
        )));
    }
    Ok(bare)
}

fn rate(
    lookup: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    max: u32,
    minutes: u64,
) -> Result<Rate, ConfigError> {
    match lookup(name) {
        None => Ok(Rate::per_minutes(max, minutes)),
        Some(text) => Rate::parse(&text).map_err(|e| ConfigError::Invalid {
            name,
            reason: format!("{text:?}: {e}"),
        }),
    }
}

fn parse_number<T: std::str::FromStr + PartialOrd + Default>(
    lookup: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    default: T,
) -> Result<T, ConfigError> {
    match lookup(name) {
        None => Ok(default),
        Some(raw) => match raw.trim().parse::<T>() {
            Ok(value) if value > T::default() => Ok(value),
            _ => Err(ConfigError::Invalid {
                name,
                reason: format!("{raw:?} is not a positive whole number"),
            }),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn settings(vars: &[(&str, &str)]) -> Result<Settings, ConfigError> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Settings::from_lookup(|name| vars.get(name).cloned())
    }

    #[test]
    fn unset_is_production_and_says_what_to_set() {
        let refused = settings(&[("DATABASE_URL", "postgres://x")]).unwrap_err();
        let said = refused.to_string();
        assert!(said.contains("APP_ENV=development"), "{said}");
        assert!(said.contains("https://"), "{said}");
    }

    #[test]
    fn development_defaults() {
        let s = settings(&[("DATABASE_URL", "postgres://x"), ("APP_ENV", "development")]).unwrap();
        assert_eq!(s.environment, Environment::Development);
        assert_eq!(s.base_url, "http://127.0.0.1:8080");
        assert!(matches!(
            s.mail_transport,
            MailTransportSettings::DevMailbox { .. }
        ));
        assert!(s.seed_demo);
        assert_eq!(s.session_idle_timeout, Duration::from_secs(1800));
    }

    #[test]
    fn production_requires_smtp_session_key_and_https_and_never_seeds() {
        let key = base64::engine::general_purpose::STANDARD.encode([7u8; 64]);
        let base = [
            ("APP_ENV", "production"),
            ("DATABASE_URL", "postgres://x"),
            ("BASE_URL", "https://share.example.com/"),
            ("SMTP_URL", "smtp://relay:25"),
            ("SESSION_KEY", key.as_str()),
        ];
        let s = settings(&base).unwrap();
        assert_eq!(s.base_url, "https://share.example.com");
        assert!(!s.seed_demo);
        for missing in ["SMTP_URL", "SESSION_KEY", "DATABASE_URL"] {
            let vars: Vec<_> = base
                .iter()
                .copied()
                .filter(|(k, _)| *k != missing)
                .collect();
            assert!(matches!(
                settings(&vars),
                Err(ConfigError::Missing(name) | ConfigError::NeededInProduction(name)) if name == missing
            ));
        }
        let mut with_seed = base.to_vec();
        with_seed.push(("SEED_DEMO", "true"));
        assert!(settings(&with_seed).is_err());
        let mut plain_http = base.to_vec();
        plain_http[2] = ("BASE_URL", "http://share.example.com");
        assert!(settings(&plain_http).is_err());
    }

    #[test]
    fn rates_and_trusted_proxies_are_read_and_checked() {
        let dev = ("APP_ENV", "development");
        let s = settings(&[
            dev,
            ("DATABASE_URL", "x"),
            ("RATE_SIGN_IN_PER_ADDRESS", "4/1h"),
            ("TRUSTED_PROXIES", "10.0.0.0/8, ::1"),
        ])
        .unwrap();
        assert_eq!(s.rates.sign_in_per_address, Rate::per_minutes(4, 60));
        assert_eq!(s.rates.sign_in_per_ip, Rate::per_minutes(50, 15));
        assert!(s.trusted_proxies[0].contains("10.1.2.3".parse().unwrap()));
        assert!(s.trusted_proxies[0].contains("::ffff:10.9.9.9".parse().unwrap()));
        assert!(!s.trusted_proxies[0].contains("11.0.0.1".parse().unwrap()));
        assert!(s.trusted_proxies[1].contains("::1".parse().unwrap()));
        assert!(!s.trusted_proxies[1].contains("127.0.0.1".parse().unwrap()));
        assert!(
            IpNet::parse("0.0.0.0/0")
                .unwrap()
                .contains("8.8.8.8".parse().unwrap())
        );
        for (name, value) in [
            ("RATE_SIGN_UP_PER_IP", "lots"),
            ("RATE_ACCEPT_PER_LINK", "0/1h"),
            ("TRUSTED_PROXIES", "proxy.example.com"),
            ("TRUSTED_PROXIES", "10.0.0.0/33"),
        ] {
            assert!(
                settings(&[dev, ("DATABASE_URL", "x"), (name, value)]).is_err(),
                "{name}={value}"
            );
        }
    }

    #[test]
    fn forward_auth_settings_are_read_and_checked() {
        let dev = ("APP_ENV", "development");
        let dir = std::env::temp_dir().join(format!("rules-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let good = dir.join("good.toml");
        std::fs::write(
            &good,
            "[[rule]]\npath = \"/accounts/{account}/**\"\npermission = \"campaigns\"\n",
        )
        .unwrap();
        let bad = dir.join("bad.toml");
        std::fs::write(
            &bad,
            "[[rule]]\npath = \"/a/{account}\"\n\npermission = \"campaign\"\n",
        )
        .unwrap();
        let good_path = good.display().to_string();
        let s = settings(&[
            dev,
            ("DATABASE_URL", "x"),
            ("FORWARD_AUTH_RULES", &good_path),
            (
                "PLATFORM_ORIGINS",
                "https://app.example.com, http://127.0.0.1:8081",
            ),
            ("BASE_URL", "http://share.example.com"),
            ("SESSION_COOKIE_DOMAIN", ".Example.com"),
        ])
        .unwrap();
        assert_eq!(s.forward_auth_rules.len(), 1);
        assert_eq!(s.platform_origins.len(), 2);
        assert_eq!(s.session_cookie_domain.as_deref(), Some("example.com"));
        assert_eq!(s.session_cookie_name(), "session");

        // A bad rules file is named with its line.
        let bad_path = bad.display().to_string();
        let refused = settings(&[
            dev,
            ("DATABASE_URL", "x"),
            ("FORWARD_AUTH_RULES", &bad_path),
        ])
        .unwrap_err()
        .to_string();
        assert!(
            refused.contains(&bad_path)
                && refused.contains("line 4")
                && refused.contains("campaign"),
            "{refused}"
        );
        let missing = settings(&[
            dev,
            ("DATABASE_URL", "x"),
            ("FORWARD_AUTH_RULES", "/no/such"),
        ])
        .unwrap_err()
        .to_string();
        assert!(missing.contains("cannot read /no/such"), "{missing}");
        for (name, value) in [
            ("PLATFORM_ORIGINS", "app.example.com"),
            ("PLATFORM_ORIGINS", "https://app.example.com/path"),
            ("SESSION_COOKIE_DOMAIN", "other.test"),
            ("SESSION_COOKIE_DOMAIN", "com"),
            ("SESSION_COOKIE_DOMAIN", "exa mple.com"),
        ] {
            assert!(
                settings(&[
                    dev,
                    ("DATABASE_URL", "x"),
                    ("BASE_URL", "http://share.example.com"),
                    (name, value)
                ])
                .is_err(),
                "{name}={value}"
            );
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn production_takes_https_platform_origins_and_names_a_shared_cookie_secure() {
        let key = base64::engine::general_purpose::STANDARD.encode([7u8; 64]);
        let base = [
            ("DATABASE_URL", "postgres://x"),
            ("BASE_URL", "https://share.example.com"),
            ("SMTP_URL", "smtp://relay:25"),
            ("SESSION_KEY", key.as_str()),
        ];
        let s = settings(&base).unwrap();
        assert_eq!(s.session_cookie_name(), "__Host-session");
        let mut shared = base.to_vec();
        shared.push(("SESSION_COOKIE_DOMAIN", ".example.com"));
        shared.push(("PLATFORM_ORIGINS", "https://app.example.com"));
        assert_eq!(
            settings(&shared).unwrap().session_cookie_name(),
            "__Secure-session"
        );
        let mut plain = base.to_vec();
        plain.push(("PLATFORM_ORIGINS", "http://app.example.com"));
        assert!(settings(&plain).is_err());
    }

    #[test]
    fn refuses_unusable_values() {
        let dev = ("APP_ENV", "development");
        assert!(settings(&[dev, ("DATABASE_URL", "x"), ("SESSION_KEY", "c2hvcnQ=")]).is_err());
        assert!(settings(&[dev, ("DATABASE_URL", "x"), ("SESSION_IDLE_MINUTES", "0")]).is_err());
        assert!(settings(&[dev, ("DATABASE_URL", "x"), ("DATABASE_POOL_SIZE", "lots")]).is_err());
        assert!(settings(&[dev, ("DATABASE_URL", "x"), ("HTTP_WORKERS", "0")]).is_err());
        assert!(settings(&[dev, ("DATABASE_URL", "x"), ("HTTP_WORKERS", "-2")]).is_err());
        assert!(settings(&[("DATABASE_URL", "x"), ("APP_ENV", "staging")]).is_err());
    }

    #[test]
    fn debug_output_hides_secrets() {
        let s = settings(&[
            ("APP_ENV", "development"),
            ("DATABASE_URL", "postgres://u:hunter2@h/db"),
            ("SMTP_URL", "smtp://u:pw-secret@h"),
        ])
        .unwrap();
        let shown = format!("{s:?}");
        assert!(
            !shown.contains("hunter2") && !shown.contains("pw-secret"),
            "{shown}"
        );
    }
}
