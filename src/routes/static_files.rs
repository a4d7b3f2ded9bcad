//! GET /static/{file} — the stylesheet and script, built into the binary so that one file is
//! all an operator deploys.

use actix_web::{HttpResponse, web};

use crate::error::AppError;

const FILES: &[(&str, &str, &str)] = &[
    (
        "app.css",
        "text/css; charset=utf-8",
        include_str!("../../static/app.css"),
    ),
    (
        "access-form.js",
        "text/javascript; charset=utf-8",
        include_str!("../../static/access-form.js"),
    ),
    (
        "copy.js",
        "text/javascript; charset=utf-8",
        include_str!("../../static/copy.js"),
    ),
    (
        "passkeys.js",
        "text/javascript; charset=utf-8",
        include_str!("../../static/passkeys.js"),
    ),
];

pub async fn serve(file: web::Path<String>) -> Result<HttpResponse, AppError> {
    let (_, content_type, body) = FILES
        .iter()
        .find(|(name, _, _)| *name == file.as_str())
        .ok_or(AppError::NotFound)?;
    Ok(HttpResponse::Ok()
        .content_type(*content_type)
        .insert_header(("Cache-Control", "public, max-age=3600"))
        .body(*body))
}
