//! The panel page: the request, who is on the panel and how they
//! answered, the discussion, the log of steps, the shared record (for the
//! lead and members) and what the caller may do next.

use cpms_domain::audit::NewEvent;
use cpms_domain::panel::{self, Activity, PanelRole, PostKind, Transition};
use cpms_store::repo::panel_guests::{self, GuestInvitation};
use cpms_store::repo::panel_meetings::{self, StoredMeeting};
use cpms_store::repo::panels::{self as repo, Member, Post, Shares, StoredPanel, TransitionEntry};
use cpms_store::repo::{audit, reference, users};

use super::access::{Loaded, panel_event};
use super::request::returned_with;
use super::shared::SharedRecord;
use crate::{App, AppError, Caller};

/// Everything the panel page shows.
#[derive(Debug, Clone)]
pub struct PanelView {
    pub panel: StoredPanel,
    pub lead_name: String,
    pub area_name: Option<String>,
    /// The caller's role on the panel; `None` for network staff.
    pub my_role: Option<PanelRole>,
    /// The caller's invitation, while it waits for an answer.
    pub invitation: Option<Member>,
    pub members: Vec<Member>,
    /// Guests invited by e-mail, newest first (for those who may invite).
    pub guests: Vec<GuestInvitation>,
    pub posts: Vec<Post>,
    /// By start, cancelled ones included.
    pub meetings: Vec<StoredMeeting>,
    pub log: Vec<TransitionEntry>,
    pub shares: Shares,
    /// For the lead and members only.
    pub shared: Option<SharedRecord>,
    pub contributions: usize,
    /// The network's comment when it returned the request.
    pub returned_with: Option<String>,
    pub may: PanelPermissions,
}

/// What the caller may do now (policy and lifecycle), for showing the
/// right buttons; each action is decided again when taken.
#[derive(Debug, Clone, Default)]
pub struct PanelPermissions {
    pub edit: bool,
    pub submit: bool,
    pub invite: bool,
    pub answer: bool,
    pub discuss: bool,
    /// Schedule, change and cancel meetings, keep minutes.
    pub schedule: bool,
    /// Read meeting minutes (the lead, members, and who schedules).
    pub minutes: bool,
    /// Posting as the lead (answers) rather than as a member.
    pub as_lead: bool,
    pub triage: bool,
    /// Lifecycle steps offered on the page.
    pub steps: Vec<Transition>,
}

/// Steps the page offers as buttons; submitting and triage have their own
/// forms.
const PAGE_STEPS: [Transition; 7] = [
    Transition::StartOutcome,
    Transition::RequestSignOff,
    Transition::ReviseOutcome,
    Transition::Close,
    Transition::Archive,
    Transition::Reopen,
    Transition::Cancel,
];

impl App {
    /// The panel page's content; audited as a read of the panel (and of
    /// the shared record when it is shown).
    pub async fn panel(&self, caller: &Caller, reference: &str) -> Result<PanelView, AppError> {
        let loaded = self.load_panel(caller, reference).await?;
        self.panel_may(caller, &loaded, Activity::View).await?;
        let may = permissions(caller, &loaded);
        let shared = if panel::may(
            &caller.actor(),
            loaded.resource(),
            loaded.panel.state,
            Activity::ViewShared,
        )
        .is_ok()
        {
            Some(self.shared_record_of(caller, &loaded).await?)
        } else {
            None
        };
        let p = &loaded.panel;
        let mut conn = self.store().read().await?;
        let lead_name = users::get(&mut conn, p.lead)
            .await?
            .map(|u| u.display_name)
            .unwrap_or_default();
        let area_name = match p.area {
            Some(area) => reference::areas_of_ern(&mut conn, &p.ern)
                .await?
                .into_iter()
                .find(|a| a.id == area)
                .map(|a| a.name),
            None => None,
        };
        let members = repo::members(&mut conn, p.id).await?;
        let guests = if may.invite {
            panel_guests::of_panel(&mut conn, p.id).await?
        } else {
            Vec::new()
        };
        let posts = repo::posts(&mut conn, p.id).await?;
        let mut meetings = panel_meetings::of_panel(&mut conn, p.id).await?;
        if !may.minutes {
            for m in &mut meetings {
                m.minutes = None;
            }
        }
        let log = repo::transitions(&mut conn, p.id).await?;
        let shares = repo::shares(&mut conn, p.id).await?;
        drop(conn);
        self.audit_panel_read(caller, &loaded.panel).await?;
        let invitation = members
            .iter()
            .find(|m| m.user == caller.user.id && m.granted_role() == Some(PanelRole::Invited))
            .cloned();
        Ok(PanelView {
            returned_with: returned_with(&log)
                .filter(|_| loaded.panel.state == panel::PanelState::Draft),
            contributions: posts
                .iter()
                .filter(|p| p.kind == PostKind::Contribution)
                .count(),
            lead_name,
            area_name,
            my_role: loaded.role,
            invitation,
            members,
            guests,
            posts,
            meetings,
            log,
            shares,
            shared,
            may,
            panel: loaded.panel,
        })
    }

    async fn audit_panel_read(&self, caller: &Caller, panel: &StoredPanel) -> Result<(), AppError> {
        let event: NewEvent = panel_event(caller, "panel.read", panel, None);
        let mut tx = self.store().write().await?;
        audit::append(&mut tx, event, self.now()).await?;
        tx.commit().await?;
        Ok(())
    }
}

fn permissions(caller: &Caller, loaded: &Loaded) -> PanelPermissions {
    let actor = caller.actor();
    let state = loaded.panel.state;
    let may = |activity| panel::may(&actor, loaded.resource(), state, activity).is_ok();
    let can_step = |t| panel::attempt(&actor, loaded.resource(), state, t).is_ok();
    PanelPermissions {
        edit: may(Activity::EditRequest),
        submit: can_step(Transition::Submit),
        invite: may(Activity::Invite),
        answer: may(Activity::AnswerInvitation),
        discuss: may(Activity::Discuss),
        schedule: may(Activity::ScheduleMeeting),
        minutes: may(Activity::ViewShared)
            || policy_allows(&actor, loaded, Activity::ScheduleMeeting),
        as_lead: loaded.as_lead(caller),
        triage: can_step(Transition::Forward),
        steps: PAGE_STEPS.into_iter().filter(|t| can_step(*t)).collect(),
    }
}

/// Whether the policy alone grants `activity` (whatever the panel's state):
/// who may schedule meetings may read their minutes on a closed panel too.
fn policy_allows(actor: &cpms_domain::policy::Actor, loaded: &Loaded, activity: Activity) -> bool {
    cpms_domain::policy::can(actor, activity.action(), loaded.resource()).is_allowed()
}
