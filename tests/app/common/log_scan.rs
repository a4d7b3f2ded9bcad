//! Every line the servers of the whole suite log, at debug level, is scanned as it is written for
//! what must never reach a log (R2, R11): a token, a password, a session key. A line that
//! carries one fails the next test to finish, with the line in the message.

use std::{
    io,
    sync::{
        Mutex, Once,
        atomic::{AtomicUsize, Ordering},
    },
};

use tracing_subscriber::{
    EnvFilter, Layer, fmt::MakeWriter, layer::SubscriberExt, util::SubscriberInitExt,
};

static LINES: AtomicUsize = AtomicUsize::new(0);
static LEAKS: Mutex<Vec<String>> = Mutex::new(Vec::new());
/// Secrets a test saw that the general rule below would miss, being shorter than 40
/// characters: a TOTP key in base32 (32), recovery codes (16 and 19).
static SEEN_SECRETS: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// Makes `secret` a leak wherever any server logs it from now on.
pub fn never_log(secret: &str) {
    SEEN_SECRETS.lock().unwrap().push(secret.to_owned());
}

/// The passwords the tests type.
const PASSWORDS: [&str; 3] = [
    super::PASSWORD,
    "another passphrase",
    "a brand new passphrase",
];

/// Why `line` must not be logged, if it must not: a password of the tests, or a run of 40 or
/// more base64 characters, which is what our tokens (43), session cookies and session keys
/// (base64 of 64 bytes or more) look like. `/` ends a run, as paths are logged on purpose, and so
/// does `=`, which base64 has only at its end and logs put between a field's name and its value
/// (`request_id=` and a 32-digit id are not one token).
pub fn leak_in(line: &str) -> Option<&'static str> {
    if PASSWORDS.iter().any(|password| line.contains(password)) {
        return Some("a password");
    }
    let longest_run = line
        .split(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '+')))
        .map(str::len)
        .max()
        .unwrap_or(0);
    (longest_run >= 40).then_some("a token or key")
}

struct Scanner;

impl io::Write for Scanner {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        let text = String::from_utf8_lossy(bytes);
        for line in text.lines() {
            LINES.fetch_add(1, Ordering::Relaxed);
            if let Some(what) = leak_in(line) {
                LEAKS.lock().unwrap().push(format!("{what}: {line}"));
            } else if SEEN_SECRETS
                .lock()
                .unwrap()
                .iter()
                .any(|secret| line.contains(secret.as_str()))
            {
                LEAKS
                    .lock()
                    .unwrap()
                    .push(format!("a second factor's secret: {line}"));
            }
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Scanner {
    type Writer = Scanner;
    fn make_writer(&'a self) -> Scanner {
        Scanner
    }
}

/// Installs the scanner for the whole test process, once; with RUST_LOG set, the log is also
/// shown with a failing test's output.
pub fn install() {
    static INSTALLED: Once = Once::new();
    INSTALLED.call_once(|| {
        // The service and the frameworks it runs on, at debug; not the test's own HTTP client.
        let scanned = || EnvFilter::new(
            "warn,account_sharing=trace,actix_web=debug,actix_http=debug,actix_server=debug,actix_session=trace,r2d2=debug,diesel=debug",
        );
        let scanner = tracing_subscriber::fmt::layer()
            .with_writer(Scanner)
            .with_ansi(false)
            .with_filter(scanned());
        // The same lines as LOG_FORMAT=json writes them (src/main.rs), the request's span and
        // its fields included: scanned too.
        let json_scanner = tracing_subscriber::fmt::layer()
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .with_writer(Scanner)
            .with_filter(scanned());
        let shown = std::env::var_os("RUST_LOG").map(|_| {
            tracing_subscriber::fmt::layer()
                .with_test_writer()
                .with_filter(EnvFilter::from_default_env())
        });
        let _ = tracing_subscriber::registry()
            .with(scanner)
            .with(json_scanner)
            .with(shown)
            .try_init();
    });
}

pub fn lines_scanned() -> usize {
    LINES.load(Ordering::Relaxed)
}

/// Fails when any server has logged a secret so far.
pub fn assert_no_leaks() {
    let leaks = LEAKS.lock().unwrap();
    assert!(
        leaks.is_empty(),
        "the server logged what it must not:\n{}",
        leaks.join("\n")
    );
}
