//! The rendering floor of the sharing page and the Activity page, for `./dev bench load`: the
//! first page of each owner named on the command line, read once from `DATABASE_URL` through the
//! service the handler calls, then rendered in-process again and again (the Activity page's
//! records described in words too), with no database and no HTTP. Prints one line per page and
//! owner: the page, the owner, microseconds and heap allocations per render, and the size.
//!
//!     DATABASE_URL=... cargo run --release --example render_floor -- agency@seed.example.com

use std::{
    alloc::{GlobalAlloc, Layout as AllocLayout, System},
    process::ExitCode,
    sync::atomic::{AtomicU64, Ordering},
    time::{Duration, Instant},
};

use account_sharing::{
    config::Settings,
    db,
    db::audit::EventFilter,
    i18n::Locale,
    routes::sharing::{activity::render_activity_page, render_share_page},
    services::{
        audit,
        owner::Owner,
        sharing::{self, OverviewOutcome, PeopleFilter},
    },
    startup,
    web::layout::Layout,
};

/// The system allocator, counting: "no per-cell strings" is a number, not an impression.
struct Counting;

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: AllocLayout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: AllocLayout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: AllocLayout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Long enough for the clock's resolution and the caches to stop mattering.
const MEASURED_FOR: Duration = Duration::from_secs(2);

async fn owner_of(state: &account_sharing::state::AppState, email: &str) -> Option<Owner> {
    let email = email.to_owned();
    state
        .db
        .run(move |conn| {
            let person = db::people::find_by_email(conn, &email)?;
            let Some(person) = person else {
                return Ok(None);
            };
            let account = db::accounts::find_by_owner(conn, person.id)?;
            Ok(account.map(|account| Owner::of(person, account, Locale::En, None)))
        })
        .await
        .ok()
        .flatten()
}

#[actix_web::main]
async fn main() -> ExitCode {
    let settings = match Settings::from_env() {
        Ok(settings) => settings,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let state = match startup::state_without_server(settings).await {
        Ok(state) => state,
        Err(e) => {
            eprintln!("Could not reach the database: {e:#}");
            return ExitCode::FAILURE;
        }
    };
    for email in std::env::args().skip(1) {
        let Some(owner) = owner_of(&state, &email).await else {
            eprintln!("{email}: no such owner");
            return ExitCode::FAILURE;
        };
        let filter = PeopleFilter {
            page: 1,
            ..PeopleFilter::default()
        };
        let Ok(OverviewOutcome::Shown(overview)) =
            sharing::overview(&state, &owner, filter.clone(), None).await
        else {
            eprintln!("{email}: the sharing page could not be read");
            return ExitCode::FAILURE;
        };
        let layout = Layout {
            csrf_token: "x".repeat(43),
            signed_in: true,
            owner: true,
            here: "/sharing".to_owned(),
            ..Layout::default()
        };
        let Ok(activity) = audit::activity(&state, &owner, EventFilter::default(), 1).await else {
            eprintln!("{email}: the Activity page could not be read");
            return ExitCode::FAILURE;
        };
        let activity_layout = Layout {
            here: "/sharing/activity".to_owned(),
            ..layout.clone()
        };
        let pages: [(&str, &dyn Fn() -> askama::Result<String>); 2] = [
            ("sharing", &|| {
                render_share_page(&layout, &owner, &filter, &overview)
            }),
            ("activity", &|| {
                render_activity_page(&activity_layout, &activity)
            }),
        ];
        for (page, render) in pages {
            match measure(render) {
                Ok((micros, allocations, size)) => {
                    println!("{page}\t{email}\t{micros:.0}\t{allocations}\t{size}")
                }
                Err(e) => {
                    eprintln!("{email}: the {page} page failed to render: {e}");
                    return ExitCode::FAILURE;
                }
            }
        }
    }
    ExitCode::SUCCESS
}

/// Microseconds and allocations per render, and the page's size.
fn measure(render: &dyn Fn() -> askama::Result<String>) -> askama::Result<(f64, u64, usize)> {
    let size = render()?.len();
    let (started, allocations_before) = (Instant::now(), ALLOCATIONS.load(Ordering::Relaxed));
    let mut renders = 0u64;
    while started.elapsed() < MEASURED_FOR {
        std::hint::black_box(render().ok());
        renders += 1;
    }
    let micros = started.elapsed().as_secs_f64() * 1e6 / renders as f64;
    let allocations = ALLOCATIONS.load(Ordering::Relaxed) - allocations_before;
    Ok((micros, allocations / renders, size))
}
