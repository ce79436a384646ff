//! Finding a panel and deciding what the caller may do on it: the one
//! path every panel use case starts from.

use cpms_domain::audit::{NewEvent, Outcome};
use cpms_domain::ids::UserId;
use cpms_domain::panel::{self, Activity, PanelRefusal, PanelRole, PanelState, Transition};
use cpms_domain::policy::{Action, Resource};
use cpms_store::repo::audit;
use cpms_store::repo::panels::{self as repo, StoredPanel};

use super::event::{PanelEvent, PanelEventKind, Recipients};
use crate::{App, AppError, Caller};

/// A panel and the part the caller plays on it.
#[derive(Debug, Clone)]
pub(crate) struct Loaded {
    pub panel: StoredPanel,
    /// From the caller's own account: the lead, or their member row (none
    /// once declined). Assistants acting for the lead are recognised by
    /// the policy itself.
    pub role: Option<PanelRole>,
}

impl Loaded {
    pub fn resource(&self) -> Resource<'_> {
        Resource::Panel {
            ern: &self.panel.ern,
            lead: self.panel.lead,
            lead_hcp: self.panel.lead_hcp,
            role: self.role,
        }
    }

    pub fn target(&self) -> String {
        format!("panel:{}", self.panel.id)
    }

    /// Whether the caller speaks as the lead: the lead, or an assistant
    /// acting for them (once the policy let them in).
    pub fn as_lead(&self, caller: &Caller) -> bool {
        caller.works_for() == self.panel.lead
    }

    /// An event about this panel for `recipients`.
    pub fn event(&self, kind: PanelEventKind, recipients: Recipients) -> PanelEvent {
        PanelEvent {
            kind,
            panel: self.panel.reference.clone(),
            urgent: self.panel.urgency == panel::Urgency::Urgent,
            recipients,
            reason: None,
        }
    }
}

impl App {
    /// The panel with this reference and the caller's role on it.
    pub(crate) async fn load_panel(
        &self,
        caller: &Caller,
        reference: &str,
    ) -> Result<Loaded, AppError> {
        let mut conn = self.store().read().await?;
        let panel = repo::get_by_reference(&mut conn, reference.trim())
            .await?
            .ok_or_else(|| AppError::not_found("That panel"))?;
        loaded(&mut conn, panel, caller).await
    }

    /// Whether the caller may do `activity` now; refusals by the policy are
    /// audited, refusals by the lifecycle explain the panel's state.
    pub(crate) async fn panel_may(
        &self,
        caller: &Caller,
        loaded: &Loaded,
        activity: Activity,
    ) -> Result<(), AppError> {
        let state = loaded.panel.state;
        match panel::may(&caller.actor(), loaded.resource(), state, activity) {
            Ok(()) => Ok(()),
            Err(refusal) => Err(self
                .panel_refusal(caller, loaded, activity.action(), refusal)
                .await),
        }
    }

    /// The state `transition` leads to, if the caller may take it now.
    pub(crate) async fn panel_attempt(
        &self,
        caller: &Caller,
        loaded: &Loaded,
        transition: Transition,
    ) -> Result<PanelState, AppError> {
        let state = loaded.panel.state;
        match panel::attempt(&caller.actor(), loaded.resource(), state, transition) {
            Ok(to) => Ok(to),
            Err(refusal) => Err(self
                .panel_refusal(caller, loaded, transition.action(), refusal)
                .await),
        }
    }

