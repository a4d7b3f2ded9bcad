//! What the service is doing, for Prometheus (issue 21): requests per route template, the
//! connection pool, the outbox, rate-limit refusals, forward-auth decisions and sessions. Each
//! server has a registry of its own, so two servers in one process (the tests) count apart.
//!
//! Counted where it happens, and what is already in the database (the outbox's depth and age)
//! read when scraped, so the figures are right whichever process sends the mail.

use prometheus::{
    Encoder, Histogram, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGauge,
    IntGaugeVec, Opts, Registry, TextEncoder, core::Collector,
};

use crate::db::{Db, outbox::Backlog};

/// Request durations from half a millisecond to ten seconds.
const SECONDS: &[f64] = &[
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// A waiting connection: from nothing to the five seconds after which a request gives up.
const WAIT_SECONDS: &[f64] = &[0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0, 5.0];

pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    request_seconds: HistogramVec,
    rate_limit_refusals: IntCounterVec,
    forward_auth: IntCounterVec,
    pub sessions_created: IntCounter,
    mail: IntCounterVec,
    webhooks: IntCounterVec,
    pool_size: IntGauge,
    pool_in_use: IntGauge,
    backlog: IntGaugeVec,
    backlog_oldest: IntGaugeVec,
}

/// What forward auth answered (INTEGRATION.md S15).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allowed,
    Refused,
    Unauthenticated,
}

/// What became of one attempt to send a mail or deliver a webhook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    Sent,
    Retried,
    Failed,
}

impl Delivery {
    fn label(self) -> &'static str {
        match self {
            Delivery::Sent => "sent",
            Delivery::Retried => "retried",
            Delivery::Failed => "failed",
        }
    }
}

/// A methods label never larger than this list: anything else is "other".
fn method_label(method: &str) -> &'static str {
    const KNOWN: &[&str] = &["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];
    KNOWN
        .iter()
        .find(|known| **known == method)
        .copied()
        .unwrap_or("other")
}

