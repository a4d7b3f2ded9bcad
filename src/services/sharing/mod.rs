//! Sharing an account (SPEC S5–S9, S12, S13), one use case a file: the page and its export, an
//! invitation, a batch of them, an edit, Delete access and Re-send. Each submission is one call
//! and one transaction: the form's button applied, a send decided under the account's lock, so
//! limits hold under concurrency and nothing is written unless it is sent. The pages call these
//! functions; whatever else acts on sharing is to call the same ones.

mod batch;
mod delete;
mod edit;
mod form;
mod invite;
mod notices;
mod overview;
mod resend;

pub use batch::{BatchOutcome, BatchSubmission, ListProblem, submit_batch};
pub use delete::{delete, delete_within, member};
pub use edit::{edit_form, edit_within, submit_edit};
pub use form::{AccessForm, Check, Decision, FormCommand, Refusal, Submission};
pub use invite::{invite_form, invite_within, submit_invitation};
pub use overview::{
    Delivery, MemberView, Overview, OverviewOutcome, PAGE_SIZE, PageRead, PeopleAfter,
    PeopleFilter, PersonKey, StatusFilter, everyone, overview, page_query, people_after, person,
};
pub use resend::resend;
