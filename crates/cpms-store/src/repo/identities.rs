//! Which account an identity at an external OpenID provider belongs to,
//! keyed by (issuer, subject).

use cpms_domain::ids::UserId;
use jiff::Timestamp;
use sqlx::AnyConnection;

use crate::StoreError;
use crate::codec::{Reader, ts};

/// The account linked to an identity, if any.
pub async fn user_of(
    conn: &mut AnyConnection,
    issuer: &str,
    subject: &str,
) -> Result<Option<UserId>, StoreError> {
    let row = sqlx::query("SELECT user_id FROM identities WHERE issuer = $1 AND subject = $2")
        .bind(issuer)
        .bind(subject)
        .fetch_optional(conn)
        .await?;
    row.map(|row| Reader::new(&row, "identities").parsed("user_id"))
        .transpose()
}

/// Links an identity to an account; false when it is linked already.
pub async fn link(
    conn: &mut AnyConnection,
    issuer: &str,
    subject: &str,
    user: UserId,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "INSERT INTO identities (issuer, subject, user_id, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (issuer, subject) DO NOTHING",
    )
    .bind(issuer)
    .bind(subject)
    .bind(user.to_string())
    .bind(ts(now))
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn record_use(
    conn: &mut AnyConnection,
    issuer: &str,
    subject: &str,
    now: Timestamp,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE identities SET last_used_at = $1 WHERE issuer = $2 AND subject = $3")
        .bind(ts(now))
        .bind(issuer)
        .bind(subject)
        .execute(conn)
        .await?;
    Ok(())
}
