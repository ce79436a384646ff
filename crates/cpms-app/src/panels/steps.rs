//! The lifecycle steps taken from the panel page: start the outcome, ask
//! for sign-off, revise, close, archive, reopen, cancel. Steps about the
//! outcome change its document in the same transaction.

use cpms_domain::panel::{PostKind, Transition, request};
use cpms_store::repo::panels as repo;

use super::access::{participants, save_steps};
use super::event::{PanelEvent, PanelEventKind, Recipients};
use super::outcome_steps::apply_outcome_step;
use crate::{App, AppError, Caller};

/// Closing with fewer contributions than this needs the lead's explicit
/// confirmation, and is marked for the indicators.
pub const MIN_CONTRIBUTIONS: i64 = 2;

impl App {
    /// Takes one step. `comment` is optional and kept in the log;
    /// `confirm_few` confirms closing with fewer than two contributions.
    pub async fn panel_step(
        &self,
        caller: &Caller,
        reference: &str,
        transition: &str,
        comment: &str,
        confirm_few: bool,
    ) -> Result<PanelEvent, AppError> {
        let transition = Transition::ALL
            .into_iter()
            .find(|t| t.as_str() == transition)
            .ok_or_else(|| AppError::invalid("Step: unknown step."))?;
        if matches!(
            transition,
            Transition::Submit
                | Transition::AskErnHelp
                | Transition::Open
                | Transition::Forward
                | Transition::Return
        ) {
            return Err(AppError::invalid(
                "Step: submit the request from its form; forward or return it from the triage queue.",
            ));
        }
        let loaded = self.load_panel(caller, reference).await?;
        let to = self.panel_attempt(caller, &loaded, transition).await?;
        let comment = Some(comment.trim())
            .filter(|c| !c.is_empty())
            .map(|c| request::comment("comment", c))
            .transpose()
            .map_err(|e| AppError::invalid(format!("Comment: {}.", e.message)))?;
        let now = self.now();
        let mut panel = loaded.panel.clone();
        let mut conn = self.store().read().await?;
        let members = repo::members(&mut conn, panel.id).await?;
        let contributions = repo::count_posts(&mut conn, panel.id, PostKind::Contribution).await?;
        drop(conn);
        match transition {
            Transition::Close => {
                let few = contributions < MIN_CONTRIBUTIONS;
                if few && !confirm_few {
                    return Err(AppError::invalid(format!(
                        "This panel has {contributions} contribution(s). Closing with fewer than \
                         {MIN_CONTRIBUTIONS} needs your confirmation: tick the box and close again."
                    )));
                }
                panel.closed_at = Some(now);
                panel.closed_few_contributions = few;
            }
            Transition::Reopen => {
                panel.closed_at = None;
                panel.closed_few_contributions = false;
            }
            _ => {}
        }
        let outcome = self
            .prepare_outcome_step(caller, &loaded, transition)
            .await?;
        panel.state = to;
        let steps = [(loaded.panel.state, transition, to)];
        let mut tx = self.store().write().await?;
        save_steps(&mut tx, caller, &panel, &steps, comment.as_deref(), now).await?;
        if let Some(outcome) = &outcome {
            apply_outcome_step(&mut tx, outcome, panel.id, now).await?;
        }
        let told = participants(&panel, &members, caller.works_for());
        let event = loaded.event(PanelEventKind::Stepped(transition), Recipients::Users(told));
        self.tell(&mut tx, &panel, &event).await?;
        tx.commit().await?;
        Ok(event)
    }
}
