//! State kept between the two requests of an authentication ceremony (a TOTP
//! secret being enrolled, a WebAuthn challenge, an OpenID Connect flow), so
//! any server instance can finish what another started. Rows are keyed by a
//! hash of the handle the browser holds and are taken (deleted) when used.

use cpms_domain::ids::UserId;
use jiff::Timestamp;
use sqlx::AnyConnection;

use crate::StoreError;
use crate::codec::{Reader, ts};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ceremony {
    pub kind: String,
    pub user: Option<UserId>,
    pub state: String,
    pub expires_at: Timestamp,
}

pub async fn insert(
    conn: &mut AnyConnection,
    id_hash: &str,
    ceremony: &Ceremony,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO auth_ceremonies (id, kind, user_id, state, expires_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id_hash)
    .bind(&ceremony.kind)
    .bind(ceremony.user.map(|u| u.to_string()))
    .bind(&ceremony.state)
    .bind(ts(ceremony.expires_at))
    .execute(conn)
    .await?;
    Ok(())
}

/// Reads a ceremony without using it up.
pub async fn get(conn: &mut AnyConnection, id_hash: &str) -> Result<Option<Ceremony>, StoreError> {
    let row =
        sqlx::query("SELECT kind, user_id, state, expires_at FROM auth_ceremonies WHERE id = $1")
            .bind(id_hash)
            .fetch_optional(conn)
            .await?;
    let Some(row) = row else { return Ok(None) };
    let r = Reader::new(&row, "auth_ceremonies");
    Ok(Some(Ceremony {
        kind: r.text("kind")?,
        user: r.opt_parsed("user_id")?,
        state: r.text("state")?,
        expires_at: r.parsed("expires_at")?,
    }))
}

/// Deletes a ceremony; false when another request took it first.
pub async fn take(conn: &mut AnyConnection, id_hash: &str) -> Result<bool, StoreError> {
    let done = sqlx::query("DELETE FROM auth_ceremonies WHERE id = $1")
        .bind(id_hash)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Removes ceremonies nobody finished (housekeeping).
pub async fn delete_expired(conn: &mut AnyConnection, now: Timestamp) -> Result<u64, StoreError> {
    let done = sqlx::query("DELETE FROM auth_ceremonies WHERE expires_at <= $1")
        .bind(ts(now))
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}
