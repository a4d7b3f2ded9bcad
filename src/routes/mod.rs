//! The route table: every URL the service answers, in one place.

mod account;
mod accounts;
mod api;
mod api_tokens;
mod dev_mailbox;
mod forward_auth;
mod health;
mod home;
mod invitations;
mod language;
mod members_api;
pub mod metrics;
mod my_login;
pub mod openapi;
pub(crate) mod other_account;
mod ownership;
mod passkeys;
mod password_reset;
mod plans;
mod scim;
pub mod sessions;
pub mod sharing;
mod sign_up;
mod sso;
mod static_files;
mod sub_accounts;
mod two_factor;
mod verify_email;

use actix_web::{
    FromRequest, Handler, HttpResponse, Resource, Responder, Route, guard, http::Method, web,
};

use crate::{
    domain::origins::{self, Origin},
    error::AppError,
    web::form::FormLimit,
};

/// The invite and edit forms carry a row per account: room for a few hundred sub-accounts.
const INVITE_FORM_LIMIT_BYTES: usize = 64 * 1024;

/// One method on one path, as the route table lists it: what a test walks to reach every route.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub method: Method,
    pub path: &'static str,
}

/// Every method and path the service answers, `/dev/mailbox` included when it is served.
pub fn endpoints(dev_mailbox: bool) -> Vec<Endpoint> {
    table(dev_mailbox)
        .into_iter()
        .flat_map(|path| {
            path.methods.into_iter().map(move |method| Endpoint {
                method,
                path: path.path,
            })
        })
        .collect()
}

/// The routes that read a session: every one but those marked `without_session`.
pub fn configure(cfg: &mut web::ServiceConfig, dev_mailbox: bool) {
    register(cfg, dev_mailbox, |path| path.with_session);
}

/// The routes that never read a session, served outside the session middleware so that a
/// browser's cookie costs them no database round trip.
pub fn configure_without_session(cfg: &mut web::ServiceConfig) {
    register(cfg, false, |path| !path.with_session);
}

fn register(cfg: &mut web::ServiceConfig, dev_mailbox: bool, wanted: fn(&Path) -> bool) {
    cfg.app_data(web::PathConfig::default().error_handler(|_, _| AppError::NotFound.into()))
        .app_data(web::QueryConfig::default().error_handler(|_, _| AppError::BadAddress.into()));
    for path in table(dev_mailbox).into_iter().filter(wanted) {
        cfg.service(path.into_resource());
    }
}

