//! Turns a page struct into a response with the status the situation calls for.

use std::sync::atomic::{AtomicUsize, Ordering};

use actix_web::{HttpResponse, http::StatusCode};
use askama::Template;

/// How long each page came out last time, by page type. A sharing page of 300 kB rendered into
/// askama's own guess (its literal text, a few kB) grows its buffer a dozen times, copying as it
/// goes; sized from the last render it is allocated once. A page type is known by the address of
/// its name, a constant of the binary; pages share a slot when those addresses collide, which
/// costs only a less apt guess.
static LAST_LENGTHS: [AtomicUsize; 64] = [const { AtomicUsize::new(0) }; 64];

fn last_length<T>() -> &'static AtomicUsize {
    let name = std::any::type_name::<T>().as_ptr() as usize;
    &LAST_LENGTHS[(name >> 3) % LAST_LENGTHS.len()]
}

/// Renders `page` into a buffer sized from its previous render, with room for it to grow an
/// eighth.
pub fn render_sized<T: Template>(page: &T) -> askama::Result<String> {
    let last = last_length::<T>();
    let expected = last.load(Ordering::Relaxed);
    let mut html = String::with_capacity((expected + expected / 8).max(T::SIZE_HINT));
    page.render_into(&mut html)?;
    last.store(html.len(), Ordering::Relaxed);
    // Exactly as long as the page: a body with spare room becomes a shared `Bytes`, which actix
    // copies whole if it needs it as a `Vec` (perf showed `shared_to_vec` copying pages); one
    // with none is handed over as it is. jemalloc shrinks a block that large in place.
    html.shrink_to_fit();
    Ok(html)
}

/// Renders `page` with `status`: 200 for pages, 422 for a form shown again with its errors, 4xx/5xx
/// for error pages. A template that fails to render is a bug: logged, and a plain 500 served.
pub fn render_page<T: Template>(status: StatusCode, page: &T) -> HttpResponse {
    match render_sized(page) {
        Ok(html) => HttpResponse::build(status)
            .content_type("text/html; charset=utf-8")
            .body(html),
        Err(e) => {
            tracing::error!(error = %e, "template failed to render");
            HttpResponse::InternalServerError()
                .content_type("text/plain; charset=utf-8")
                .body("Internal error")
        }
    }
}

pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header(("Location", location))
        .finish()
}
