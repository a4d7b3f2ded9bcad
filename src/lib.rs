//! Account sharing for an email-sending platform: owners share their account and sub-accounts
//! with the people they work with, each with the access their job needs.

pub mod clock;
pub mod config;
pub mod db;
pub mod domain;
pub mod error;
pub mod hashing;
pub mod i18n;
pub mod mail;
pub mod messages;
pub mod metrics;
pub mod routes;
pub mod scheduler;
pub mod sealing;
pub mod secrets;
pub mod services;
pub mod startup;
pub mod state;
pub mod web;
