use account_sharing::{
    config::{Environment, Settings},
    services::{seed, service_tokens},
    startup::{self, Application},
};
use tracing_subscriber::EnvFilter;

/// jemalloc serves the server's own allocations: a signed-in page makes a few thousand, and
/// glibc's malloc, free and their consolidation took a sixth of the server's time (Cargo.toml,
/// README.md "Performance"). Argon2's 19 MiB blocks are above jemalloc's oversize threshold, so
/// they come from an arena that gives freed pages back at once (`secrets::release_hashing_memory`).
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// What is still allocated with glibc's malloc is libpq's: each statement's result, on every
/// worker thread. glibc gives each thread that allocates at the same time as another an arena of
/// its own, up to eight per core, and each keeps what was freed in it: two are enough for
/// results that live for one request. Its mmap threshold, which glibc raises to the size of each
/// mapped block freed, is fixed at 4 MiB so that a result that large is given back when freed.
/// `MALLOC_ARENA_MAX` and `MALLOC_MMAP_THRESHOLD_` still decide when they are set.
fn tune_malloc() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // SAFETY: mallopt only sets a tunable of the allocator, before the server starts its
        // threads.
        if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
            unsafe {
                libc::mallopt(libc::M_ARENA_MAX, 2);
            }
        }
        if std::env::var_os("MALLOC_MMAP_THRESHOLD_").is_none() {
            unsafe {
                libc::mallopt(libc::M_MMAP_THRESHOLD, 4 << 20);
            }
        }
    }
}

#[actix_web::main]
async fn main() -> std::process::ExitCode {
    tune_malloc();
    let settings = match Settings::from_env() {
        Ok(settings) => settings,
        Err(e) => {
            eprintln!("Configuration error: {e}. README.md lists every setting.");
            return std::process::ExitCode::from(2);
        }
    };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    if settings.log_json {
        // One object per line: the event's fields at the top, the request's id and trace in
        // "span" (web::observe).
        tracing_subscriber::fmt()
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .with_env_filter(filter)
            .init();
    } else {
        tracing_subscriber::fmt().with_env_filter(filter).init();
    }
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        None | Some("serve") => {}
        Some("seed") => return seed_scale_data(settings).await,
        Some("token") => return tokens(settings, &args[1..]).await,
        Some(other) => {
            eprintln!("Unknown command {other:?}: use `serve` (the default), `seed` or `token`.");
            return std::process::ExitCode::from(2);
        }
    }
    tracing::info!(?settings, "starting");
    let base_url = settings.base_url.clone();
    let app = match Application::build(settings).await {
        Ok(app) => app,
        Err(e) => {
            eprintln!("Could not start: {e:#}");
            return std::process::ExitCode::FAILURE;
        }
    };
    tracing::info!("serving on {base_url}");
    match app.run_until_stopped().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("Server stopped with an error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// `account-sharing seed`: the owners of SPEC S13's sizes, to try the pages at real scale.
async fn seed_scale_data(mut settings: Settings) -> std::process::ExitCode {
    if settings.environment == Environment::Production {
        eprintln!("Seeding made-up people is refused in production (APP_ENV=production).");
        return std::process::ExitCode::from(2);
    }
    seed::allow_seeding(&mut settings);
    let state = match startup::state_without_server(settings).await {
        Ok(state) => state,
        Err(e) => {
            eprintln!("Could not reach the database: {e:#}");
            return std::process::ExitCode::FAILURE;
        }
    };
    for shape in [&seed::AGENCY, &seed::ENTERPRISE] {
        let started = std::time::Instant::now();
        match seed::seed(&state, shape).await {
            Ok(seeded) if seeded.created => println!(
                "{}: {} sub-accounts and {} people, created in {:.1} s",
                seeded.owner_email,
                shape.sub_accounts,
                shape.people,
                started.elapsed().as_secs_f64()
            ),
            Ok(seeded) => println!("{}: already there, left as it is", seeded.owner_email),
            Err(e) => {
                eprintln!("Seeding {} failed: {e:#}", shape.owner_email);
                return std::process::ExitCode::FAILURE;
            }
        }
    }
    println!(
        "Sign in with either address and the password {}",
        seed::SEED_PASSWORD
    );
    std::process::ExitCode::SUCCESS
}

const TOKEN_USAGE: &str = "Usage: account-sharing token create --service NAME\n       \
                           account-sharing token list\n       \
                           account-sharing token revoke ID|NAME";

/// `account-sharing token …`: the service tokens the platform's back end asks the check API
/// with (INTEGRATION.md S16). A new token is printed once; only its hash is kept.
async fn tokens(settings: Settings, args: &[String]) -> std::process::ExitCode {
    let words: Vec<&str> = args.iter().map(String::as_str).collect();
    // Checked before connecting, so a typo costs no database round trip.
    let service = match words.as_slice() {
        ["create", "--service", name] => match service_tokens::check_service_name(name) {
            Ok(name) => Some(name),
            Err(e) => {
                eprintln!("{e}.");
                return std::process::ExitCode::from(2);
            }
        },
        ["list"] | ["revoke", _] => None,
        _ => {
            eprintln!("{TOKEN_USAGE}");
            return std::process::ExitCode::from(2);
        }
    };
    let state = match startup::state_without_server(settings).await {
        Ok(state) => state,
        Err(e) => {
            eprintln!("Could not reach the database: {e:#}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let outcome = match (words.as_slice(), service) {
        (["create", ..], Some(service)) => {
            service_tokens::create(&state, &service)
                .await
                .map(|(token, row)| {
                    println!("{token}");
                    eprintln!(
                        "Token {} for {:?} created. It is shown this once: keep it in the platform's secrets.",
                        row.id, row.service
                    );
                    true
                })
        }
        (["list"], _) => service_tokens::list(&state).await.map(|rows| {
            println!("{:>4}  {:<24}  {:<10}  {:<20}  {:<20}  status", "id", "service", "token", "created", "last used");
            for row in rows {
                let when = |at: Option<chrono::DateTime<chrono::Utc>>| {
                    at.map_or("never".to_owned(), |at| at.format("%Y-%m-%d %H:%M UTC").to_string())
                };
                println!(
                    "{:>4}  {:<24}  {:<10}  {:<20}  {:<20}  {}",
                    row.id,
                    row.service,
                    row.hint,
                    when(Some(row.created_at)),
                    when(row.last_used_at),
                    match row.revoked_at {
                        Some(at) => format!("revoked {}", at.format("%Y-%m-%d %H:%M UTC")),
                        None => "live".to_owned(),
                    }
                );
            }
            true
        }),
        (["revoke", which], _) => service_tokens::revoke(&state, which).await.map(|rows| {
            for row in &rows {
                println!("Token {} for {:?} revoked.", row.id, row.service);
            }
            if rows.is_empty() {
                eprintln!("No live token has the id or service name {which:?}; `token list` shows them.");
            }
            !rows.is_empty()
        }),
        _ => unreachable!("the arguments were matched above"),
    };
    match outcome {
        Ok(true) => std::process::ExitCode::SUCCESS,
        Ok(false) => std::process::ExitCode::FAILURE,
        Err(e) => {
            eprintln!("The token could not be changed: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