    async fn panel_refusal(
        &self,
        caller: &Caller,
        loaded: &Loaded,
        action: Action,
        refusal: PanelRefusal,
    ) -> AppError {
        match refusal {
            PanelRefusal::Denied(reason) => {
                self.refuse_access(caller, action, &loaded.target(), reason)
                    .await
            }
            PanelRefusal::Lifecycle(_) if !loaded.panel.state.is_active() => {
                AppError::invalid(format!(
                    "Panel {} is {}: it is read-only, so nothing can be posted or changed.",
                    loaded.panel.reference,
                    loaded.panel.state.label().to_lowercase()
                ))
            }
            PanelRefusal::Lifecycle(err) => AppError::invalid(format!(
                "Panel {} is {} now, which does not allow this ({}).",
                loaded.panel.reference,
                loaded.panel.state.label().to_lowercase(),
                err.what.replace('_', " ")
            )),
        }
    }
}

/// `panel` with the caller's role on it: the lead, or their member row.
pub(crate) async fn loaded(
    conn: &mut cpms_store::Conn,
    panel: StoredPanel,
    caller: &Caller,
) -> Result<Loaded, AppError> {
    let role = if panel.lead == caller.user.id {
        Some(PanelRole::Lead)
    } else {
        repo::member(conn, panel.id, caller.user.id)
            .await?
            .and_then(|m| m.granted_role())
    };
    Ok(Loaded { panel, role })
}

/// The audit event of a panel use case, to append in its transaction.
pub(crate) fn panel_event(
    caller: &Caller,
    action: &str,
    panel: &StoredPanel,
    detail: Option<String>,
) -> NewEvent {
    let mut event = NewEvent::new(action, format!("panel:{}", panel.id), Outcome::Success)
        .by(caller.user.id)
        .on_behalf_of(caller.clinician_acted_for())
        .from_addr(caller.client.addr.clone());
    event.detail = Some(match detail {
        Some(detail) => format!("{} {detail}", panel.reference),
        None => panel.reference.clone(),
    });
    event
}

/// Writes a changed panel, logs each step it took and audits each, in the
/// caller's transaction. `steps` are (from, transition, to); the first
/// `from` is the state the panel was read in, and if someone moved it
/// meanwhile nothing is written.
pub(crate) async fn save_steps(
    tx: &mut cpms_store::WriteTx,
    caller: &Caller,
    panel: &StoredPanel,
    steps: &[(PanelState, Transition, PanelState)],
    comment: Option<&str>,
    now: jiff::Timestamp,
) -> Result<(), AppError> {
    let expected = steps.first().map_or(panel.state, |(from, _, _)| *from);
    if !repo::update(tx, panel, expected).await? {
        return Err(changed_meanwhile());
    }
    for (from, transition, to) in steps {
        let step = repo::NewTransition {
            from: *from,
            to: *to,
            transition: transition.as_str(),
            actor: caller.user.id,
            on_behalf_of: caller.clinician_acted_for(),
            at: now,
            comment,
        };
        repo::log_transition(tx, panel.id, &step).await?;
        let detail = format!(
            "{}: {} -> {}",
            transition.as_str(),
            from.as_str(),
            to.as_str()
        );
        audit::append(
            tx,
            panel_event(caller, "panel.step", panel, Some(detail)),
            now,
        )
        .await?;
    }
    Ok(())
}

/// Everyone who takes part, except `but`.
pub(crate) fn participants(
    panel: &StoredPanel,
    members: &[repo::Member],
    but: UserId,
) -> Vec<UserId> {
    everyone(panel, members)
        .into_iter()
        .filter(|u| *u != but)
        .collect()
}

/// Everyone who takes part: the lead and every member or manager who has
/// not declined.
pub(crate) fn everyone(panel: &StoredPanel, members: &[repo::Member]) -> Vec<UserId> {
    std::iter::once(panel.lead)
        .chain(
            members
                .iter()
                .filter(|m| {
                    matches!(
                        m.granted_role(),
                        Some(PanelRole::Member | PanelRole::Manager)
                    )
                })
                .map(|m| m.user),
        )
        .collect()
}

/// Two people acted on the same panel at once; the later one retries.
pub(crate) fn changed_meanwhile() -> AppError {
    AppError::invalid(
        "The panel changed while you were working on it; reload the page and try again.",
    )
}