fn table(dev_mailbox: bool) -> Vec<Path> {
    let mut table = vec![
        Path::new("/").page(home::show),
        Path::new("/health").without_session().page(health::check),
        Path::new("/health/live")
            .without_session()
            .page(health::live),
        Path::new("/health/ready")
            .without_session()
            .page(health::ready),
        // Prometheus (issue 21): 404 unless METRICS_TOKEN is set, then only with it.
        Path::new("/metrics")
            .without_session()
            .page(metrics::with_token),
        // For the email platform (INTEGRATION.md S15, S16): never a session of their own, no
        // CSRF token, no page.
        Path::new("/auth/forward")
            .without_session()
            .any_method(forward_auth::check),
        Path::new("/api/v1/check")
            .without_session()
            .api_post(api::check),
        // The members API (S17): personal tokens only, never a session.
        Path::new("/api/v1/openapi.json")
            .without_session()
            .api_get(openapi::document),
        Path::new("/api/v1/accounts/{account}/people")
            .without_session()
            .api_get(members_api::list)
            .api_post(members_api::invite),
        Path::new("/api/v1/accounts/{account}/people/batch")
            .without_session()
            .api_post(members_api::batch),
        Path::new("/api/v1/accounts/{account}/people/{id}")
            .without_session()
            .api_get(members_api::show)
            .api_patch(members_api::edit)
            .api_delete(members_api::delete),
        Path::new("/api/v1/accounts/{account}/people/{id}/resend")
            .without_session()
            .api_post(members_api::resend),
        Path::new("/api/v1/accounts/{account}/activity")
            .without_session()
            .api_get(members_api::activity),
        // SCIM 2.0 (issue 22): the owner's identity provider, with a SCIM token; never a session.
        Path::new("/scim/v2/ServiceProviderConfig")
            .scim()
            .page(scim::service_provider_config),
        Path::new("/scim/v2/ResourceTypes")
            .scim()
            .page(scim::resource_types),
        Path::new("/scim/v2/ResourceTypes/{id}")
            .scim()
            .page(scim::resource_type),
        Path::new("/scim/v2/Schemas").scim().page(scim::schemas),
        Path::new("/scim/v2/Schemas/{id}").scim().page(scim::schema),
        Path::new("/scim/v2/Users")
            .scim()
            .page(scim::list)
            .post(scim::create),
        // Before `/Users/{id}`, which `.search` would otherwise be taken for.
        Path::new("/scim/v2/Users/.search")
            .scim()
            .post(scim::search),
        Path::new("/scim/v2/Users/{id}")
            .scim()
            .page(scim::show)
            .put(scim::replace)
            .answer_patch(scim::patch)
            .answer_delete(scim::delete),
        Path::new("/scim/v2/Groups")
            .scim()
            .page(scim::list_groups)
            .post(scim::create_group),
        Path::new("/scim/v2/Groups/.search")
            .scim()
            .post(scim::search_groups),
        Path::new("/scim/v2/Groups/{id}")
            .scim()
            .page(scim::show_group)
            .put(scim::replace_group)
            .answer_patch(scim::patch_group)
            .answer_delete(scim::delete_group),
        Path::new("/scim/v2/.search").scim().post(scim::search_all),
        Path::new("/scim/v2/{rest:.*}")
            .scim()
            .any_method(scim::elsewhere),
        Path::new("/static/{file}").page(static_files::serve),
        Path::new("/sign-up")
            .page(sign_up::new)
            .post(sign_up::create),
        Path::new("/sign-in")
            .page(sessions::new)
            .post(sessions::create),
        Path::new("/sign-in/two-factor")
            .page(two_factor::second_step)
            .post(two_factor::finish_sign_in),
        // Passkeys (issue 22): each ceremony's options, then the form with the answer.
        Path::new("/sign-in/two-factor/passkey/options").post(passkeys::second_step_options),
        Path::new("/sign-in/two-factor/passkey").post(passkeys::finish_second_step),
        Path::new("/sign-in/passkey/options").post(passkeys::sign_in_options),
        Path::new("/sign-in/passkey").post(passkeys::sign_in),
        Path::new("/sign-out").post(sessions::destroy),
        // Single sign-on (issue 22).
        Path::new("/sso/start").page(sso::start),
        Path::new("/sso/callback").page(sso::callback),
        Path::new("/sso/domains/confirm")
            .page(sso::confirm_page)
            .post(sso::confirm),
        Path::new("/language").post(language::switch),
        Path::new("/password-reset")
            .page(password_reset::new_request)
            .post(password_reset::create_request),
        Path::new("/password-reset/new")
            .page(password_reset::choose)
            .post(password_reset::set),
        Path::new("/verify-email")
            .page(verify_email::show)
            .post(verify_email::confirm),
        Path::new("/account").page(account::show),
        Path::new("/account/verification-email").post(account::resend_verification),
        Path::new("/account/notifications").post(account::update_notifications),
        Path::new("/account/own-account").post(account::set_up_own_account),
        Path::new("/account/name")
            .page(my_login::edit_name)
            .post(my_login::update_name),
        Path::new("/account/password")
            .page(my_login::edit_password)
            .post(my_login::update_password),
        Path::new("/account/email")
            .page(my_login::edit_email)
            .post(my_login::request_email),
        Path::new("/account/email/confirm")
            .page(my_login::confirm_email)
            .post(my_login::move_email),
        Path::new("/account/sign-out-everywhere").post(my_login::sign_out_everywhere),
        Path::new("/account/two-factor").page(two_factor::settings),
        Path::new("/account/two-factor/setup").post(two_factor::begin_setup),
        Path::new("/account/two-factor/confirm").post(two_factor::confirm_setup),
        Path::new("/account/two-factor/recovery-codes").post(two_factor::replace_recovery_codes),
        Path::new("/account/two-factor/turn-off").post(two_factor::turn_off),
        Path::new("/account/passkeys/options").post(passkeys::registration_options),
        Path::new("/account/passkeys").post(passkeys::register),
        Path::new("/account/passkeys/{id}/remove")
            .page(passkeys::confirm_remove)
            .post(passkeys::remove),
        Path::new("/account/tokens")
            .page(api_tokens::index)
            .post(api_tokens::create),
        Path::new("/account/tokens/{id}/revoke")
            .page(api_tokens::confirm_revoke)
            .post(api_tokens::revoke),
        Path::new("/account/sub-accounts").post(sub_accounts::create),
        Path::new("/account/sub-accounts/{id}/rename")
            .page(sub_accounts::edit)
            .post(sub_accounts::update),
        Path::new("/sharing").page(sharing::index),
        Path::new("/sharing/export.csv").page(sharing::export::csv),
        Path::new("/sharing/activity").page(sharing::activity::index),
        Path::new("/sharing/transfer")
            .page(sharing::transfer::show)
            .post(sharing::transfer::create),
        Path::new("/sharing/transfer/cancel").post(sharing::transfer::cancel),
        Path::new("/sharing/security")
            .page(sharing::security::show)
            .post(sharing::security::update),
        Path::new("/sharing/sso")
            .page(sso::show)
            .post(sso::save_connection),
        Path::new("/sharing/sso/domains").post(sso::claim_domain),
        Path::new("/sharing/sso/domains/{domain}/remove").post(sso::remove_domain),
        Path::new("/sharing/sso/domains/{domain}/check-dns").post(sso::check_dns),
        Path::new("/sharing/provisioning")
            .page(sharing::provisioning::show)
            .post(sharing::provisioning::save),
        Path::new("/sharing/provisioning/tokens").post(sharing::provisioning::create_token),
        Path::new("/sharing/provisioning/groups/{id}").post(sharing::provisioning::map_group),
        Path::new("/sharing/provisioning/tokens/{id}/revoke")
            .page(sharing::provisioning::confirm_revoke)
            .post(sharing::provisioning::revoke),
        Path::new("/sharing/webhooks")
            .page(sharing::webhooks::index)
            .post(sharing::webhooks::create),
        Path::new("/sharing/webhooks/{id}").page(sharing::webhooks::log),
        Path::new("/sharing/webhooks/{id}/delete")
            .page(sharing::webhooks::confirm_delete)
            .post(sharing::webhooks::delete),
        Path::new("/sharing/webhooks/{id}/deliveries/{did}/resend").post(sharing::webhooks::resend),
        Path::new("/ownership").page(ownership::index),
        Path::new("/ownership/{aid}/accept").post(ownership::accept),
        Path::new("/ownership/{aid}/decline").post(ownership::decline),
        Path::new("/sharing/invite")
            .form_limit(INVITE_FORM_LIMIT_BYTES)
            .page(sharing::invite::new)
            .post(sharing::invite::create),
        Path::new("/sharing/invite/many")
            .form_limit(INVITE_FORM_LIMIT_BYTES)
            .page(sharing::invite::new_batch)
            .post(sharing::invite::create_batch),
        Path::new("/sharing/people/{id}/edit")
            .form_limit(INVITE_FORM_LIMIT_BYTES)
            .page(sharing::people::edit)
            .post(sharing::people::update),
        Path::new("/sharing/people/{id}/delete")
            .page(sharing::people::confirm_delete)
            .post(sharing::people::delete),
        Path::new("/sharing/people/{id}/resend").post(sharing::people::resend),
        Path::new("/plan").page(plans::show).post(plans::change),
        Path::new("/accounts").page(accounts::index),
        Path::new("/accounts/switch").post(accounts::switch),
        Path::new("/accounts/current").page(accounts::current),
        Path::new("/accounts/{aid}").page(accounts::master_home),
        Path::new("/accounts/{aid}/areas/{area}").page(accounts::master_area),
        Path::new("/accounts/{aid}/sub-accounts/{sid}").page(accounts::sub_home),
        Path::new("/accounts/{aid}/sub-accounts/{sid}/areas/{area}").page(accounts::sub_area),
        Path::new("/invitations/accept")
            .page(invitations::show)
            .post(invitations::accept),
        Path::new("/invitations/accept/switch").post(invitations::switch_person),
        Path::new("/invitations/accept/new-login").post(invitations::accept_with_new_login),
        Path::new("/invitations/decline")
            .page(invitations::confirm_decline)
            .post(invitations::decline),
        Path::new("/invitations/declined").page(invitations::declined),
    ];
    if dev_mailbox {
        table.push(Path::new("/dev/mailbox").page(dev_mailbox::index));
    }
    table
}

