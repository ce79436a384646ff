//! Choosing, per kind of event, how notifications arrive by e-mail.

use cpms_domain::notification::{Delivery, EventType, Preferences};
use cpms_store::repo::notifications;

use crate::{App, AppError, Caller};

impl App {
    /// The caller's delivery per kind of event (defaults filled in).
    pub async fn notification_preferences(
        &self,
        caller: &Caller,
    ) -> Result<Vec<(EventType, Delivery)>, AppError> {
        self.authorize_own(caller).await?;
        let mut conn = self.store().read().await?;
        Ok(notifications::preferences(&mut conn, caller.user.id)
            .await?
            .all())
    }

    /// Sets the caller's delivery for the kinds named in `changes`
    /// (`(event, delivery)` names, as forms and the API send them): all or
    /// nothing, a bad name refused with a message naming it. What changed
    /// is audited. Returns the preferences now in force.
    pub async fn set_notification_preferences(
        &self,
        caller: &Caller,
        changes: &[(String, String)],
    ) -> Result<Vec<(EventType, Delivery)>, AppError> {
        self.authorize_own(caller).await?;
        let changes = Preferences::parse_changes(changes)?;
        let me = caller.user.id;
        let now = self.now();
        let mut tx = self.store().write().await?;
        let mut prefs = notifications::preferences(&mut tx, me).await?;
        let mut changed = Vec::new();
        for (event, delivery) in changes {
            if prefs.of(event) != delivery {
                notifications::set_preference(&mut tx, me, event, delivery, now).await?;
                prefs.set(event, delivery);
                changed.push(format!("{}={}", event.as_str(), delivery.as_str()));
            }
        }
        if !changed.is_empty() {
            self.audit_factor(
                &mut tx,
                caller,
                "notification.preferences_changed",
                &changed.join(", "),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(prefs.all())
    }
}
