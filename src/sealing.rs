//! Secrets the service must read back, unlike tokens and passwords, which it only compares:
//! the TOTP seeds (issue 22). They are sealed with AES-256-GCM under a key derived from
//! SESSION_KEY, so a copy of the database, or a backup, yields no working seed without the key.

use aes_gcm::{
    Aes256Gcm, KeyInit, Nonce,
    aead::{Aead, Payload},
};
use hkdf::Hkdf;
use sha2::Sha256;

/// The first byte of every sealed value: which key derivation and cipher sealed it, so a later
/// change can read what is stored today.
const VERSION: u8 = 1;
const NONCE_BYTES: usize = 12;

#[derive(Clone)]
pub struct Sealer {
    cipher: Aes256Gcm,
    /// Keys `tag`: a key of its own, derived apart from the cipher's.
    tag_key: [u8; 32],
}

impl Sealer {
    /// `master` is the session key's 64 bytes; the derived key serves only this purpose.
    pub fn from_master(master: &[u8]) -> Sealer {
        let mut key = [0u8; 32];
        Hkdf::<Sha256>::new(None, master)
            .expand(b"account-sharing sealed secrets v1", &mut key)
            .expect("32 bytes is a valid HKDF-SHA256 output length");
        let mut tag_key = [0u8; 32];
        Hkdf::<Sha256>::new(None, master)
            .expand(b"account-sharing tags v1", &mut tag_key)
            .expect("32 bytes is a valid HKDF-SHA256 output length");
        Sealer {
            cipher: Aes256Gcm::new(&key.into()),
            tag_key,
        }
    }

    /// HMAC-SHA256 of `context` under a key derived from the session key: a value only this
    /// service can compute, the same each time, that needs no storing (a domain's DNS proof).
    pub fn tag(&self, context: &[u8]) -> [u8; 32] {
        use hmac::Mac;
        let mut mac = <hmac::Hmac<Sha256> as Mac>::new_from_slice(&self.tag_key)
            .expect("HMAC takes a key of any length");
        mac.update(context);
        mac.finalize().into_bytes().into()
    }

    /// `context` (the person's id, say) is authenticated with the value: a sealed seed copied
    /// to another person's row does not open there.
    pub fn seal(&self, plain: &[u8], context: &[u8]) -> Vec<u8> {
        let mut nonce = [0u8; NONCE_BYTES];
        getrandom::fill(&mut nonce).expect("the operating system's random source failed");
        let sealed = self
            .cipher
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: plain,
                    aad: context,
                },
            )
            .expect("AES-GCM encrypts any input under 64 GiB");
        let mut out = Vec::with_capacity(1 + NONCE_BYTES + sealed.len());
        out.push(VERSION);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        out
    }

    /// `None` when the value was sealed under another key (SESSION_KEY changed), for another
    /// context, or altered.
    pub fn open(&self, sealed: &[u8], context: &[u8]) -> Option<Vec<u8>> {
        let (&version, rest) = sealed.split_first()?;
        if version != VERSION || rest.len() < NONCE_BYTES {
            return None;
        }
        let (nonce, body) = rest.split_at(NONCE_BYTES);
        self.cipher
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: body,
                    aad: context,
                },
            )
            .ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_value_opens_only_with_its_key_and_context_and_unaltered() {
        let sealer = Sealer::from_master(&[3; 64]);
        let sealed = sealer.seal(b"seed bytes", b"person 1");
        assert!(!sealed.windows(10).any(|w| w == b"seed bytes"));
        assert_eq!(sealer.open(&sealed, b"person 1").unwrap(), b"seed bytes");
        assert_eq!(sealer.open(&sealed, b"person 2"), None);
        assert_eq!(
            Sealer::from_master(&[4; 64]).open(&sealed, b"person 1"),
            None
        );
        let mut altered = sealed.clone();
        *altered.last_mut().unwrap() ^= 1;
        assert_eq!(sealer.open(&altered, b"person 1"), None);
        assert_eq!(sealer.open(&[], b"person 1"), None);
        assert_eq!(sealer.open(&[1, 2, 3], b"person 1"), None);
        // Two seals of the same value differ: a fresh nonce each time.
        assert_ne!(sealer.seal(b"seed bytes", b"person 1"), sealed);
    }
}
