use account_sharing::{config::Settings, startup::Application};
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
