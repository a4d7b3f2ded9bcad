//! Pure product rules: no web, database or mail code may be imported here.
pub mod email;
pub mod name;
pub mod password;
pub mod plan;
