//! A page read in the session's statement: one round trip to PostgreSQL instead of two
//! (issue 20). The session middleware reads the session before the route is known, so a page
//! asks for its data here, from a middleware outside the session's that knows the route; the
//! session store then reads the page in the same statement, and the page takes what was read.
//! The page checks that it is what it would have read itself (the same owner's account and the
//! same view), and otherwise reads it with its own statement: reading ahead can cost a round
//! trip, never change what is shown.
//!
//! The request's future carries the ask and the answer (a task-local), since the store is given
//! only the session's key.

use std::{cell::RefCell, future::Future};

use crate::services::sharing::{PageRead, PeopleFilter};

enum Slot {
    /// This view of the sharing table, for whoever the session names.
    Asked(PeopleFilter),
    Read(PageRead),
    Taken,
}

tokio::task_local! {
    static SLOT: RefCell<Slot>;
}

/// Runs `request` asking for `filter`'s page of the sharing table with its session.
pub async fn asking_for_sharing_page<F: Future>(filter: PeopleFilter, request: F) -> F::Output {
    SLOT.scope(RefCell::new(Slot::Asked(filter)), request).await
}

/// The view of the sharing table this request asks to read with its session, if any.
pub fn asked_sharing_page() -> Option<PeopleFilter> {
    SLOT.try_with(|slot| match &*slot.borrow() {
        Slot::Asked(filter) => Some(filter.clone()),
        _ => None,
    })
    .ok()
    .flatten()
}

/// The page read with the session, for the page to take.
pub fn deliver(read: PageRead) {
    // Outside a request asking for it there is nobody to take it.
    let _ = SLOT.try_with(|slot| slot.replace(Slot::Read(read)));
}

/// The page read with the session, once.
pub fn take_sharing_page() -> Option<PageRead> {
    SLOT.try_with(|slot| match slot.replace(Slot::Taken) {
        Slot::Read(read) => Some(read),
        _ => None,
    })
    .ok()
    .flatten()
}
