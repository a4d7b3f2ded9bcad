//! Builds the application: pool and migrations, mail transport and worker, the scheduler,
//! session and security middleware, routes. `main` and the tests both start the service through here.

use std::{net::TcpListener, sync::Arc};

use actix_session::{
    SessionMiddleware,
    config::{BrowserSession, CookieContentSecurity, TtlExtensionPolicy},
};
use actix_web::{
    App, HttpServer,
    cookie::{Key, SameSite},
    dev::Server,
    middleware::from_fn,
    web,
};

use crate::{
    config::Settings,
    db::{self, Db},
    hashing::HashingGate,
    mail::{
        transport::Transport,
        worker::{OutboxSignal, OutboxWorker},
    },
    metrics::Metrics,
    routes,
    scheduler::Scheduler,
    sealing::Sealer,
    services::{self, webhooks::WebhookWorker},
    state::AppState,
    web::{
        csrf, error_pages, headers, observe, session_store::PgSessionStore, urlencoded, visitor,
    },
};
use tokio_util::sync::CancellationToken;

pub struct Application {
    port: u16,
    server: Server,
    /// `/metrics` alone, on METRICS_BIND.
    metrics_server: Option<Server>,
    worker: OutboxWorker,
    webhooks: WebhookWorker,
    scheduler: Scheduler,
    /// Tells the workers the server has stopped.
    stop: CancellationToken,
    shutdown_timeout: std::time::Duration,
}

impl Application {
    pub async fn build(settings: Settings) -> anyhow::Result<Application> {
        let listener = TcpListener::bind(&settings.bind_address)
            .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", settings.bind_address))?;
        Application::build_with_listener(settings, listener).await
    }