/// One path of the table: its resource, and the methods it answers, for `endpoints`. Any other
/// method gets 405 with an `Allow` header naming those.
struct Path {
    path: &'static str,
    resource: Resource,
    methods: Vec<Method>,
    with_session: bool,
    /// Answered in RFC 9457 problem documents, a wrong method included.
    api: bool,
    /// Answered in SCIM error documents (RFC 7644 3.12), a wrong method included.
    scim: bool,
}

impl Path {
    fn new(path: &'static str) -> Self {
        Path {
            path,
            resource: web::resource(path),
            methods: Vec::new(),
            with_session: true,
            api: false,
            scim: false,
        }
    }

    /// A SCIM endpoint: a bearer token, never a session, errors in SCIM's own shape.
    fn scim(mut self) -> Self {
        self.scim = true;
        self.without_session()
    }

    fn put<F, Args>(self, handler: F) -> Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.answer(Method::PUT, web::put().to(handler))
    }

    fn answer_patch<F, Args>(self, handler: F) -> Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.answer(Method::PATCH, web::patch().to(handler))
    }

    fn answer_delete<F, Args>(self, handler: F) -> Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.answer(Method::DELETE, web::delete().to(handler))
    }

    /// For load balancers' probes: answered without loading the session a cookie names.
    fn without_session(mut self) -> Self {
        self.with_session = false;
        self
    }

    /// A page: answers GET, and HEAD the same way without the body (actix sends none for HEAD),
    /// as link checkers and mail scanners expect.
    fn page<F, Args>(self, handler: F) -> Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        let route = web::route().guard(guard::Any(guard::Get()).or(guard::Head()));
        self.answer(Method::GET, route.to(handler))
    }

    fn post<F, Args>(self, handler: F) -> Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.answer(Method::POST, web::post().to(handler))
    }

    /// Forward auth answers whatever method the platform's request had, as the proxies send it.
    fn any_method<F, Args>(mut self, handler: F) -> Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.resource = self.resource.route(web::route().to(handler));
        self.methods = [
            Method::GET,
            Method::HEAD,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
            Method::OPTIONS,
        ]
        .into();
        self
    }

    fn api_post<F, Args>(mut self, handler: F) -> Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.api = true;
        self.post(handler)
    }

    /// An API read: GET, and HEAD as for a page.
    fn api_get<F, Args>(mut self, handler: F) -> Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.api = true;
        self.page(handler)
    }

    fn api_patch<F, Args>(mut self, handler: F) -> Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.api = true;
        self.answer_patch(handler)
    }

    fn api_delete<F, Args>(mut self, handler: F) -> Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.api = true;
        self.answer_delete(handler)
    }

    fn answer(mut self, method: Method, route: Route) -> Self {
        self.resource = self.resource.route(route);
        self.methods.push(method);
        self
    }

    fn form_limit(mut self, bytes: usize) -> Self {
        self.resource = self.resource.app_data(FormLimit(bytes));
        self
    }

    fn into_resource(self) -> Resource {
        let mut allow: Vec<&str> = self.methods.iter().map(Method::as_str).collect();
        if self.methods.contains(&Method::GET) {
            allow.push("HEAD");
        }
        let allow = allow.join(", ");
        if self.scim {
            return self.resource.default_service(web::to(move || {
                let error = scim::ScimError::method_not_allowed(&allow);
                async move { Err::<HttpResponse, _>(error) }
            }));
        }
        if self.api {
            return self.resource.default_service(web::to(move || {
                let problem = crate::web::problem::Problem::method_not_allowed(&allow);
                async move { Err::<HttpResponse, _>(problem) }
            }));
        }
        self.resource.default_service(web::to(move || {
            let allow = allow.clone();
            async move { Err::<HttpResponse, _>(AppError::MethodNotAllowed { allow }) }
        }))
    }
}

