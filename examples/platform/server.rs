//! A stand-in for the email platform: whatever is asked, it answers with the method, the path
//! and every `Remote-*` and `X-Sharing-*` header it received, so that one can see what the
//! proxy let through and who it said the person was. The test suite serves it behind Debian's
//! nginx; `cargo run --example platform` serves it on its own.

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, dev::Server, web};

/// Serves the stand-in on `listener` with one worker: it only echoes.
pub fn serve(listener: std::net::TcpListener) -> std::io::Result<Server> {
    Ok(
        HttpServer::new(|| App::new().default_service(web::to(echo)))
            .workers(1)
            .listen(listener)?
            .run(),
    )
}

/// `GET /accounts/42/campaigns`, then one `name: value` line per header the gate sets.
async fn echo(req: HttpRequest) -> HttpResponse {
    let mut headers: Vec<String> = req
        .headers()
        .iter()
        .filter(|(name, _)| {
            let name = name.as_str();
            name.starts_with("remote-") || name.starts_with("x-sharing-")
        })
        .map(|(name, value)| format!("{name}: {}", String::from_utf8_lossy(value.as_bytes())))
        .collect();
    headers.sort();
    let mut body = format!("{} {}\n", req.method(), req.uri());
    for line in headers {
        body.push_str(&line);
        body.push('\n');
    }
    HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .body(body)
}
