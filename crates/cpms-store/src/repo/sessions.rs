//! Server-side sessions, shared by every server instance through the
//! database. Only a hash of the cookie value is stored.

use cpms_domain::ids::{SessionId, UserId};
use cpms_domain::org::ErnCode;
use cpms_domain::session::Session;
use jiff::Timestamp;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AssertSqlSafe};

use crate::StoreError;
use crate::codec::{Reader, ts};

const COLUMNS: &str = "id, user_id, created_at, last_seen_at, expires_at, client_addr, user_agent, current_ern, stage, roles_digest";

fn session_from(row: &AnyRow) -> Result<Session, StoreError> {
    let r = Reader::new(row, "sessions");
    Ok(Session {
        id: r.parsed("id")?,
        user: r.parsed("user_id")?,
        created_at: r.parsed("created_at")?,
        last_seen_at: r.parsed("last_seen_at")?,
        expires_at: r.parsed("expires_at")?,
        client_addr: r.opt_text("client_addr")?,
        user_agent: r.opt_text("user_agent")?,
        current_ern: r
            .opt_text("current_ern")?
            .and_then(|e| ErnCode::parse(&e).ok()),
        stage: r.parsed("stage")?,
        roles_digest: r.opt_text("roles_digest")?,
    })
}

pub async fn insert(
    conn: &mut AnyConnection,
    session: &Session,
    token_hash: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO sessions (id, token_hash, user_id, created_at, last_seen_at, expires_at, client_addr, user_agent, current_ern, stage, roles_digest) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(session.id.to_string())
    .bind(token_hash)
    .bind(session.user.to_string())
    .bind(ts(session.created_at))
    .bind(ts(session.last_seen_at))
    .bind(ts(session.expires_at))
    .bind(session.client_addr.as_deref())
    .bind(session.user_agent.as_deref())
    .bind(session.current_ern.as_ref().map(|e| e.as_str().to_owned()))
    .bind(session.stage.as_str())
    .bind(session.roles_digest.as_deref())
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn find_by_token_hash(
    conn: &mut AnyConnection,
    token_hash: &str,
) -> Result<Option<Session>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM sessions WHERE token_hash = $1");
    let row = sqlx::query(AssertSqlSafe(sql))
        .bind(token_hash)
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(session_from).transpose()
}

pub async fn touch(
    conn: &mut AnyConnection,
    id: SessionId,
    now: Timestamp,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id = $2")
        .bind(ts(now))
        .bind(id.to_string())
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn set_current_ern(
    conn: &mut AnyConnection,
    id: SessionId,
    ern: &ErnCode,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE sessions SET current_ern = $1 WHERE id = $2")
        .bind(ern.as_str())
        .bind(id.to_string())
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn delete(conn: &mut AnyConnection, id: SessionId) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM sessions WHERE id = $1")
        .bind(id.to_string())
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn delete_for_user(conn: &mut AnyConnection, user: UserId) -> Result<u64, StoreError> {
    let done = sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user.to_string())
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}

/// Removes sessions past their absolute end.
pub async fn delete_expired(conn: &mut AnyConnection, now: Timestamp) -> Result<u64, StoreError> {
    let done = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
        .bind(ts(now))
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}

/// The user's sessions, most recently used first.
pub async fn of_user(conn: &mut AnyConnection, user: UserId) -> Result<Vec<Session>, StoreError> {
    let sql =
        format!("SELECT {COLUMNS} FROM sessions WHERE user_id = $1 ORDER BY last_seen_at DESC, id");
    let rows = sqlx::query(AssertSqlSafe(sql))
        .bind(user.to_string())
        .fetch_all(conn)
        .await?;
    rows.iter().map(session_from).collect()
}

/// Deletes one session of `user`; false when it is not theirs or gone.
pub async fn delete_of_user(
    conn: &mut AnyConnection,
    user: UserId,
    id: SessionId,
) -> Result<bool, StoreError> {
    let done = sqlx::query("DELETE FROM sessions WHERE id = $1 AND user_id = $2")
        .bind(id.to_string())
        .bind(user.to_string())
        .execute(conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Records the memberships digest of a session that has none yet.
pub async fn set_roles_digest(
    conn: &mut AnyConnection,
    id: SessionId,
    digest: &str,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE sessions SET roles_digest = $1 WHERE id = $2")
        .bind(digest)
        .bind(id.to_string())
        .execute(conn)
        .await?;
    Ok(())
}

/// Gives a session a new id and token (and the new memberships digest),
/// keeping everything else; false when another request rotated or ended
/// it first.
pub async fn rotate(
    conn: &mut AnyConnection,
    id: SessionId,
    new_id: SessionId,
    new_token_hash: &str,
    digest: &str,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE sessions SET id = $1, token_hash = $2, roles_digest = $3 WHERE id = $4",
    )
    .bind(new_id.to_string())
    .bind(new_token_hash)
    .bind(digest)
    .bind(id.to_string())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
