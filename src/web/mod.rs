//! Web plumbing shared by every page: sessions, CSRF, forms, security headers, rendering.

pub mod client_ip;
pub mod csrf;
pub mod current;
pub mod error_pages;
pub mod filters;
pub mod form;
pub mod headers;
pub mod layout;
pub mod locale;
pub mod observe;
pub mod problem;
pub mod read_with_session;
pub mod render;
pub mod session;
pub mod session_store;
pub mod urlencoded;
pub mod visitor;
