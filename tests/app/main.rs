//! Black-box tests: the real server, real PostgreSQL, real SMTP, over real HTTP.

mod common;

mod access_end;
mod activity;
mod audit;
mod auth;
mod bad_input;
mod batch;
mod bench;
mod browser;
mod drill;
mod export;
mod gate;
mod golden;
mod languages;
mod limits;
mod mail;
mod matrix;
mod members_api;
mod nginx;
mod notifications;
mod operations;
mod outbox;
mod ownership;
mod processes;
mod recovery;
mod review;
mod scale;
mod security;
mod sessions;
mod sharing;
mod sharing_rules;
mod sub_accounts;
mod vocabulary;
mod webhooks;
mod workspace;
