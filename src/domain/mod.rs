//! Pure product rules: no web, database or mail code may be imported here.
pub mod access;
pub mod access_draft;
pub mod access_end;
pub mod audit;
pub mod csv;
pub mod email;
pub mod ids;
pub mod invitation;
pub mod limits;
pub mod name;
pub mod password;
pub mod permission;
pub mod plan;
pub mod quota;
pub mod role;
pub mod summary;
pub mod vocabulary;