impl Metrics {
    /// The metrics of one server; `db` brings the pool and its wait-time histogram.
    pub fn new(db: &Db) -> Metrics {
        let registry = Registry::new();
        // Every name and label below is fixed and valid, and registered once: a failure here is
        // a mistake in this file, found by the first test that starts a server.
        fn registered<C: Collector + Clone + 'static>(registry: &Registry, collector: C) -> C {
            registry
                .register(Box::new(collector.clone()))
                .expect("registered once");
            collector
        }
        let counter = |name: &str, help: &str, labels: &[&str]| {
            let counter = IntCounterVec::new(Opts::new(name, help), labels).expect("valid metric");
            registered(&registry, counter)
        };
        let gauge = |name: &str, help: &str| {
            registered(&registry, IntGauge::new(name, help).expect("valid metric"))
        };
        let gauges = |name: &str, help: &str, labels: &[&str]| {
            let gauges = IntGaugeVec::new(Opts::new(name, help), labels).expect("valid metric");
            registered(&registry, gauges)
        };
        let requests = counter(
            "http_requests_total",
            "HTTP requests answered, by route template (never the raw path) and status.",
            &["method", "route", "status"],
        );
        let request_seconds = HistogramVec::new(
            HistogramOpts::new(
                "http_request_duration_seconds",
                "Time from a request's arrival to its answer, by route template.",
            )
            .buckets(SECONDS.to_vec()),
            &["method", "route"],
        )
        .expect("valid metric");
        let request_seconds = registered(&registry, request_seconds);
        registered(&registry, db.pool_wait().clone());
        let rate_limit_refusals = counter(
            "rate_limit_refusals_total",
            "Requests refused with 429 for being over a limit (README, Rate limits).",
            &["limit"],
        );
        let forward_auth = counter(
            "forward_auth_decisions_total",
            "Forward-auth answers: allowed (200), refused (403), unauthenticated (401 or 302).",
            &["decision"],
        );
        let sessions_created = IntCounter::new(
            "sessions_created_total",
            "Signed-in sessions started (sign-in, sign-up, accepting an invitation).",
        )
        .expect("valid metric");
        let sessions_created = registered(&registry, sessions_created);
        let mail = counter(
            "outbox_mail_attempts_total",
            "Attempts to send a queued mail by this process, by what became of them.",
            &["outcome"],
        );
        let webhooks = counter(
            "outbox_webhook_attempts_total",
            "Attempts to deliver a webhook by this process, by what became of them.",
            &["outcome"],
        );
        let pool_size = gauge(
            "db_pool_connections",
            "Connections the pool holds to PostgreSQL now.",
        );
        let pool_in_use = gauge(
            "db_pool_connections_in_use",
            "Connections lent to a request or a worker now.",
        );
        let backlog = gauges(
            "outbox_pending",
            "Mails and webhook deliveries waiting to go out, across every process.",
            &["kind"],
        );
        let backlog_oldest = gauges(
            "outbox_oldest_pending_age_seconds",
            "How long the oldest waiting mail or webhook delivery has waited (0 when none).",
            &["kind"],
        );
        let build = IntGaugeVec::new(
            Opts::new(
                "build_info",
                "The running build: always 1, the version as a label.",
            ),
            &["version"],
        )
        .expect("valid metric");
        build.with_label_values(&[env!("CARGO_PKG_VERSION")]).set(1);
        registered(&registry, build);
        for decision in ["allowed", "refused", "unauthenticated"] {
            forward_auth.with_label_values(&[decision]);
        }
        for outcome in ["sent", "retried", "failed"] {
            mail.with_label_values(&[outcome]);
            webhooks.with_label_values(&[outcome]);
        }
        Metrics {
            registry,
            requests,
            request_seconds,
            rate_limit_refusals,
            forward_auth,
            sessions_created,
            mail,
            webhooks,
            pool_size,
            pool_in_use,
            backlog,
            backlog_oldest,
        }
    }

    /// One answered request. `route` is the matched template (`/sharing/people/{id}`), or
    /// "unmatched", so a scan of random paths adds no series.
    pub fn request(&self, method: &str, route: &str, status: &str, seconds: f64) {
        let method = method_label(method);
        self.requests
            .with_label_values(&[method, route, status])
            .inc();
        self.request_seconds
            .with_label_values(&[method, route])
            .observe(seconds);
    }

    pub fn rate_limit_refused(&self, limit: &str) {
        self.rate_limit_refusals.with_label_values(&[limit]).inc();
    }

    pub fn forward_auth(&self, decision: Decision) {
        let label = match decision {
            Decision::Allowed => "allowed",
            Decision::Refused => "refused",
            Decision::Unauthenticated => "unauthenticated",
        };
        self.forward_auth.with_label_values(&[label]).inc();
    }

    pub fn mail(&self, outcome: Delivery) {
        self.mail.with_label_values(&[outcome.label()]).inc();
    }

    pub fn webhook(&self, outcome: Delivery) {
        self.webhooks.with_label_values(&[outcome.label()]).inc();
    }

    /// The text Prometheus scrapes, with the pool and the outbox read now.
    /// `backlog` is `None` when the database did not answer: those gauges then stay as they were.
    pub fn render(&self, db: &Db, backlog: Option<&[Backlog]>) -> String {
        let (size, idle) = db.pool_state();
        self.pool_size.set(i64::from(size));
        self.pool_in_use.set(i64::from(size.saturating_sub(idle)));
        for kind in ["mail", "webhook"] {
            let Some(backlog) = backlog else { break };
            let found = backlog.iter().find(|b| b.kind == kind);
            self.backlog
                .with_label_values(&[kind])
                .set(found.map_or(0, |b| b.pending));
            self.backlog_oldest
                .with_label_values(&[kind])
                .set(found.map_or(0, |b| b.oldest_age_seconds));
        }
        let mut text = Vec::new();
        TextEncoder::new()
            .encode(&self.registry.gather(), &mut text)
            .expect("the text format encodes any metric");
        String::from_utf8(text).expect("the text format is UTF-8")
    }
}

/// The pool's wait: how long a request or worker waited for a connection.
pub fn pool_wait_histogram() -> Histogram {
    Histogram::with_opts(
        HistogramOpts::new(
            "db_pool_wait_seconds",
            "Time spent waiting for a free database connection.",
        )
        .buckets(WAIT_SECONDS.to_vec()),
    )
    .expect("valid metric")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_methods_share_one_label() {
        assert_eq!(method_label("GET"), "GET");
        assert_eq!(method_label("PROPFIND"), "other");
        assert_eq!(method_label("get"), "other");
    }
}
