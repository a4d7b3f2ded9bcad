//! Secrets: random tokens, their stored hashes, and password hashing.

use std::sync::LazyLock;

use argon2::{
    Algorithm, Argon2, Block, Params, Version,
    password_hash::{
        self, CustomizedPasswordHasher, PasswordHasher, PasswordVerifier,
        phc::{Decimal, Output, ParamsString, PasswordHash, Salt},
    },
};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use sha2::{Digest, Sha256};

/// 256 bits from the operating system's CSPRNG, URL-safe (R1). Never a UUID.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system's random source failed");
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Tokens we mint are 43 URL-safe base64 characters; anything else cannot be one of ours and is
/// refused before any lookup.
pub fn looks_like_a_token(token: &str) -> bool {
    token.len() == 43
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The hash a presented token is looked up by, when it can be one we minted: `prefix` (`asp_`,
/// `asv_`, `asc_`; empty for an emailed link) then 43 URL-safe characters. `None` otherwise, and
/// the caller refuses it without a lookup.
pub fn presented_hash(token: &str, prefix: &str) -> Option<Vec<u8>> {
    let random = token.strip_prefix(prefix)?;
    looks_like_a_token(random).then(|| token_hash(token))
}

/// What is stored instead of a token or key: lookups go by this hash, so the database never
/// holds anything that works as a link or credential (R2). Tokens carry 256 random bits, so a fast
/// hash is enough; passwords, which people choose, get Argon2id instead.
pub fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// Argon2id with the crate's defaults: m=19456 KiB, t=2, p=1 (R21). Slow by design: call it from
/// blocking code (`services::passwords` runs it on threads of its own).
pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| anyhow::anyhow!("no random salt: {e}"))?;
    ReusingArgon2
        .hash_password_with_salt(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| anyhow::anyhow!("password hashing failed: {e}"))
}

pub fn verify_password(password: &str, stored_hash: &str) -> bool {
    PasswordHash::new(stored_hash)
        .map(|parsed| {
            ReusingArgon2
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

thread_local! {
    /// The 19 MiB Argon2 works in, kept by each thread from one hash to the next while hashes
    /// wait their turn, and given back by `release_hashing_memory` when none does. Allocating
    /// it per hash, as the crate does, left glibc's heaps growing by about 10 MB a hash (aligned
    /// allocations of that size fragment them): 20 checks on one thread held 229 MB.
    static MEMORY: std::cell::RefCell<Vec<Block>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Gives this thread's Argon2 memory back (`hashing::HashingGate` calls it when a hashing thread
/// finds no more to do): kept, four hashing threads on two cores held 76 MB for good after a few
/// sign-ins. An allocation that large comes from jemalloc's arena for oversize blocks, which
/// gives freed pages back to the system at once (`main`).
pub fn release_hashing_memory() {
    MEMORY.take();
}

/// Argon2 as the crate computes it, in this thread's reused memory.
struct ReusingArgon2;

impl CustomizedPasswordHasher<PasswordHash> for ReusingArgon2 {
    type Params = Params;

    fn hash_password_customized(
        &self,
        password: &[u8],
        salt: &[u8],
        algorithm: Option<&str>,
        version: Option<Decimal>,
        params: Params,
    ) -> password_hash::Result<PasswordHash> {
        let algorithm = algorithm
            .map(Algorithm::try_from)
            .transpose()?
            .unwrap_or_default();
        let version = version
            .map(Version::try_from)
            .transpose()?
            .unwrap_or_default();
        let salt = Salt::new(salt)?;
        let mut buffer = [0u8; Output::MAX_LENGTH];
        let out = buffer
            .get_mut(..params.output_len().unwrap_or(Params::DEFAULT_OUTPUT_LEN))
            .ok_or(password_hash::Error::OutputSize)?;
        let argon2 = Argon2::new(algorithm, version, params.clone());
        MEMORY.with_borrow_mut(|blocks| {
            blocks.resize(params.block_count(), Block::default());
            argon2.hash_password_into_with_memory(password, &salt, out, blocks.as_mut_slice())
        })?;
        Ok(PasswordHash {
            algorithm: algorithm.ident(),
            version: Some(version.into()),
            params: ParamsString::try_from(&params)?,
            salt: Some(salt),
            hash: Some(Output::new(out)?),
        })
    }
}

impl PasswordHasher<PasswordHash> for ReusingArgon2 {
    fn hash_password_with_salt(
        &self,
        password: &[u8],
        salt: &[u8],
    ) -> password_hash::Result<PasswordHash> {
        self.hash_password_customized(password, salt, None, None, Params::default())
    }
}

/// Verifying against this when the address is unknown makes a failed sign-in take as long as a
/// wrong password for a real person, so timing tells nothing about who has a login (R22).
static DUMMY_HASH: LazyLock<String> =
    LazyLock::new(|| hash_password(&random_token()).expect("hashing a random password"));

pub fn spend_time_like_a_password_check(password: &str) {
    let _ = verify_password(password, &DUMMY_HASH);
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn tokens_are_long_and_never_repeat() {
        let tokens: HashSet<String> = (0..100_000).map(|_| random_token()).collect();
        assert_eq!(tokens.len(), 100_000);
        assert!(
            tokens
                .iter()
                .all(|t| t.len() == 43 && !t.contains(['+', '/', '=']))
        );
    }

    #[test]
    fn token_hash_is_sha256() {
        assert_eq!(token_hash("abc").len(), 32);
        assert_ne!(token_hash("abc"), token_hash("abd"));
    }

    #[test]
    fn password_hash_is_argon2id_with_owasp_parameters() {
        let hash = hash_password("correct horse").unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(verify_password("correct horse", &hash));
        assert!(!verify_password("correct horsf", &hash));
        assert!(!verify_password("correct horse", "not a hash"));
    }
}
