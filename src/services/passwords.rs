//! Password hashing with a bounded number running at once (see `crate::hashing`): the PHC string
//! for a new password, and its check, timed the same for an address nobody has (R22).

use crate::{error::AppResult, secrets, state::AppState};

/// The PHC string to store for a new password.
pub async fn hash(state: &AppState, password: String) -> AppResult<String> {
    Ok(state
        .hashing
        .run(move || secrets::hash_password(&password))
        .await??)
}

/// Whether `password` is the one `stored` was made from; with `None` (an unknown address), the
/// same work and `false`, so timing tells nobody who has a login (R22).
pub async fn verify(state: &AppState, password: String, stored: Option<String>) -> AppResult<bool> {
    state
        .hashing
        .run(move || match stored {
            Some(stored) => secrets::verify_password(&password, &stored),
            None => {
                secrets::spend_time_like_a_password_check(&password);
                false
            }
        })
        .await
}
