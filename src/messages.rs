//! Every sentence the service says to people, in one place, so the interface can be translated
//! (SPEC S12) without touching handlers or services.

use crate::domain::{email::EmailError, name::NameError, password::PasswordError};

pub fn email_error(error: EmailError) -> &'static str {
    match error {
        EmailError::Empty => "Enter an email address",
        EmailError::TooLong => "Email address must be 254 characters or fewer",
        EmailError::InvisibleCharacters => {
            "Email address must not contain spaces, line breaks or invisible characters"
        }
        EmailError::NotOneAt => {
            "Enter an email address in the correct format, like name@example.com"
        }
        EmailError::InvalidLocalPart => {
            "The part before the @ can only use letters a to z, numbers and the symbols . _ + - (64 characters at most)"
        }
        EmailError::IpDomain => {
            "Email address must end in a domain name, like example.com, not an IP address"
        }
        EmailError::InvalidDomain => "The part after the @ must be a domain name, like example.com",
    }
}

pub fn display_name_error(error: NameError) -> &'static str {
    match error {
        NameError::Empty => "Enter your name",
        NameError::TooLong => "Name must be 100 characters or fewer",
        NameError::InvisibleCharacters => {
            "Name must not contain line breaks or invisible characters"
        }
    }
}

pub fn sub_account_name_error(error: NameError) -> &'static str {
    match error {
        NameError::Empty => "Enter a name for the sub-account",
        NameError::TooLong => "Sub-account name must be 100 characters or fewer",
        NameError::InvisibleCharacters => {
            "Sub-account name must not contain line breaks or invisible characters"
        }
    }
}

pub fn password_error(error: PasswordError) -> &'static str {
    match error {
        PasswordError::TooShort => "Password must be 8 characters or more",
        PasswordError::TooLong => "Password must be 256 characters or fewer",
        PasswordError::Common => {
            "Choose a password that is harder to guess: this one is on lists of common passwords"
        }
        PasswordError::SameAsEmail => "Choose a password that is not your email address",
    }
}

pub const SUB_ACCOUNT_NAME_TAKEN: &str =
    "You already have a sub-account with this name: choose another name";
pub const CHOOSE_PLAN: &str = "Select a plan";
/// Words for the codes our validator derives use.
pub fn for_validation_code(code: &str) -> &'static str {
    match code {
        "email_missing" => "Enter an email address",
        "password_missing" => ENTER_PASSWORD,
        _ => "Check this answer",
    }
}

pub const SIGN_IN_FAILED: &str = "Email address or password is not right: check them and try again";
pub const ENTER_PASSWORD: &str = "Enter your password";

pub const FLASH_EMAIL_VERIFIED: &str = "Your email address is verified.";
pub const FLASH_VERIFICATION_SENT: &str =
    "We have sent a new verification link. Only the newest link works.";
pub const FLASH_SUB_ACCOUNT_RENAMED: &str = "The sub-account is renamed.";

pub const NOT_FOUND_TITLE: &str = "Page not found";
pub const NOT_FOUND: &str = "If you typed the web address, check it is correct. If you followed a link, it may belong to an account you cannot see.";
pub const FORBIDDEN_TITLE: &str = "You do not have access to this page";
pub const FORBIDDEN: &str =
    "Your access does not include this page. Ask the account owner if you need it.";
pub const CSRF_TITLE: &str = "This form could not be accepted";
pub const CSRF: &str = "The form was sent from another site, or the page was open too long. Go back, reload the page and try again.";
pub const TOO_LARGE_TITLE: &str = "What you sent is too large";
pub const TOO_LARGE: &str =
    "The form held more text than we accept. Go back, shorten what you typed and try again.";
pub const BAD_REQUEST_TITLE: &str = "This form could not be understood";
pub const BAD_FORM: &str = "The form had fields we did not expect, or a field twice. Go back, reload the page and try again.";
pub const UNAVAILABLE_TITLE: &str = "Sorry, the service is unavailable";
pub const UNAVAILABLE: &str = "We cannot reach our database right now. Nothing you sent was saved. Try again in a few minutes.";
pub const INTERNAL_TITLE: &str = "Sorry, there is a problem with the service";
pub const INTERNAL: &str =
    "Something went wrong on our side and nothing was changed. Try again later.";

pub fn plan_name(plan: crate::domain::plan::Plan) -> &'static str {
    use crate::domain::plan::Plan;
    match plan {
        Plan::Free => "Free",
        Plan::Essential => "Essential",
        Plan::BronzePremium => "Bronze Premium",
        Plan::CrystalPremium => "Crystal Premium",
        Plan::SilverPremium => "Silver Premium",
        Plan::GoldPremium => "Gold Premium",
        Plan::PlatinumPremium => "Platinum Premium",
        Plan::DiamondPremium => "Diamond Premium",
        Plan::Enterprise => "Enterprise",
    }
}

pub fn plan_summary(seats: u32, advanced_accesses: u32) -> String {
    let people = match seats {
        0 => "No shared users".to_owned(),
        1 => "Share with 1 person".to_owned(),
        n => format!("Share with up to {n} people"),
    };
    let advanced = match advanced_accesses {
        0 => "no advanced accesses".to_owned(),
        1 => "1 advanced access".to_owned(),
        n => format!("{n} advanced accesses"),
    };
    format!("{people}, {advanced}")
}
pub const BAD_REQUEST: &str =
    "We could not handle that request. Go back and try again, or start from the home page.";
