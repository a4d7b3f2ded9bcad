//! The demonstration data a development server starts with (never in production: see config).

use crate::{
    db, db::people::NewPerson, domain::plan::Plan, error::AppResult, secrets, state::AppState,
};

pub const DEMO_EMAIL: &str = "owner@demo.example.com";
pub const DEMO_PASSWORD: &str = "demo-owner-password";
const DEMO_SUB_ACCOUNTS: [&str; 2] = ["Newsletters", "Shop receipts"];

/// Creates the demo owner (verified, Gold Premium) with two sub-accounts, unless they exist.
pub async fn seed(state: &AppState) -> AppResult<bool> {
    let now = state.settings.clock.now();
    let password_hash = actix_web::web::block(|| secrets::hash_password(DEMO_PASSWORD)).await??;
    state
        .db
        .transaction(move |conn| {
            let new = NewPerson {
                email: DEMO_EMAIL,
                display_name: "Demo Owner",
                password_hash: &password_hash,
                locale: None,
            };
            let Some(person) = db::people::insert_if_new(conn, &new)? else {
                return Ok(false);
            };
            db::people::mark_verified(conn, person.id, now)?;
            let account = db::accounts::insert(
                conn,
                &db::accounts::NewAccount {
                    owner_id: person.id,
                    plan: Plan::GoldPremium.code(),
                },
            )?;
            for name in DEMO_SUB_ACCOUNTS {
                let key_hash = secrets::token_hash(&secrets::random_token());
                db::sub_accounts::insert(
                    conn,
                    &db::sub_accounts::NewSubAccount {
                        master_account_id: account.id,
                        name,
                        api_key_hash: &key_hash,
                        api_key_hint: "demo",
                    },
                )?;
            }
            Ok(true)
        })
        .await
}
