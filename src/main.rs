use account_sharing::{
    config::{Environment, Settings},
    services::seed,
    startup::{self, Application},
};
use tracing_subscriber::EnvFilter;

#[actix_web::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .init();
    let settings = match Settings::from_env() {
        Ok(settings) => settings,
        Err(e) => {
            eprintln!("Configuration error: {e}. README.md lists every setting.");
            return std::process::ExitCode::from(2);
        }
    };
    match std::env::args().nth(1).as_deref() {
        None | Some("serve") => {}
        Some("seed") => return seed_scale_data(settings).await,
        Some(other) => {
            eprintln!("Unknown command {other:?}: use `serve` (the default) or `seed`.");
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
