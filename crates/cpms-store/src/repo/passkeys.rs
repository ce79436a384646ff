//! Registered passkeys of local accounts. The WebAuthn data is an opaque
//! JSON document to the store; cpms-auth reads it.

use cpms_domain::ids::UserId;
use jiff::Timestamp;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AssertSqlSafe};

use crate::StoreError;
use crate::codec::{Reader, ts};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasskeyRow {
    pub credential_id: String,
    pub user: UserId,
    pub name: String,
    /// The WebAuthn credential as JSON.
    pub passkey: String,
    pub created_at: Timestamp,
    pub last_used_at: Option<Timestamp>,
}

const COLUMNS: &str = "credential_id, user_id, name, passkey, created_at, last_used_at";

fn read(row: &AnyRow) -> Result<PasskeyRow, StoreError> {
    let r = Reader::new(row, "passkeys");
    Ok(PasskeyRow {
        credential_id: r.text("credential_id")?,
        user: r.parsed("user_id")?,
        name: r.text("name")?,
        passkey: r.text("passkey")?,
        created_at: r.parsed("created_at")?,
        last_used_at: r.opt_parsed("last_used_at")?,
    })
}

/// Adds a passkey; false when the credential id is already registered
/// (to this or another account).
pub async fn insert(conn: &mut AnyConnection, passkey: &PasskeyRow) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "INSERT INTO passkeys (credential_id, user_id, name, passkey, created_at, last_used_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (credential_id) DO NOTHING",
    )
    .bind(&passkey.credential_id)
    .bind(passkey.user.to_string())
    .bind(&passkey.name)
    .bind(&passkey.passkey)
    .bind(ts(passkey.created_at))
    .bind(passkey.last_used_at.map(ts))
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The user's passkeys, oldest first.
pub async fn of_user(
    conn: &mut AnyConnection,
    user: UserId,
) -> Result<Vec<PasskeyRow>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM passkeys WHERE user_id = $1 ORDER BY created_at, credential_id"
    );
    let rows = sqlx::query(AssertSqlSafe(sql))
        .bind(user.to_string())
        .fetch_all(conn)
        .await?;
    rows.iter().map(read).collect()
}

/// Saves the credential after a sign-in (counter, backup flags) and when it
/// was used.
pub async fn record_use(
    conn: &mut AnyConnection,
    credential_id: &str,
    passkey: Option<&str>,
    now: Timestamp,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE passkeys SET passkey = COALESCE($1, passkey), last_used_at = $2 WHERE credential_id = $3",
    )
    .bind(passkey)
    .bind(ts(now))
    .bind(credential_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Renames one of the user's passkeys; false when the user has no such
/// passkey.
pub async fn rename(
    conn: &mut AnyConnection,
    user: UserId,
    credential_id: &str,
    name: &str,
) -> Result<bool, StoreError> {
    let done =
        sqlx::query("UPDATE passkeys SET name = $1 WHERE credential_id = $2 AND user_id = $3")
            .bind(name)
            .bind(credential_id)
            .bind(user.to_string())
            .execute(conn)
            .await?;
    Ok(done.rows_affected() == 1)
}

/// Removes one of the user's passkeys; false when the user has no such
/// passkey.
pub async fn delete(
    conn: &mut AnyConnection,
    user: UserId,
    credential_id: &str,
) -> Result<bool, StoreError> {
    let done = sqlx::query("DELETE FROM passkeys WHERE credential_id = $1 AND user_id = $2")
        .bind(credential_id)
        .bind(user.to_string())
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Removes all the user's passkeys (second-factor reset).
pub async fn delete_for_user(conn: &mut AnyConnection, user: UserId) -> Result<u64, StoreError> {
    let done = sqlx::query("DELETE FROM passkeys WHERE user_id = $1")
        .bind(user.to_string())
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}