    pub async fn build_with_listener(
        settings: Settings,
        listener: TcpListener,
    ) -> anyhow::Result<Application> {
        let port = listener.local_addr()?.port();
        let db = connect(&settings).await?;

        let transport = Arc::new(Transport::from_settings(&settings)?);
        let key = match &settings.session_key {
            Some(bytes) => Key::from(bytes),
            None => {
                tracing::warn!(
                    "SESSION_KEY is not set: a random key is used, so a restart signs everyone out"
                );
                Key::generate()
            }
        };
        let settings = Arc::new(settings);
        let signal = OutboxSignal::default();
        let metrics = Arc::new(Metrics::new(&db));
        let state = web::Data::new(AppState {
            db: db.clone(),
            settings: Arc::clone(&settings),
            outbox: signal.clone(),
            dev_mailbox: transport.dev_mailbox_dir().map(ToOwned::to_owned),
            hashing: Arc::new(HashingGate::for_this_machine()),
            session_key: key.clone(),
            sealer: Sealer::from_master(key.master()),
            metrics: Arc::clone(&metrics),
            passkeys: services::passkeys::relying_party(&settings.base_url).map(Arc::new),
        });
        if settings.seed_demo && services::demo::seed(&state).await? {
            tracing::info!(email = services::demo::DEMO_EMAIL, "demo owner created");
        }

        let https = settings.uses_https();
        let cookie_name = settings.session_cookie_name();
        let cookie_domain = settings.session_cookie_domain.clone();
        let store = PgSessionStore::new(
            db.clone(),
            settings.session_idle_timeout,
            settings.session_absolute_timeout,
            settings.clock.clone(),
            metrics.sessions_created.clone(),
        );
        let idle = actix_web::cookie::time::Duration::seconds(
            settings.session_idle_timeout.as_secs() as i64,
        );
        let origin = csrf::origin_of(&settings.base_url);
        let dev_mailbox = state.dev_mailbox.is_some();
        let metrics_state = state.clone();

        let server = HttpServer::new(move || {
            let origin = origin.clone();
            let sessions = SessionMiddleware::builder(store.clone(), key.clone())
                // `__Host-` binds the cookie to this exact host over HTTPS (R16), unless
                // SESSION_COOKIE_DOMAIN shares it with the platform's hosts (S15).
                .cookie_name(cookie_name.to_owned())
                .cookie_domain(cookie_domain.clone())
                .cookie_secure(https)
                .cookie_http_only(true)
                .cookie_same_site(SameSite::Lax)
                .cookie_path("/".to_owned())
                .cookie_content_security(CookieContentSecurity::Private)
                // Idle timeout (R19): the stored state lives this long past the last request.
                // Loading a session moves its limit out (at most once a minute), so nothing more
                // is written for a request that changes nothing.
                .session_lifecycle(
                    BrowserSession::default()
                        .state_ttl(idle)
                        .state_ttl_extension_policy(TtlExtensionPolicy::OnStateChanges),
                )
                .build();
            // Everything that reads a session sits in one scope under the session middleware;
            // /health is answered before it, so a probe carrying a cookie costs no session load.
            let with_session = web::scope("")
                .wrap(from_fn(move |req, next| {
                    csrf::reject_cross_site(origin.clone(), req, next)
                }))
                .wrap(from_fn(urlencoded::reject_garbled_query))
                .wrap(from_fn(visitor::set_issued_token))
                // Inside the session middleware, so error pages show the signed-in frame.
                .wrap(from_fn(error_pages::framed))
                .wrap(sessions)
                .wrap(from_fn(routes::sharing::read_with_session))
                .wrap(from_fn(error_pages::unframed))
                .configure(|cfg| routes::configure(cfg, dev_mailbox))
                .default_service(web::to(routes::not_found));
            App::new()
                .wrap(headers::security_headers(https))
                .wrap(from_fn(observe::observe))
                .app_data(state.clone())
                .configure(routes::configure_without_session)
                .service(with_session)
        })
        .workers(settings.http_workers)
        .listen(listener)?
        // On SIGTERM or SIGINT: stop accepting, finish what is in flight, for this long at most.
        .shutdown_timeout(settings.shutdown_timeout.as_secs())
        .run();
        let metrics_server = match &settings.metrics_bind {
            None => None,
            Some(address) => {
                let state = metrics_state;
                Some(
                    HttpServer::new(move || {
                        App::new()
                            .app_data(state.clone())
                            .route("/metrics", web::get().to(routes::metrics::open))
                    })
                    .workers(1)
                    .bind(address)
                    .map_err(|e| anyhow::anyhow!("METRICS_BIND: cannot listen on {address}: {e}"))?
                    .shutdown_timeout(1)
                    .run(),
                )
            }
        };
        let stop = CancellationToken::new();

        let scheduler = Scheduler {
            db: db.clone(),
            settings: Arc::clone(&settings),
            outbox: signal.clone(),
        };
        services::webhooks::sync_instance_endpoints(&db, &settings).await?;
        // Webhooks go out over rustls with ring, the provider lettre already uses; installed
        // once per process (a second server in the same process finds it there).
        let _ = rustls::crypto::ring::default_provider().install_default();
        let webhooks = WebhookWorker {
            db: db.clone(),
            settings: Arc::clone(&settings),
            metrics: Arc::clone(&metrics),
            stop: stop.clone(),
        };
        let shutdown_timeout = settings.shutdown_timeout;
        let worker = OutboxWorker {
            db,
            transport,
            settings,
            signal,
            metrics,
            stop: stop.clone(),
        };
        Ok(Application {
            port,
            server,
            metrics_server,
            worker,
            webhooks,
            scheduler,
            stop,
            shutdown_timeout,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serves until the server is stopped, with the outbox worker and the scheduler beside it.
    ///
    /// On SIGTERM (or SIGINT) actix stops accepting connections and finishes the requests in
    /// flight, for SHUTDOWN_SECONDS at most. Then the workers are told to stop: the mail or
    /// webhook being sent is sent and recorded, the rest of their batch given back at once for
    /// another process. Whatever is still running after SHUTDOWN_SECONDS more is dropped; its
    /// claims come back when their lease ends, so nothing is lost.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let worker = tokio::spawn(self.worker.run());
        let webhooks = tokio::spawn(self.webhooks.run());
        let scheduler = tokio::spawn(self.scheduler.run());
        let metrics_server = self.metrics_server.map(|server| {
            let handle = server.handle();
            (tokio::spawn(server), handle)
        });
        let result = self.server.await;
        tracing::info!("stopped serving; letting the workers finish");
        self.stop.cancel();
        scheduler.abort();
        if let Some((server, handle)) = metrics_server {
            handle.stop(true).await;
            let _ = server.await;
        }
        let abort = [worker.abort_handle(), webhooks.abort_handle()];
        let finished = tokio::time::timeout(self.shutdown_timeout, async {
            let _ = worker.await;
            let _ = webhooks.await;
        })
        .await;
        if finished.is_err() {
            tracing::warn!("the workers did not finish in time; their claims will come back");
            abort.iter().for_each(tokio::task::AbortHandle::abort);
        }
        result
    }
}

/// Opens the pool and brings the schema up to date.
async fn connect(settings: &Settings) -> anyhow::Result<Db> {
    let (database_url, pool_size, prepared) = (
        settings.database_url.clone(),
        settings.database_pool_size,
        settings.database_prepared_statements,
    );
    let pool = actix_web::rt::task::spawn_blocking(move || -> anyhow::Result<db::PgPool> {
        let pool = db::connect(&database_url, pool_size, prepared)
            .map_err(|e| anyhow::anyhow!("cannot connect to the database: {e}"))?;
        db::run_migrations(&pool)?;
        Ok(pool)
    })
    .await??;
    Ok(Db::new(pool))
}

/// What the services need, without serving or sending mail: for commands such as `seed`, whose
/// queued mail the server's worker sends later.
pub async fn state_without_server(settings: Settings) -> anyhow::Result<AppState> {
    let db = connect(&settings).await?;
    let key = settings
        .session_key
        .as_deref()
        .map_or_else(Key::generate, Key::from);
    Ok(AppState {
        db: db.clone(),
        settings: Arc::new(settings),
        outbox: OutboxSignal::default(),
        dev_mailbox: None,
        hashing: Arc::new(HashingGate::for_this_machine()),
        // Nothing here reads a session; what is sealed must open in the server.
        sealer: Sealer::from_master(key.master()),
        session_key: key,
        metrics: Arc::new(Metrics::new(&db)),
        passkeys: None,
    })
}
