//! Mail to applicants: the messages (plain text and HTML) and delivery of
//! the outbox through a `MailTransport` (SMTP in the server), with retries
//! and back-off.

use std::future::Future;
use std::pin::Pin;

use cpms_domain::ids::MailId;
use cpms_domain::mail::{Mail, html_escape};
use cpms_domain::onboarding::{AccessRequest, mail_retry_delay};
use cpms_domain::org::MembershipStatus;
use cpms_store::repo::outbox;

use crate::{App, AppError, AppSettings};

/// After this many failed attempts a message is given up (about a day of
/// back-off).
const MAX_ATTEMPTS: i64 = 30;
/// Messages sent per round.
const BATCH: i64 = 20;

/// Delivers one message; the error says why it could not.
pub trait MailTransport: Send + Sync {
    fn send<'a>(
        &'a self,
        mail: &'a Mail,
    ) -> Pin<Box<dyn Future<Output = Result<(), String>> + Send + 'a>>;
}

/// The message telling an applicant how their request was decided.
pub(crate) fn request_decided(request: &AccessRequest, settings: &AppSettings) -> Mail {
    let approved = request.status == MembershipStatus::Approved;
    let what = format!(
        "{} at {} in {}",
        request.role.label(),
        request.hcp_name,
        request.ern
    );
    let subject = if approved {
        format!("Your access request to {} is approved", request.ern)
    } else {
        format!("Your access request to {} was not approved", request.ern)
    };
    let sign_in = match &settings.public_url {
        Some(url) => format!("{}/signin", url.trim_end_matches('/')),
        None => "the ERN-CPMS sign-in page".to_owned(),
    };
    let outcome = if approved {
        let until = request
            .expires_at
            .map(|end| format!(" until {}", end.strftime("%Y-%m-%d")))
            .unwrap_or_default();
        format!(
            "Your request for the role {what} is approved{until}. You can now sign in at {sign_in}."
        )
    } else {
        format!(
            "Your request for the role {what} was not approved. The coordinator's reason: {}",
            request.reason.as_deref().unwrap_or("none given")
        )
    };
    let body_text = format!(
        "Dear {},\n\n{outcome}\n\nERN-CPMS, Clinical Patient Management System of the European Reference Networks\n",
        request.applicant
    );
    let body_html = format!(
        "<!doctype html><html><body><p>Dear {},</p><p>{}</p><p>ERN-CPMS, Clinical Patient Management System of the European Reference Networks</p></body></html>",
        html_escape(&request.applicant),
        html_escape(&outcome)
    );
    Mail {
        id: MailId::new(),
        recipient: request.email.clone(),
        subject,
        body_text,
        body_html,
        calendar: None,
        attempts: 0,
    }
}

impl App {
    /// Sends the messages that are due; a failure schedules a retry after
    /// a growing delay. Returns how many were delivered.
    pub async fn deliver_due_mail(&self, transport: &dyn MailTransport) -> Result<usize, AppError> {
        let mut conn = self.store().read().await?;
        let due = outbox::due(&mut conn, self.now(), BATCH).await?;
        drop(conn);
        let mut delivered = 0;
        for mail in due {
            let result = transport.send(&mail).await;
            let now = self.now();
            let mut tx = self.store().write().await?;
            match result {
                Ok(()) => {
                    outbox::mark_sent(&mut tx, mail.id, now).await?;
                    delivered += 1;
                }
                Err(error) => {
                    let attempts = mail.attempts + 1;
                    let retry_at = (attempts < MAX_ATTEMPTS).then(|| {
                        let delay = mail_retry_delay(u32::try_from(attempts).unwrap_or(u32::MAX));
                        now.saturating_add(delay).unwrap_or(now)
                    });
                    tracing::warn!(mail = %mail.id, attempts, %error, gave_up = retry_at.is_none(), "mail delivery failed");
                    outbox::mark_failed(&mut tx, mail.id, &error, retry_at, now).await?;
                }
            }
            tx.commit().await?;
        }
        Ok(delivered)
    }
}
