//! User accounts.

use cpms_domain::ids::UserId;
use cpms_domain::user::{AccountStatus, User};
use jiff::Timestamp;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AssertSqlSafe, Connection};

use crate::StoreError;
use crate::codec::{Reader, flag, ts};

const COLUMNS: &str =
    "id, username, display_name, email, status, administrator, training, password_hash";

fn user_from(row: &AnyRow) -> Result<(User, Option<String>), StoreError> {
    let r = Reader::new(row, "users");
    let user = User {
        id: r.parsed("id")?,
        username: r.text("username")?,
        display_name: r.text("display_name")?,
        email: r.text("email")?,
        status: r.with("status", AccountStatus::parse)?,
        administrator: r.flag("administrator")?,
        training: r.flag("training")?,
    };
    Ok((user, r.opt_text("password_hash")?))
}

pub async fn insert(
    conn: &mut AnyConnection,
    user: &User,
    password_hash: Option<&str>,
    now: Timestamp,
) -> Result<(), StoreError> {
    // A savepoint, so a duplicate name leaves the caller's transaction usable
    // on PostgreSQL (which otherwise aborts it).
    let mut savepoint = conn.begin().await?;
    sqlx::query(
        "INSERT INTO users (id, username, display_name, email, status, administrator, training, password_hash, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(user.id.to_string())
    .bind(&user.username)
    .bind(&user.display_name)
    .bind(&user.email)
    .bind(user.status.as_str())
    .bind(flag(user.administrator))
    .bind(flag(user.training))
    .bind(password_hash)
    .bind(ts(now))
    .execute(&mut *savepoint)
    .await
    .map_err(|e| StoreError::unique(e, format!("user name '{}'", user.username)))?;
    savepoint.commit().await?;
    Ok(())
}

/// The user and their password hash, if any.
pub async fn find_by_username(
    conn: &mut AnyConnection,
    username: &str,
) -> Result<Option<(User, Option<String>)>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM users WHERE username = $1");
    let row = sqlx::query(AssertSqlSafe(sql))
        .bind(username)
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(user_from).transpose()
}

/// The oldest account with this e-mail address (compared without case).
pub async fn find_by_email(
    conn: &mut AnyConnection,
    email: &str,
) -> Result<Option<User>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM users WHERE LOWER(email) = LOWER($1) ORDER BY created_at, id LIMIT 1"
    );
    let row = sqlx::query(AssertSqlSafe(sql))
        .bind(email)
        .fetch_optional(conn)
        .await?;
    Ok(row
        .as_ref()
        .map(user_from)
        .transpose()?
        .map(|(user, _)| user))
}

pub async fn get(conn: &mut AnyConnection, id: UserId) -> Result<Option<User>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM users WHERE id = $1");
    let row = sqlx::query(AssertSqlSafe(sql))
        .bind(id.to_string())
        .fetch_optional(conn)
        .await?;
    Ok(row
        .as_ref()
        .map(user_from)
        .transpose()?
        .map(|(user, _)| user))
}

pub async fn set_password_hash(
    conn: &mut AnyConnection,
    id: UserId,
    hash: &str,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(hash)
        .bind(id.to_string())
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn set_status(
    conn: &mut AnyConnection,
    id: UserId,
    status: AccountStatus,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE users SET status = $1 WHERE id = $2")
        .bind(status.as_str())
        .bind(id.to_string())
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn count_training(conn: &mut AnyConnection) -> Result<i64, StoreError> {
    let row = sqlx::query("SELECT COUNT(*) AS n FROM users WHERE training = 1")
        .fetch_one(conn)
        .await?;
    Reader::new(&row, "users").int("n")
}