/// `text` as a URL query value, for links that carry what a person typed.
fn query_value(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// Answers anything no route matches.
pub async fn not_found() -> Result<actix_web::HttpResponse, AppError> {
    Err(AppError::NotFound)
}

/// Where to go after signing in: the accounts when nothing was asked, else a path on this site,
/// or a URL of the email platform on one of `platform` (PLATFORM_ORIGINS), or `/`. A path is `/`
/// followed by anything but `/` or `\\` (`//host` and `/\\host` leave the site), with no
/// backslash anywhere and nothing but printable ASCII: browsers drop tabs and line breaks from a
/// Location (`/\t/evil.test` becomes `//evil.test`), and a header cannot carry them anyway. A
/// platform URL is held to the same, and its origin must be one listed, exactly.
fn safe_next<'a>(next: Option<&'a str>, platform: &[Origin]) -> &'a str {
    match next {
        None => "/accounts",
        Some(path)
            if path.starts_with('/')
                && !path[1..].starts_with(['/', '\\'])
                && path.bytes().all(|b| b.is_ascii_graphic() && b != b'\\') =>
        {
            path
        }
        Some(url) => origins::on_platform(url, platform).unwrap_or("/"),
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;
    use crate::domain::origins::{Origin, Scheme};

    /// The same tricks, on a site that also sends people back to its email platform.
    fn platforms() -> [Vec<Origin>; 2] {
        [
            Vec::new(),
            vec![
                Origin::parse("https://app.example.com", Scheme::HttpsOnly).unwrap(),
                Origin::parse("https://api.example.com:8443", Scheme::HttpsOnly).unwrap(),
            ],
        ]
    }

    #[test]
    fn next_stays_on_this_site_or_the_platform() {
        for platform in platforms() {
            let next = |text| super::safe_next(Some(text), &platform);
            assert_eq!(next("/account"), "/account");
            assert_eq!(next("/sharing?q=a&page=2"), "/sharing?q=a&page=2");
            assert_eq!(next("/"), "/");
            for away in [
                "//evil.test/",
                "/\\evil.test",
                "/\t/evil.test",
                "/\n/evil.test",
                "/\r\n/evil.test",
                "/ /evil.test",
                "/a\\b",
                "/caf\u{e9}",
                "/\u{202e}/evil.test",
                "/\0",
                "https://evil.test",
                "evil.test",
                "",
                // Absolute URLs: other hosts, userinfo, look-alikes, mixed-case schemes.
                "https://app.example.com@evil.test",
                "https://app.example.com@evil.test/",
                "https://user:pw@app.example.com/",
                "https://app.example.com.evil.test/",
                "https://evil.test/app.example.com",
                "https://evil.test?https://app.example.com",
                "HTTPS://app.example.com/",
                "hTTps://app.example.com/",
                "http://app.example.com/",
                "https:app.example.com/",
                "https:/app.example.com/",
                "https:///app.example.com/",
                "https://app.example.com\\@evil.test/",
                "https://app.example.com\t.evil.test/",
                "https://app.example.com:443/",
                "https://api.example.com/",
                "https://app.example.com%2F@evil.test/",
                "javascript:alert(1)",
                "javascript://app.example.com/%0aalert(1)",
                "data:text/html,<script>alert(1)</script>",
                " https://app.example.com/",
                "https://app.example.com /",
                "https://app.example.com/\u{202e}",
            ] {
                assert_eq!(next(away), "/", "{away:?} with {} origins", platform.len());
            }
            assert_eq!(safe_next(None, &platform), "/accounts");
        }
        let [_, platform] = platforms();
        for back in [
            "https://app.example.com",
            "https://app.example.com/",
            "https://app.example.com/accounts/42/campaigns?page=2#top",
            "https://api.example.com:8443/v3",
        ] {
            assert_eq!(safe_next(Some(back), &platform), back);
        }
    }
}
