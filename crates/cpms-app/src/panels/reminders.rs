//! The reminder about urgent panels whose requested answer date has
//! passed: a background job, not a person's action.

use cpms_store::repo::panels as repo;
use jiff::Timestamp;
use jiff::tz::TimeZone;

use super::access::everyone;
use super::event::{PanelEvent, PanelEventKind, Recipients};
use crate::{App, AppError};

impl App {
    /// Reminds the lead and members of every urgent panel still under way
    /// whose answer date is before `now`'s day (UTC), once per panel per
    /// day: the day is recorded with the notifications in one
    /// transaction, so running again, after a restart or on another
    /// instance, tells nobody twice. The server's task passes the time;
    /// tests pass the day they need. Returns how many panels were reminded
    /// about.
    pub async fn send_due_reminders(&self, now: Timestamp) -> Result<usize, AppError> {
        let today = now.to_zoned(TimeZone::UTC).date();
        let mut conn = self.store().read().await?;
        let overdue = repo::overdue_urgent(&mut conn, today).await?;
        drop(conn);
        let mut reminded = 0;
        // One transaction per panel, so one failure delays only its own.
        for panel in overdue {
            let mut tx = self.store().write().await?;
            if !repo::claim_reminder(&mut tx, panel.id, today, now).await? {
                continue;
            }
            let members = repo::members(&mut tx, panel.id).await?;
            let event = PanelEvent {
                kind: PanelEventKind::AnswerDatePassed,
                panel: panel.reference.clone(),
                urgent: true,
                recipients: Recipients::Users(everyone(&panel, &members)),
                reason: None,
            };
            self.tell(&mut tx, &panel, &event).await?;
            tx.commit().await?;
            reminded += 1;
        }
        Ok(reminded)
    }
}
