//! Personal API tokens: bearer credentials of one user. Only a hash of the
//! secret is stored; revoked tokens keep their row so lists and the audit
//! trail can still name them.

use cpms_domain::ids::{ApiTokenId, UserId};
use jiff::Timestamp;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AssertSqlSafe};

use crate::StoreError;
use crate::codec::{Reader, ts};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiTokenRow {
    pub id: ApiTokenId,
    pub user: UserId,
    pub name: String,
    pub created_at: Timestamp,
    pub expires_at: Option<Timestamp>,
    pub last_used_at: Option<Timestamp>,
    pub revoked_at: Option<Timestamp>,
}

const COLUMNS: &str = "id, user_id, name, created_at, expires_at, last_used_at, revoked_at";

fn read(row: &AnyRow) -> Result<ApiTokenRow, StoreError> {
    let r = Reader::new(row, "api_tokens");
    Ok(ApiTokenRow {
        id: r.parsed("id")?,
        user: r.parsed("user_id")?,
        name: r.text("name")?,
        created_at: r.parsed("created_at")?,
        expires_at: r.opt_parsed("expires_at")?,
        last_used_at: r.opt_parsed("last_used_at")?,
        revoked_at: r.opt_parsed("revoked_at")?,
    })
}

pub async fn insert(
    conn: &mut AnyConnection,
    token: &ApiTokenRow,
    token_hash: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO api_tokens (id, user_id, name, token_hash, created_at, expires_at, last_used_at, revoked_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(token.id.to_string())
    .bind(token.user.to_string())
    .bind(&token.name)
    .bind(token_hash)
    .bind(ts(token.created_at))
    .bind(token.expires_at.map(ts))
    .bind(token.last_used_at.map(ts))
    .bind(token.revoked_at.map(ts))
    .execute(conn)
    .await?;
    Ok(())
}

/// The token whose secret hashes to `token_hash`, revoked or not.
pub async fn find_by_hash(
    conn: &mut AnyConnection,
    token_hash: &str,
) -> Result<Option<ApiTokenRow>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM api_tokens WHERE token_hash = $1");
    let row = sqlx::query(AssertSqlSafe(sql))
        .bind(token_hash)
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(read).transpose()
}

/// The user's tokens, newest first.
pub async fn of_user(
    conn: &mut AnyConnection,
    user: UserId,
) -> Result<Vec<ApiTokenRow>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM api_tokens WHERE user_id = $1 ORDER BY id DESC");
    let rows = sqlx::query(AssertSqlSafe(sql))
        .bind(user.to_string())
        .fetch_all(conn)
        .await?;
    rows.iter().map(read).collect()
}

/// Revokes one of the user's tokens; false when it is not theirs or was
/// already revoked.
pub async fn revoke(
    conn: &mut AnyConnection,
    user: UserId,
    id: ApiTokenId,
    at: Timestamp,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL",
    )
    .bind(ts(at))
    .bind(id.to_string())
    .bind(user.to_string())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn touch(
    conn: &mut AnyConnection,
    id: ApiTokenId,
    at: Timestamp,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
        .bind(ts(at))
        .bind(id.to_string())
        .execute(conn)
        .await?;
    Ok(())
}
