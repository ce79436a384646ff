//! Inviting experts to a panel (found with the expert directory's search)
//! and answering an invitation.

use cpms_domain::ids::UserId;
use cpms_domain::panel::{Activity, PanelRole, request};
use cpms_store::repo::expert_groups::ExpertGroup;
use cpms_store::repo::panels::{self as repo, StoredPanel};
use cpms_store::repo::{audit, memberships};

use super::access::panel_event;
use super::event::{PanelEvent, PanelEventKind, Recipients};
use crate::onboarding::{Expert, ExpertQuery};
use crate::{App, AppError, Caller};

/// The invitation page: the panel, who is already on it and the experts
/// the search found.
#[derive(Debug, Clone)]
pub struct InviteChoices {
    pub panel: StoredPanel,
    /// Everyone on the panel who has not declined, and the lead.
    pub on_panel: Vec<UserId>,
    pub experts: Vec<Expert>,
    /// The expert groups of the panel's network.
    pub groups: Vec<ExpertGroup>,
    /// Whether the caller may forward it from the triage queue.
    pub triage: bool,
}

impl App {
    /// Experts for a panel, found with the expert directory's search.
    pub async fn panel_experts(
        &self,
        caller: &Caller,
        reference: &str,
        query: &ExpertQuery,
    ) -> Result<InviteChoices, AppError> {
        let loaded = self.load_panel(caller, reference).await?;
        self.panel_may(caller, &loaded, Activity::Invite).await?;
        let experts = self.find_experts(caller, query).await?;
        let on_panel = self.on_panel(&loaded.panel).await?;
        let groups = self.groups_of(&loaded.panel.ern).await?;
        let triage = cpms_domain::panel::attempt(
            &caller.actor(),
            loaded.resource(),
            loaded.panel.state,
            cpms_domain::panel::Transition::Forward,
        )
        .is_ok();
        Ok(InviteChoices {
            panel: loaded.panel,
            on_panel,
            experts,
            groups,
            triage,
        })
    }

    /// Invites experts; people already on the panel are left as they are.
    pub async fn invite_to_panel(
        &self,
        caller: &Caller,
        reference: &str,
        experts: &[UserId],
    ) -> Result<PanelEvent, AppError> {
        let loaded = self.load_panel(caller, reference).await?;
        self.panel_may(caller, &loaded, Activity::Invite).await?;
        let invited = self.new_invitees(&loaded.panel, experts).await?;
        let now = self.now();
        let mut tx = self.store().write().await?;
        self.write_invitations(&mut tx, caller, &loaded.panel, &invited, now)
            .await?;
        let event = loaded.event(PanelEventKind::Invited, Recipients::Users(invited));
        self.tell(&mut tx, &loaded.panel, &event).await?;
        tx.commit().await?;
        Ok(event)
    }

    /// Accepts (the invitee becomes a member) or declines with a reason
    /// (the invitee loses all access to the panel).
    pub async fn answer_invitation(
        &self,
        caller: &Caller,
        reference: &str,
        accept: bool,
        reason: &str,
    ) -> Result<PanelEvent, AppError> {
        let loaded = self.load_panel(caller, reference).await?;
        self.panel_may(caller, &loaded, Activity::AnswerInvitation)
            .await?;
        let reason =
            if accept {
                None
            } else {
                Some(request::comment("reason", reason).map_err(|e| {
                    AppError::invalid(format!("Reason for declining: {}.", e.message))
                })?)
            };
        let now = self.now();
        let mut tx = self.store().write().await?;
        repo::answer(
            &mut tx,
            loaded.panel.id,
            caller.user.id,
            reason.as_deref(),
            now,
        )
        .await?;
        let detail = match &reason {
            None => "accepted".to_owned(),
            Some(reason) => format!("declined: {reason}"),
        };
        audit::append(
            &mut tx,
            panel_event(
                caller,
                "panel.answer_invitation",
                &loaded.panel,
                Some(detail),
            ),
            now,
        )
        .await?;
        let event = PanelEvent {
            reason,
            ..loaded.event(
                PanelEventKind::InvitationAnswered { accepted: accept },
                Recipients::Users(vec![loaded.panel.lead]),
            )
        };
        self.tell(&mut tx, &loaded.panel, &event).await?;
        tx.commit().await?;
        Ok(event)
    }

    /// The lead and everyone on the panel who has not declined.
    pub(super) async fn on_panel(&self, panel: &StoredPanel) -> Result<Vec<UserId>, AppError> {
        let mut conn = self.store().read().await?;
        let members = repo::members(&mut conn, panel.id).await?;
        Ok(std::iter::once(panel.lead)
            .chain(members.iter().filter(|m| !m.declined).map(|m| m.user))
            .collect())
    }

    /// Of `experts`, those not yet on the panel, each checked to hold an
    /// active membership somewhere (the directory lists only such people).
    pub(crate) async fn new_invitees(
        &self,
        panel: &StoredPanel,
        experts: &[UserId],
    ) -> Result<Vec<UserId>, AppError> {
        if experts.is_empty() {
            return Err(AppError::invalid("Choose at least one expert to invite."));
        }
        let on_panel = self.on_panel(panel).await?;
        let mut fresh: Vec<UserId> = Vec::new();
        for expert in experts {
            if !on_panel.contains(expert) && !fresh.contains(expert) {
                fresh.push(*expert);
            }
        }
        let (active, lapsed) = self.partition_active(&fresh).await?;
        if !lapsed.is_empty() {
            return Err(AppError::invalid(
                "Experts: choose people from the expert directory.",
            ));
        }
        Ok(active)
    }

    /// `people` split into those who hold an active membership somewhere
    /// and those who do not (or are no users at all).
    pub(crate) async fn partition_active(
        &self,
        people: &[UserId],
    ) -> Result<(Vec<UserId>, Vec<UserId>), AppError> {
        let now = self.now();
        let mut conn = self.store().read().await?;
        let mut active = Vec::new();
        let mut lapsed = Vec::new();
        for person in people {
            let holds = memberships::of_user(&mut conn, *person)
                .await?
                .iter()
                .any(|m| m.is_active(now));
            if holds { &mut active } else { &mut lapsed }.push(*person);
        }
        Ok((active, lapsed))
    }

    pub(crate) async fn write_invitations(
        &self,
        tx: &mut cpms_store::WriteTx,
        caller: &Caller,
        panel: &StoredPanel,
        invited: &[UserId],
        now: jiff::Timestamp,
    ) -> Result<(), AppError> {
        for user in invited {
            repo::put_member(tx, panel.id, *user, PanelRole::Invited, caller.user.id, now).await?;
        }
        if !invited.is_empty() {
            let who: Vec<String> = invited.iter().map(|u| format!("user:{u}")).collect();
            audit::append(
                tx,
                panel_event(caller, "panel.invite", panel, Some(who.join(" "))),
                now,
            )
            .await?;
        }
        Ok(())
    }
}
