//! The daily digest job: once a day per person, one e-mail gathering the
//! "daily digest" notifications they have not read yet.

use cpms_domain::notification::digest_cutoff;
use cpms_domain::user::AccountStatus;
use cpms_store::repo::{notifications, outbox, users};
use jiff::Timestamp;

use super::mail;
use crate::{App, AppError};

impl App {
    /// Sends the digests due at `now` (the server's background task passes
    /// the time; tests pass the day they need). Each person's digest holds
    /// their "daily digest" notifications written before the latest digest
    /// hour and not yet gathered; those already read in the app are
    /// gathered without being mailed, and nobody gets an empty digest.
    /// Running it again in the same day sends nothing new. Returns how
    /// many digests were written to the outbox.
    pub async fn send_due_digests(&self, now: Timestamp) -> Result<usize, AppError> {
        let cutoff = digest_cutoff(now);
        let mut conn = self.store().read().await?;
        let recipients = notifications::digest_recipients(&mut conn, cutoff).await?;
        drop(conn);
        let mut sent = 0;
        // One transaction per person, so one failure delays only theirs.
        for recipient in recipients {
            let mut tx = self.store().write().await?;
            let taken = notifications::claim_digest(&mut tx, recipient, cutoff, now).await?;
            let unread: Vec<_> = taken.into_iter().filter(|n| !n.is_read()).collect();
            let user = users::get(&mut tx, recipient).await?;
            let message = match user {
                Some(user) if !unread.is_empty() && user.status == AccountStatus::Active => {
                    Some(mail::digest(&user, &unread, &self.settings().origin))
                }
                _ => None,
            };
            if let Some(message) = &message {
                // Due for sending at once, by the clock the sender uses.
                outbox::enqueue(&mut tx, message, self.now()).await?;
                let ids: Vec<_> = unread.iter().map(|n| n.id).collect();
                notifications::set_digest_mail(&mut tx, &ids, message.id).await?;
                sent += 1;
            }
            tx.commit().await?;
        }
        Ok(sent)
    }
}
