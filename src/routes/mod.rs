//! The route table: every URL the service answers, in one place.

mod account;
mod accounts;
mod dev_mailbox;
mod health;
mod home;
mod invitations;
mod my_login;
mod password_reset;
mod plans;
pub mod sessions;
mod sharing;
mod sign_up;
mod static_files;
mod sub_accounts;
mod verify_email;

use actix_web::{Route, guard, web};

use crate::{error::AppError, web::form::FormLimit};

/// The invite and edit forms carry a row per account: room for a few hundred sub-accounts.
const INVITE_FORM_LIMIT_BYTES: usize = 64 * 1024;

pub fn configure(cfg: &mut web::ServiceConfig, dev_mailbox: bool) {
    cfg.app_data(web::PathConfig::default().error_handler(|_, _| AppError::NotFound.into()))
        .app_data(
            web::QueryConfig::default()
                .error_handler(|_, _| AppError::BadRequest(crate::messages::BAD_REQUEST).into()),
        )
        .route("/", page().to(home::show))
        .route("/health", page().to(health::check))
        .route("/static/{file}", page().to(static_files::serve))
        .route("/sign-up", page().to(sign_up::new))
        .route("/sign-up", web::post().to(sign_up::create))
        .route("/sign-in", page().to(sessions::new))
        .route("/sign-in", web::post().to(sessions::create))
        .route("/sign-out", web::post().to(sessions::destroy))
        .route("/password-reset", page().to(password_reset::new_request))
        .route(
            "/password-reset",
            web::post().to(password_reset::create_request),
        )
        .route("/password-reset/new", page().to(password_reset::choose))
        .route("/password-reset/new", web::post().to(password_reset::set))
        .route("/verify-email", page().to(verify_email::show))
        .route("/verify-email", web::post().to(verify_email::confirm))
        .route("/account", page().to(account::show))
        .route(
            "/account/verification-email",
            web::post().to(account::resend_verification),
        )
        .route("/account/password", page().to(my_login::edit_password))
        .route(
            "/account/password",
            web::post().to(my_login::update_password),
        )
        .route("/account/email", page().to(my_login::edit_email))
        .route("/account/email", web::post().to(my_login::request_email))
        .route("/account/email/confirm", page().to(my_login::confirm_email))
        .route(
            "/account/email/confirm",
            web::post().to(my_login::move_email),
        )
        .route(
            "/account/sign-out-everywhere",
            web::post().to(my_login::sign_out_everywhere),
        )
        .route(
            "/account/sub-accounts",
            web::post().to(sub_accounts::create),
        )
        .route(
            "/account/sub-accounts/{id}/rename",
            page().to(sub_accounts::edit),
        )
        .route(
            "/account/sub-accounts/{id}/rename",
            web::post().to(sub_accounts::update),
        )
        .route("/sharing", page().to(sharing::index))
        .service(
            web::resource("/sharing/invite")
                .app_data(FormLimit(INVITE_FORM_LIMIT_BYTES))
                .route(page().to(sharing::invite::new))
                .route(web::post().to(sharing::invite::create)),
        )
        .service(
            web::resource("/sharing/people/{id}/edit")
                .app_data(FormLimit(INVITE_FORM_LIMIT_BYTES))
                .route(page().to(sharing::people::edit))
                .route(web::post().to(sharing::people::update)),
        )
        .route(
            "/sharing/people/{id}/delete",
            page().to(sharing::people::confirm_delete),
        )
        .route(
            "/sharing/people/{id}/delete",
            web::post().to(sharing::people::delete),
        )
        .route(
            "/sharing/people/{id}/resend",
            web::post().to(sharing::people::resend),
        )
        .route("/plan", page().to(plans::show))
        .route("/plan", web::post().to(plans::change))
        .route("/accounts", page().to(accounts::index))
        .route("/accounts/switch", web::post().to(accounts::switch))
        .route("/accounts/current", page().to(accounts::current))
        .route("/accounts/{aid}", page().to(accounts::master_home))
        .route(
            "/accounts/{aid}/areas/{area}",
            page().to(accounts::master_area),
        )
        .route(
            "/accounts/{aid}/sub-accounts/{sid}",
            page().to(accounts::sub_home),
        )
        .route(
            "/accounts/{aid}/sub-accounts/{sid}/areas/{area}",
            page().to(accounts::sub_area),
        )
        .route("/invitations/accept", page().to(invitations::show))
        .route("/invitations/accept", web::post().to(invitations::accept))
        .route(
            "/invitations/accept/switch",
            web::post().to(invitations::switch_person),
        )
        .route(
            "/invitations/accept/new-login",
            web::post().to(invitations::accept_with_new_login),
        )
        .route(
            "/invitations/decline",
            page().to(invitations::confirm_decline),
        )
        .route("/invitations/decline", web::post().to(invitations::decline))
        .route("/invitations/declined", page().to(invitations::declined));
    if dev_mailbox {
        cfg.route("/dev/mailbox", page().to(dev_mailbox::index));
    }
}

/// A page: answers GET, and HEAD the same way without the body (actix sends none for HEAD), as
/// link checkers and mail scanners expect.
fn page() -> Route {
    web::route().guard(guard::Any(guard::Get()).or(guard::Head()))
}

/// Answers anything no route matches.
pub async fn not_found() -> Result<actix_web::HttpResponse, AppError> {
    Err(AppError::NotFound)
}

/// Where to go after signing in: the accounts when nothing was asked, else a path on this site,
/// or `/`. A path is `/` followed by anything
/// but `/` or `\\` (`//host` and `/\\host` leave the site), with no backslash anywhere and nothing
/// but printable ASCII: browsers drop tabs and line breaks from a Location (`/\t/evil.test` becomes
/// `//evil.test`), and a header cannot carry them anyway.
fn safe_next(next: Option<&str>) -> &str {
    match next {
        None => "/accounts",
        Some(path)
            if path.starts_with('/')
                && !path[1..].starts_with(['/', '\\'])
                && path.bytes().all(|b| b.is_ascii_graphic() && b != b'\\') =>
        {
            path
        }
        _ => "/",
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(safe_next(Some("/account")), "/account");
        assert_eq!(
            safe_next(Some("/sharing?q=a&page=2")),
            "/sharing?q=a&page=2"
        );
        assert_eq!(safe_next(Some("/")), "/");
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
        ] {
            assert_eq!(safe_next(Some(away)), "/", "{away:?}");
        }
        assert_eq!(safe_next(None), "/accounts");
    }
}
