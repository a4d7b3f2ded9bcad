//! What the invite, batch and edit forms share (SPEC S5, S7): the form as shown, its buttons
//! applied to the draft, the check step before sending, and the opening every submission makes:
//! the account locked when the button sends, the context loaded, the button applied.

use diesel::PgConnection;

use crate::{
    db::{self, accounts::Account},
    domain::{
        access_draft::{AccessDraft, Change, DraftAction, Forgery, Problem, fingerprint},
        ids::{AccountRef, MemberId},
        permission::{AreaSet, RestrictionSet},
        quota::{self, AdvancedSummary, PremiumRoles, QuotaError},
        role::Role,
    },
    error::{AppError, AppResult},
    messages,
    services::owner::{Grants, Owner, SharingContext, load_context},
};

/// Why an invitation or edit was refused; each has words in `messages`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    OwnAddress,
    AlreadyHasAccess,
    Quota(QuotaError),
}

/// The form as it is to be shown.
pub struct AccessForm {
    pub context: SharingContext,
    pub draft: AccessDraft,
    /// Whether the premium roles can be offered, and if not why.
    pub premium: PremiumRoles,
    /// The roles the person holds now (edit only): kept even where the plan would no longer
    /// offer them (S11).
    pub kept: Vec<(AccountRef, Role)>,
}

/// What the check step before sending shows (S5, S13).
#[derive(Debug, Clone)]
pub struct Check {
    /// Who the access goes to: one address, or every address of a batch.
    pub recipients: Vec<String>,
    pub grants: Grants,
    /// "Copy to all below" filled the sub-account rows from the master account's.
    pub copied: Option<(AreaSet, RestrictionSet, usize)>,
    pub advanced: AdvancedSummary,
    /// What the check's own "Send" button carries back.
    pub fingerprint: String,
}

impl Check {
    /// Whether sending must wait for the check step's own Send: something is worth checking
    /// (an advanced access taken, boxes copied, several people invited at once), and what was
    /// confirmed is not what would be sent. A caller of the API composed the whole request:
    /// there is no check step to show it.
    pub(super) fn awaits(&self, command: &FormCommand) -> bool {
        let needed =
            self.advanced.takes_a_new_one || self.copied.is_some() || self.recipients.len() > 1;
        needed
            && !command.confirmed_by_caller
            && command.confirmation.as_deref() != Some(self.fingerprint.as_str())
    }
}

pub enum Decision {
    /// Shown again: after a button other than send, or with problems to fix.
    Shown,
    CheckFirst(Check),
    Refused(Refusal),
    Done,
}

pub struct Submission {
    pub form: AccessForm,
    pub change: Option<Change>,
    pub problems: Vec<Problem>,
    pub decision: Decision,
}

impl Submission {
    /// A form as first shown, nothing submitted yet.
    pub fn shown(form: AccessForm) -> Submission {
        Submission {
            form,
            change: None,
            problems: Vec::new(),
            decision: Decision::Shown,
        }
    }

    /// The invite or batch form after a submission: nobody's grants are kept, as nobody is
    /// being edited.
    pub(super) fn of_invite_form(
        context: SharingContext,
        draft: AccessDraft,
        change: Option<Change>,
        problems: Vec<Problem>,
        decision: Decision,
    ) -> Submission {
        Submission {
            form: AccessForm {
                premium: quota::premium_roles(context.limits, context.usage, false),
                draft,
                context,
                kept: Vec::new(),
            },
            change,
            problems,
            decision,
        }
    }
}

/// The form's fields as the handler parsed them.
pub struct FormCommand {
    pub draft: AccessDraft,
    pub action: DraftAction,
    /// The fingerprint a check step's "Send" carried, if that is the button pressed.
    pub confirmation: Option<String>,
    /// The request is its own confirmation (the members API): no check step is shown.
    pub confirmed_by_caller: bool,
}

impl FormCommand {
    /// "Send" pressed on a form whose check step, if any, is still to be shown.
    pub fn send(draft: AccessDraft) -> FormCommand {
        FormCommand {
            draft,
            action: DraftAction::Send,
            confirmation: None,
            confirmed_by_caller: false,
        }
    }

    /// What the members API sends: the access exactly as asked, nothing left to confirm.
    pub fn from_api(draft: AccessDraft) -> FormCommand {
        FormCommand {
            confirmed_by_caller: true,
            ..FormCommand::send(draft)
        }
    }
}

fn refused_draft(forgery: Forgery) -> AppError {
    match forgery {
        Forgery::UnknownAccount => AppError::NotFound,
        Forgery::Malformed => AppError::BadRequest(messages::BAD_FORM),
    }
}

/// Applies the form's button to the draft. `None` when something must be fixed first or the
/// button was not send; otherwise the grants asked for.
pub(super) fn apply_button(
    context: &SharingContext,
    command: &mut FormCommand,
    problems: &mut Vec<Problem>,
) -> AppResult<(Option<Change>, Option<Grants>)> {
    let (change, found) = command
        .draft
        .apply(command.action, &context.accounts)
        .map_err(refused_draft)?;
    problems.extend(found);
    if command.action != DraftAction::Send {
        return Ok((change, None));
    }
    match command.draft.grants() {
        Ok(grants) if problems.is_empty() => Ok((change, Some(grants))),
        Ok(_) => Ok((change, None)),
        Err(found) => {
            problems.extend(found);
            Ok((change, None))
        }
    }
}

pub(super) fn check_for(
    recipients: Vec<String>,
    draft: &AccessDraft,
    grants: Grants,
    advanced: AdvancedSummary,
) -> Check {
    let copied = draft
        .copies_to_all_below()
        .then(|| draft.rows.first())
        .flatten()
        .filter(|_| draft.rows.len() > 1)
        .map(|master| (master.areas, master.restrictions, draft.rows.len() - 1));
    Check {
        fingerprint: fingerprint(&recipients.join("\n"), &grants),
        recipients,
        grants,
        copied,
        advanced,
    }
}

/// What a submission's opening gives the use case.
pub(super) struct Opened {
    pub account: Account,
    pub context: SharingContext,
    pub change: Option<Change>,
    pub problems: Vec<Problem>,
    /// The grants asked for, when the button was send and nothing needs fixing.
    pub grants: Option<Grants>,
}

/// A submission's opening, the same for every form: when the button is send, the owner
/// may send mail and the account is locked until the transaction ends, so the limits read next
/// hold; then the context is loaded (leaving out `except`, someone being edited) and the button
/// applied to the draft.
pub(super) fn open(
    conn: &mut PgConnection,
    owner: &Owner,
    command: &mut FormCommand,
    except: Option<MemberId>,
) -> AppResult<Opened> {
    let account = if command.action == DraftAction::Send {
        owner.may_send_mail()?;
        db::members::lock_account(conn, owner.master())?
    } else {
        owner.account.clone()
    };
    let context = load_context(conn, &account, except)?;
    let mut problems = Vec::new();
    let (change, grants) = apply_button(&context, command, &mut problems)?;
    Ok(Opened {
        account,
        context,
        change,
        problems,
        grants,
    })
}
