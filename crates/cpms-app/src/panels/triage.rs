//! The network's triage queue: requests whose lead asked for help, which
//! a coordinator or dispatcher forwards to experts (or another lead) or
//! returns to the lead with a comment.

use cpms_domain::ids::UserId;
use cpms_domain::panel::{PanelRole, PanelState, Transition, request};
use cpms_domain::policy::Action;
use cpms_store::repo::memberships;
use cpms_store::repo::panels::{self as repo, ErnQuery, PanelSummary};

use super::access::save_steps;
use super::event::{Forwarding, PanelEvent, PanelEventKind, Recipients};
use super::lists::ern_resource;
use crate::{App, AppError, Caller};

/// The most requests the queue shows at once.
const QUEUE_LIMIT: i64 = 100;

impl App {
    /// The requests waiting in a network's triage queue, newest first.
    pub async fn triage_queue(
        &self,
        caller: &Caller,
        ern: &str,
    ) -> Result<Vec<PanelSummary>, AppError> {
        let ern = self.known_ern(ern).await?;
        self.authorize(
            caller,
            Action::ViewErnPanels,
            ern_resource(&ern),
            &format!("ern:{ern}"),
        )
        .await?;
        let query = ErnQuery {
            ern,
            state: Some(PanelState::Triage),
            urgency: None,
            area: None,
            after: None,
            limit: QUEUE_LIMIT,
        };
        let mut conn = self.store().read().await?;
        Ok(repo::of_ern(&mut conn, &query).await?)
    }

    /// Opens the panel with the chosen experts invited and/or another
    /// clinician of the network as its lead (the former lead stays on as a
    /// member).
    pub async fn forward_consultation(
        &self,
        caller: &Caller,
        reference: &str,
        experts: &[UserId],
        new_lead: Option<UserId>,
    ) -> Result<Vec<PanelEvent>, AppError> {
        let loaded = self.load_panel(caller, reference).await?;
        let to = self
            .panel_attempt(caller, &loaded, Transition::Forward)
            .await?;
        if experts.is_empty() && new_lead.is_none() {
            return Err(AppError::invalid(
                "Choose at least one expert to invite, or another lead.",
            ));
        }
        let mut panel = loaded.panel.clone();
        let former_lead = panel.lead;
        let now = self.now();
        if let Some(lead) = new_lead.filter(|l| *l != former_lead) {
            let mut conn = self.store().read().await?;
            let place = memberships::of_user(&mut conn, lead)
                .await?
                .into_iter()
                .find(|m| m.is_active(now) && m.ern == panel.ern)
                .ok_or_else(|| AppError::invalid("Lead: choose a clinician of this network."))?;
            panel.lead = lead;
            panel.lead_hcp = place.hcp;
        }
        let mut invited = if experts.is_empty() {
            Vec::new()
        } else {
            self.new_invitees(&loaded.panel, experts).await?
        };
        invited.retain(|u| *u != panel.lead);
        panel.state = to;
        let steps = [(loaded.panel.state, Transition::Forward, to)];
        let comment = match new_lead {
            Some(lead) if lead != former_lead => {
                format!("{} expert(s) invited; new lead user:{lead}", invited.len())
            }
            _ => format!("{} expert(s) invited", invited.len()),
        };
        let mut tx = self.store().write().await?;
        save_steps(&mut tx, caller, &panel, &steps, Some(&comment), now).await?;
        if panel.lead != former_lead {
            repo::remove_member(&mut tx, panel.id, panel.lead).await?;
            repo::put_member(
                &mut tx,
                panel.id,
                former_lead,
                PanelRole::Member,
                caller.user.id,
                now,
            )
            .await?;
        }
        self.write_invitations(&mut tx, caller, &panel, &invited, now)
            .await?;
        let handed_over = panel.lead != former_lead;
        let mut events = vec![loaded.event(
            PanelEventKind::Forwarded(if handed_over {
                Forwarding::HandedOver
            } else {
                Forwarding::Opened
            }),
            Recipients::Users(vec![former_lead]),
        )];
        if handed_over {
            events.push(loaded.event(
                PanelEventKind::Forwarded(Forwarding::YouLead),
                Recipients::Users(vec![panel.lead]),
            ));
        }
        if !invited.is_empty() {
            events.push(loaded.event(PanelEventKind::Invited, Recipients::Users(invited)));
        }
        for event in &events {
            self.tell(&mut tx, &panel, event).await?;
        }
        tx.commit().await?;
        Ok(events)
    }

    /// Sends the request back to its lead as a draft, with a comment the
    /// lead sees on the panel and the request form.
    pub async fn return_consultation(
        &self,
        caller: &Caller,
        reference: &str,
        comment: &str,
    ) -> Result<PanelEvent, AppError> {
        let loaded = self.load_panel(caller, reference).await?;
        let to = self
            .panel_attempt(caller, &loaded, Transition::Return)
            .await?;
        let comment = request::comment("comment", comment)
            .map_err(|e| AppError::invalid(format!("Comment for the lead: {}.", e.message)))?;
        let now = self.now();
        let mut panel = loaded.panel.clone();
        panel.state = to;
        let steps = [(loaded.panel.state, Transition::Return, to)];
        let mut tx = self.store().write().await?;
        save_steps(&mut tx, caller, &panel, &steps, Some(&comment), now).await?;
        let event = loaded.event(
            PanelEventKind::Returned,
            Recipients::Users(vec![panel.lead]),
        );
        self.tell(&mut tx, &panel, &event).await?;
        tx.commit().await?;
        Ok(event)
    }
}
