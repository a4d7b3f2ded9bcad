//! What the page frame (templates/base.html) shows around every page.

use crate::{error::AppResult, web::session::TypedSession};

pub struct Layout {
    pub csrf_token: String,
    pub signed_in_as: Option<String>,
    pub flash: Option<String>,
    pub dev_mailbox: bool,
}

impl Layout {
    /// The frame for a page: takes the flash message, so it shows once.
    pub fn new(
        session: &TypedSession,
        signed_in_as: Option<&str>,
        dev_mailbox: bool,
    ) -> AppResult<Layout> {
        Ok(Layout {
            csrf_token: session.csrf_token()?,
            signed_in_as: signed_in_as.map(str::to_owned),
            flash: session.take_flash(),
            dev_mailbox,
        })
    }

    /// For error pages, which are built without a request at hand: no forms, no flash.
    pub fn bare() -> Layout {
        Layout {
            csrf_token: String::new(),
            signed_in_as: None,
            flash: None,
            dev_mailbox: false,
        }
    }
}
