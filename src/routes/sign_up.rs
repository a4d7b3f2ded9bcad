//! GET and POST /sign-up — a new person and their master account.

use actix_web::{HttpResponse, http::StatusCode, web};
use askama::Template;
use serde::Deserialize;

use crate::web::filters;
use crate::{
    domain::{email::EmailAddress, name::DisplayName, password::NewPassword, plan::Plan},
    error::AppResult,
    i18n::Locale,
    messages,
    services::{
        accounts::{self, SignUp},
        limits::{self, Limited},
    },
    state::AppState,
    web::{
        client_ip::ClientIp,
        form::{Form, FormErrors},
        layout::Layout,
        render::render_page,
    },
};

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignUpForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    plan: String,
}

impl SignUpForm {
    fn parse(&self, l: Locale) -> Result<SignUp, FormErrors> {
        let form = self;
        let mut errors = FormErrors::default();
        let email = errors.check("email", EmailAddress::parse(&form.email), |e| {
            messages::email_error(l, e)
        });
        let name = errors.check("name", DisplayName::parse(&form.name), |e| {
            messages::display_name_error(l, e)
        });
        let password = errors.check(
            "password",
            NewPassword::parse(&form.password, email.as_ref()),
            |e| messages::password_error(l, e),
        );
        let plan = Plan::from_code(&form.plan).filter(|plan| *plan != Plan::Enterprise);
        if plan.is_none() {
            errors.add("plan", l.t(messages::CHOOSE_PLAN));
        }
        match (email, name, password, plan) {
            (Some(email), Some(name), Some(password), Some(plan)) if errors.is_empty() => {
                Ok(SignUp {
                    email,
                    name,
                    password,
                    plan,
                    locale: l,
                })
            }
            _ => Err(errors),
        }
    }
}

pub struct PlanChoice {
    code: &'static str,
    name: String,
    summary: String,
}

#[derive(Template)]
#[template(path = "sign_up/new.html")]
struct SignUpPage {
    layout: Layout,
    form: SignUpForm,
    errors: FormErrors,
    plans: Vec<PlanChoice>,
}

#[derive(Template)]
#[template(path = "sign_up/done.html")]
struct SignUpDonePage {
    layout: Layout,
    email: String,
    valid_hours: u64,
}

fn plan_choices(l: Locale) -> Vec<PlanChoice> {
    Plan::self_serve()
        .map(|plan| PlanChoice {
            code: plan.code(),
            name: messages::plan_name(l, plan),
            summary: messages::plan_summary(l, plan),
        })
        .collect()
}

fn form_page(layout: Layout, form: SignUpForm, errors: FormErrors) -> HttpResponse {
    let status = errors.status();
    let page = SignUpPage {
        plans: plan_choices(layout.locale),
        layout,
        form,
        errors,
    };
    render_page(status, &page)
}

/// `?plan=gold-premium`, from a pricing page's link: that plan comes chosen.
#[derive(Deserialize)]
pub struct PlanQuery {
    plan: Option<String>,
}

pub async fn new(layout: Layout, query: web::Query<PlanQuery>) -> AppResult<HttpResponse> {
    let plan = query
        .plan
        .as_deref()
        .and_then(Plan::from_code)
        .filter(|plan| *plan != Plan::Enterprise)
        .map(|plan| plan.code().to_owned())
        .unwrap_or_default();
    let form = SignUpForm {
        plan,
        ..SignUpForm::default()
    };
    Ok(form_page(layout, form, FormErrors::default()))
}

pub async fn create(
    state: web::Data<AppState>,
    layout: Layout,
    ClientIp(ip): ClientIp,
    Form(form): Form<SignUpForm>,
) -> AppResult<HttpResponse> {
    let command = match form.parse(layout.locale) {
        Ok(command) => command,
        Err(errors) => return Ok(form_page(layout, form, errors)),
    };
    let email = command.email.to_string();
    // Each sign-up sends a mail (a verification, or a warning to an address that has a login):
    // counted per address and per IP before anything is queued.
    let attempts = vec![
        (Limited::SignUpPerAddress, email.clone()),
        (Limited::SignUpPerIp, ClientIp(ip).key()),
    ];
    limits::count_all(&state, attempts).await?;
    accounts::sign_up(&state, command).await?;
    let page = SignUpDonePage {
        layout,
        email,
        valid_hours: state.settings.verification_link_ttl.as_secs() / 3600,
    };
    Ok(render_page(StatusCode::OK, &page))
}
