//! Failed sign-in attempts per account, for the lockout with back-off.

use cpms_domain::ids::UserId;
use jiff::Timestamp;
use sqlx::AnyConnection;

use crate::StoreError;
use crate::codec::{Reader, ts};

/// The stored failure history of one account.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Lockout {
    pub consecutive_failures: u32,
    pub last_failure: Option<Timestamp>,
    pub locked_until: Option<Timestamp>,
}

pub async fn get(conn: &mut AnyConnection, user: UserId) -> Result<Lockout, StoreError> {
    let row = sqlx::query(
        "SELECT consecutive_failures, last_failure, locked_until FROM account_lockouts WHERE user_id = $1",
    )
    .bind(user.to_string())
    .fetch_optional(conn)
    .await?;
    let Some(row) = row else {
        return Ok(Lockout::default());
    };
    let r = Reader::new(&row, "account_lockouts");
    Ok(Lockout {
        consecutive_failures: u32::try_from(r.int("consecutive_failures")?)
            .map_err(|e| StoreError::corrupt("account_lockouts", "consecutive_failures", e))?,
        last_failure: r.opt_parsed("last_failure")?,
        locked_until: r.opt_parsed("locked_until")?,
    })
}

pub async fn set(
    conn: &mut AnyConnection,
    user: UserId,
    lockout: &Lockout,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO account_lockouts (user_id, consecutive_failures, last_failure, locked_until) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (user_id) DO UPDATE \
         SET consecutive_failures = $2, last_failure = $3, locked_until = $4",
    )
    .bind(user.to_string())
    .bind(i64::from(lockout.consecutive_failures))
    .bind(lockout.last_failure.map(ts))
    .bind(lockout.locked_until.map(ts))
    .execute(conn)
    .await?;
    Ok(())
}
