//! Writing notifications from inside another use case's transaction.

use cpms_domain::ids::UserId;
use cpms_domain::notification::{Delivery, NewNotification};
use cpms_domain::user::AccountStatus;
use cpms_store::WriteTx;
use cpms_store::repo::{notifications, outbox, users};

use super::mail;
use crate::{App, AppError};

impl App {
    /// Tells `recipients` about `note`, as part of the caller's
    /// transaction `tx`: each gets the notification in their centre and,
    /// when their preference for its kind is "immediately", an e-mail in
    /// the outbox ("daily digest" waits for [`App::send_due_digests`];
    /// "off" sends no e-mail but still shows it in the centre). Open pages
    /// of the recipients are told once `tx` commits, never before and
    /// never if it rolls back. A recipient named twice is told once.
    /// Suspended accounts get no e-mail.
    ///
    /// The use case has already decided who may hear of what; the text
    /// follows the rule of `cpms_domain::notification` (pseudonym and
    /// panel reference only).
    pub async fn notify(
        &self,
        tx: &mut WriteTx,
        recipients: &[UserId],
        note: &NewNotification,
    ) -> Result<(), AppError> {
        let now = self.now();
        let mut told: Vec<UserId> = Vec::with_capacity(recipients.len());
        for &recipient in recipients {
            if told.contains(&recipient) {
                continue;
            }
            let user = users::get(tx, recipient)
                .await?
                .ok_or_else(|| AppError::internal(format!("no user {recipient} to notify")))?;
            let delivery = notifications::preferences(tx, recipient)
                .await?
                .of(note.event);
            let stored = note.to(recipient, now);
            notifications::insert(tx, &stored, delivery).await?;
            if delivery == Delivery::Immediately && user.status == AccountStatus::Active {
                let message = mail::single(&user, &stored, &self.settings().origin);
                outbox::enqueue(tx, &message, now).await?;
            }
            told.push(recipient);
        }
        let hub = self.hub();
        tx.after_commit(move || {
            for user in told {
                hub.announce(user);
            }
        });
        Ok(())
    }
}
