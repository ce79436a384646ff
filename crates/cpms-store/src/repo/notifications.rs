//! Notifications, delivery preferences and the digest bookkeeping.

use cpms_domain::ids::{MailId, NotificationId, UserId};
use cpms_domain::notification::{Delivery, EventType, Notification, Preferences};
use jiff::Timestamp;
use sqlx::AnyConnection;
use sqlx::any::AnyRow;

use crate::StoreError;
use crate::codec::{Reader, flag, ts};

/// The columns [`read`] takes, as a literal for `concat!` (sqlx takes only
/// static SQL).
macro_rules! columns {
    () => {
        "SELECT id, recipient_id, event, title, body, link, urgent, created_at, read_at FROM notifications "
    };
}

fn read(row: &AnyRow) -> Result<Notification, StoreError> {
    let r = Reader::new(row, "notifications");
    Ok(Notification {
        id: r.parsed("id")?,
        recipient: r.parsed("recipient_id")?,
        event: r.with("event", EventType::parse)?,
        title: r.text("title")?,
        text: r.text("body")?,
        link: r.text("link")?,
        urgent: r.flag("urgent")?,
        created_at: r.parsed("created_at")?,
        read_at: r.opt_parsed("read_at")?,
    })
}

/// Writes one notification; `delivery` is how it goes by e-mail, fixed now
/// from the recipient's preference.
pub async fn insert(
    conn: &mut AnyConnection,
    note: &Notification,
    delivery: Delivery,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO notifications (id, recipient_id, event, title, body, link, urgent, created_at, read_at, delivery) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(note.id.to_string())
    .bind(note.recipient.to_string())
    .bind(note.event.as_str())
    .bind(&note.title)
    .bind(&note.text)
    .bind(&note.link)
    .bind(flag(note.urgent))
    .bind(ts(note.created_at))
    .bind(note.read_at.map(ts))
    .bind(delivery.as_str())
    .execute(conn)
    .await?;
    Ok(())
}

/// A page of someone's notifications: unread first, then newest first.
pub async fn page(
    conn: &mut AnyConnection,
    recipient: UserId,
    offset: i64,
    limit: i64,
) -> Result<Vec<Notification>, StoreError> {
    let rows = sqlx::query(concat!(
        columns!(),
        "WHERE recipient_id = $1 \
         ORDER BY CASE WHEN read_at IS NULL THEN 0 ELSE 1 END, created_at DESC, id DESC \
         LIMIT $2 OFFSET $3"
    ))
    .bind(recipient.to_string())
    .bind(limit)
    .bind(offset)
    .fetch_all(conn)
    .await?;
    rows.iter().map(read).collect()
}

pub async fn count(conn: &mut AnyConnection, recipient: UserId) -> Result<i64, StoreError> {
    count_of(
        conn,
        recipient,
        "SELECT COUNT(*) AS n FROM notifications WHERE recipient_id = $1",
    )
    .await
}

pub async fn count_unread(conn: &mut AnyConnection, recipient: UserId) -> Result<i64, StoreError> {
    count_of(
        conn,
        recipient,
        "SELECT COUNT(*) AS n FROM notifications WHERE recipient_id = $1 AND read_at IS NULL",
    )
    .await
}

async fn count_of(
    conn: &mut AnyConnection,
    recipient: UserId,
    sql: &'static str,
) -> Result<i64, StoreError> {
    let row = sqlx::query(sql)
        .bind(recipient.to_string())
        .fetch_one(conn)
        .await?;
    Reader::new(&row, "notifications").int("n")
}

/// Marks one of `recipient`'s notifications read (keeping the first
/// reading time); false when they have none with that id.
pub async fn mark_read(
    conn: &mut AnyConnection,
    recipient: UserId,
    id: NotificationId,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE notifications SET read_at = COALESCE(read_at, $1) WHERE id = $2 AND recipient_id = $3",
    )
    .bind(ts(now))
    .bind(id.to_string())
    .bind(recipient.to_string())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Marks all of `recipient`'s unread notifications read; returns how many.
pub async fn mark_all_read(
    conn: &mut AnyConnection,
    recipient: UserId,
    now: Timestamp,
) -> Result<u64, StoreError> {
    let done = sqlx::query(
        "UPDATE notifications SET read_at = $1 WHERE recipient_id = $2 AND read_at IS NULL",
    )
    .bind(ts(now))
    .bind(recipient.to_string())
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

pub async fn preferences(
    conn: &mut AnyConnection,
    user: UserId,
) -> Result<Preferences, StoreError> {
    let rows =
        sqlx::query("SELECT event, delivery FROM notification_preferences WHERE user_id = $1")
            .bind(user.to_string())
            .fetch_all(conn)
            .await?;
    let mut prefs = Preferences::default();
    for row in &rows {
        let r = Reader::new(row, "notification_preferences");
        prefs.set(
            r.with("event", EventType::parse)?,
            r.with("delivery", Delivery::parse)?,
        );
    }
    Ok(prefs)
}

pub async fn set_preference(
    conn: &mut AnyConnection,
    user: UserId,
    event: EventType,
    delivery: Delivery,
    now: Timestamp,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO notification_preferences (user_id, event, delivery, updated_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (user_id, event) DO UPDATE SET delivery = excluded.delivery, updated_at = excluded.updated_at",
    )
    .bind(user.to_string())
    .bind(event.as_str())
    .bind(delivery.as_str())
    .bind(ts(now))
    .execute(conn)
    .await?;
    Ok(())
}

/// People with digest notifications written before `cutoff` and not yet
/// gathered.
pub async fn digest_recipients(
    conn: &mut AnyConnection,
    cutoff: Timestamp,
) -> Result<Vec<UserId>, StoreError> {
    let rows = sqlx::query(
        "SELECT DISTINCT recipient_id FROM notifications \
         WHERE delivery = 'daily_digest' AND digested_at IS NULL AND created_at < $1 \
         ORDER BY recipient_id",
    )
    .bind(ts(cutoff))
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| Reader::new(row, "notifications").parsed("recipient_id"))
        .collect()
}

/// Takes `recipient`'s digest notifications written before `cutoff` and
/// not yet gathered (read or not), marking them gathered at `now`; returns
/// them oldest first. Claiming by update means two digest jobs running at
/// once cannot both take a notification: on PostgreSQL the second waits
/// for the first's row locks and then finds them taken.
pub async fn claim_digest(
    conn: &mut AnyConnection,
    recipient: UserId,
    cutoff: Timestamp,
    now: Timestamp,
) -> Result<Vec<Notification>, StoreError> {
    let rows = sqlx::query(
        "UPDATE notifications SET digested_at = $1 \
         WHERE recipient_id = $2 AND delivery = 'daily_digest' AND digested_at IS NULL AND created_at < $3 \
         RETURNING id, recipient_id, event, title, body, link, urgent, created_at, read_at",
    )
    .bind(ts(now))
    .bind(recipient.to_string())
    .bind(ts(cutoff))
    .fetch_all(conn)
    .await?;
    let mut claimed = rows.iter().map(read).collect::<Result<Vec<_>, _>>()?;
    claimed.sort_by_key(|n| (n.created_at, n.id));
    Ok(claimed)
}

/// Records the message that carried these notifications in a digest.
pub async fn set_digest_mail(
    conn: &mut AnyConnection,
    ids: &[NotificationId],
    mail: MailId,
) -> Result<(), StoreError> {
    for id in ids {
        sqlx::query("UPDATE notifications SET digest_mail_id = $1 WHERE id = $2")
            .bind(mail.to_string())
            .bind(id.to_string())
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}
