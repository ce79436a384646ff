//! The mail outbox: messages written in the transaction that causes them,
//! delivered later by the sender.

use cpms_domain::ids::MailId;
use cpms_domain::mail::Mail;
use jiff::Timestamp;
use sqlx::AnyConnection;

use crate::StoreError;
use crate::codec::{Reader, ts};

pub async fn enqueue(
    conn: &mut AnyConnection,
    mail: &Mail,
    now: Timestamp,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO mail_outbox (id, recipient, subject, body_text, body_html, calendar, created_at, next_attempt_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
    )
    .bind(mail.id.to_string())
    .bind(&mail.recipient)
    .bind(&mail.subject)
    .bind(&mail.body_text)
    .bind(&mail.body_html)
    .bind(mail.calendar.as_deref())
    .bind(ts(now))
    .execute(conn)
    .await?;
    Ok(())
}

/// Messages due for (another) attempt at `now`, oldest first.
pub async fn due(
    conn: &mut AnyConnection,
    now: Timestamp,
    limit: i64,
) -> Result<Vec<Mail>, StoreError> {
    let rows = sqlx::query(
        "SELECT id, recipient, subject, body_text, body_html, calendar, attempts FROM mail_outbox \
         WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $1 \
         ORDER BY next_attempt_at, id LIMIT $2",
    )
    .bind(ts(now))
    .bind(limit)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            let r = Reader::new(row, "mail_outbox");
            Ok(Mail {
                id: r.parsed("id")?,
                recipient: r.text("recipient")?,
                subject: r.text("subject")?,
                body_text: r.text("body_text")?,
                body_html: r.text("body_html")?,
                calendar: r.opt_text("calendar")?,
                attempts: r.int("attempts")?,
            })
        })
        .collect()
}

pub async fn mark_sent(
    conn: &mut AnyConnection,
    id: MailId,
    now: Timestamp,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE mail_outbox SET sent_at = $1, attempts = attempts + 1, last_error = NULL WHERE id = $2")
        .bind(ts(now))
        .bind(id.to_string())
        .execute(conn)
        .await?;
    Ok(())
}

/// Records a failed attempt: retry at `retry_at`, or give up when `None`.
pub async fn mark_failed(
    conn: &mut AnyConnection,
    id: MailId,
    error: &str,
    retry_at: Option<Timestamp>,
    now: Timestamp,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE mail_outbox SET attempts = attempts + 1, last_error = $1, \
         next_attempt_at = COALESCE($2, next_attempt_at), failed_at = $3 WHERE id = $4",
    )
    .bind(error)
    .bind(retry_at.map(ts))
    .bind(retry_at.is_none().then(|| ts(now)))
    .bind(id.to_string())
    .execute(conn)
    .await?;
    Ok(())
}
