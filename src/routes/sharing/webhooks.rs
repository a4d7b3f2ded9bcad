//! Share your account → Webhooks (INTEGRATION.md S17): the owner's endpoints, adding one (its
//! signing secret shown once), each one's delivery log with Re-send for what failed, and
//! deleting one after a confirmation.

use actix_web::{HttpResponse, http::StatusCode, web};
use askama::Template;
use serde::Deserialize;

use crate::{
    domain::webhook::{EVENTS, TargetError},
    error::AppResult,
    i18n::Locale,
    services::{
        owner::Owner,
        webhooks::{self, AddRefusal, MAX_ENDPOINTS},
    },
    state::AppState,
    web::{
        current::CurrentOwner,
        form::{Form, FormErrors},
        layout::Layout,
        render::{render_page, see_other},
        session::TypedSession,
    },
};

use super::super::sessions::EmptyForm;
use crate::web::filters;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EndpointForm {
    #[serde(default)]
    url: String,
}

pub struct EndpointLine {
    pub id: i64,
    pub url: String,
    pub created: String,
    pub failed: i64,
}

pub struct DeliveryLine {
    pub id: i64,
    pub event: String,
    pub message_id: String,
    pub created: String,
    pub status: String,
    pub failed: bool,
    pub delivered: bool,
    pub attempts: i32,
    pub last: String,
}

#[derive(Template)]
#[template(path = "sharing/webhooks.html")]
struct WebhooksPage {
    layout: Layout,
    endpoints: Vec<EndpointLine>,
    events: Vec<&'static str>,
    url: String,
    errors: FormErrors,
}

#[derive(Template)]
#[template(path = "sharing/webhook_added.html")]
struct AddedPage {
    layout: Layout,
    url: String,
    secret: String,
}

#[derive(Template)]
#[template(path = "sharing/webhook_log.html")]
struct LogPage {
    layout: Layout,
    id: i64,
    url: String,
    deliveries: Vec<DeliveryLine>,
}

#[derive(Template)]
#[template(path = "sharing/webhook_delete.html")]
struct DeletePage {
    layout: Layout,
    id: i64,
    url: String,
}

async fn page(
    state: &AppState,
    owner: &Owner,
    layout: Layout,
    url: String,
    errors: FormErrors,
) -> AppResult<HttpResponse> {
    let l = layout.locale;
    let endpoints = webhooks::list(state, owner)
        .await?
        .into_iter()
        .map(|(endpoint, failed)| EndpointLine {
            id: endpoint.id,
            url: endpoint.url,
            created: l.date(endpoint.created_at),
            failed,
        })
        .collect();
    let page = WebhooksPage {
        layout,
        endpoints,
        events: EVENTS.to_vec(),
        url,
        errors,
    };
    Ok(render_page(page.errors.status(), &page))
}

pub async fn index(
    state: web::Data<AppState>,
    CurrentOwner(owner): CurrentOwner,
    layout: Layout,
) -> AppResult<HttpResponse> {
    page(&state, &owner, layout, String::new(), FormErrors::default()).await
}

fn refusal_words(l: Locale, refusal: AddRefusal) -> String {
    match refusal {
        AddRefusal::Target(TargetError::Malformed) => l.t("webhooks-url-malformed"),
        AddRefusal::Target(TargetError::NotHttps) => l.t("webhooks-url-https"),
        AddRefusal::Target(TargetError::Private) => l.t("webhooks-url-private"),
        AddRefusal::Target(TargetError::Unresolved) => l.t("webhooks-url-unresolved"),
        AddRefusal::TooMany => l.tr1("webhooks-too-many", "limit", MAX_ENDPOINTS),
    }
}

pub async fn create(
    state: web::Data<AppState>,
    CurrentOwner(owner): CurrentOwner,
    layout: Layout,
    Form(form): Form<EndpointForm>,
) -> AppResult<HttpResponse> {
    let url = form.url.trim().to_owned();
    let refusal = if url.is_empty() {
        Some(layout.t("webhooks-url-empty"))
    } else {
        match webhooks::add(&state, &owner, &url).await? {
            Ok((endpoint, secret)) => {
                let page = AddedPage {
                    layout,
                    url: endpoint.url,
                    secret,
                };
                return Ok(render_page(StatusCode::CREATED, &page));
            }
            Err(refusal) => Some(refusal_words(layout.locale, refusal)),
        }
    };
    let mut errors = FormErrors::default();
    if let Some(words) = refusal {
        errors.add("url", words);
    }
    page(&state, &owner, layout, form.url, errors).await
}

pub async fn log(
    state: web::Data<AppState>,
    CurrentOwner(owner): CurrentOwner,
    layout: Layout,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let l = layout.locale;
    let (endpoint, deliveries) = webhooks::log(&state, &owner, path.into_inner()).await?;
    let deliveries = deliveries
        .into_iter()
        .map(|delivery| {
            let last = match (delivery.last_status, &delivery.last_error) {
                (Some(status), _) => l.tr1("webhooks-answered", "status", status),
                (None, Some(error)) => error_words(l, error),
                (None, None) => String::new(),
            };
            DeliveryLine {
                id: delivery.id,
                status: l.t(match delivery.status.as_str() {
                    "delivered" => "webhooks-delivered",
                    "failed" => "webhooks-failed",
                    _ => "webhooks-pending",
                }),
                failed: delivery.status == "failed",
                delivered: delivery.status == "delivered",
                event: delivery.event_type,
                message_id: delivery.message_id,
                created: l.date_time(delivery.created_at),
                attempts: delivery.attempts,
                last,
            }
        })
        .collect();
    let page = LogPage {
        layout,
        id: endpoint.id,
        url: endpoint.url,
        deliveries,
    };
    Ok(render_page(StatusCode::OK, &page))
}

/// What the worker noted of a failed attempt (`services::webhooks`), in the owner's language.
fn error_words(l: Locale, error: &str) -> String {
    if error.starts_with("refused") {
        l.t("webhooks-error-refused")
    } else if error == "timed out" {
        l.t("webhooks-error-timeout")
    } else if error == "could not connect" {
        l.t("webhooks-error-connect")
    } else {
        l.t("webhooks-error-other")
    }
}

pub async fn resend(
    state: web::Data<AppState>,
    session: TypedSession,
    CurrentOwner(owner): CurrentOwner,
    layout: Layout,
    path: web::Path<(i64, i64)>,
    Form(_): Form<EmptyForm>,
) -> AppResult<HttpResponse> {
    let (endpoint, delivery) = path.into_inner();
    webhooks::resend(&state, &owner, endpoint, delivery).await?;
    session.set_flash(&layout.t("webhooks-flash-resent"))?;
    Ok(see_other(&format!("/sharing/webhooks/{endpoint}")))
}

pub async fn confirm_delete(
    state: web::Data<AppState>,
    CurrentOwner(owner): CurrentOwner,
    layout: Layout,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let endpoint = webhooks::endpoint(&state, &owner, path.into_inner()).await?;
    let page = DeletePage {
        layout,
        id: endpoint.id,
        url: endpoint.url,
    };
    Ok(render_page(StatusCode::OK, &page))
}

pub async fn delete(
    state: web::Data<AppState>,
    session: TypedSession,
    CurrentOwner(owner): CurrentOwner,
    layout: Layout,
    path: web::Path<i64>,
    Form(_): Form<EmptyForm>,
) -> AppResult<HttpResponse> {
    webhooks::delete(&state, &owner, path.into_inner()).await?;
    session.set_flash(&layout.t("webhooks-flash-deleted"))?;
    Ok(see_other("/sharing/webhooks"))
}
