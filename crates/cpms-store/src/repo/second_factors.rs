//! Second factors of local accounts: the TOTP enrolment and the unused
//! recovery codes (hashed).

use cpms_domain::ids::UserId;
use jiff::Timestamp;
use sqlx::AnyConnection;

use crate::StoreError;
use crate::codec::{Reader, ts};

/// A user's authenticator app: the base32 secret and the last time step a
/// code was accepted for (so each code works once).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TotpEnrolment {
    pub secret: String,
    pub last_used_step: Option<u64>,
}

pub async fn totp_of(
    conn: &mut AnyConnection,
    user: UserId,
) -> Result<Option<TotpEnrolment>, StoreError> {
    let row = sqlx::query("SELECT secret, last_used_step FROM totp_enrolments WHERE user_id = $1")
        .bind(user.to_string())
        .fetch_optional(conn)
        .await?;
    let Some(row) = row else { return Ok(None) };
    let r = Reader::new(&row, "totp_enrolments");
    let step = r
        .opt_int("last_used_step")?
        .map(|step| {
            u64::try_from(step)
                .map_err(|e| StoreError::corrupt("totp_enrolments", "last_used_step", e))
        })
        .transpose()?;
    Ok(Some(TotpEnrolment {
        secret: r.text("secret")?,
        last_used_step: step,
    }))
}

/// Sets (or replaces) the user's TOTP enrolment.
pub async fn set_totp(
    conn: &mut AnyConnection,
    user: UserId,
    enrolment: &TotpEnrolment,
    now: Timestamp,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO totp_enrolments (user_id, secret, last_used_step, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (user_id) DO UPDATE SET secret = $2, last_used_step = $3, created_at = $4",
    )
    .bind(user.to_string())
    .bind(&enrolment.secret)
    .bind(enrolment.last_used_step.map(step_column))
    .bind(ts(now))
    .execute(conn)
    .await?;
    Ok(())
}

/// Records the step of an accepted code, only if it is later than the last
/// one: returns false when another request used this step (or a later one)
/// first, which makes the code a replay even under concurrency.
pub async fn use_totp_step(
    conn: &mut AnyConnection,
    user: UserId,
    step: u64,
) -> Result<bool, StoreError> {
    let step = step_column(step);
    let done = sqlx::query(
        "UPDATE totp_enrolments SET last_used_step = $1 \
         WHERE user_id = $2 AND (last_used_step IS NULL OR last_used_step < $1)",
    )
    .bind(step)
    .bind(user.to_string())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn delete_totp(conn: &mut AnyConnection, user: UserId) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM totp_enrolments WHERE user_id = $1")
        .bind(user.to_string())
        .execute(conn)
        .await?;
    Ok(())
}

/// Steps are seconds / 30: far below i64::MAX for any real clock.
fn step_column(step: u64) -> i64 {
    i64::try_from(step).unwrap_or(i64::MAX)
}

/// Hashes of the user's unused recovery codes.
pub async fn recovery_hashes(
    conn: &mut AnyConnection,
    user: UserId,
) -> Result<Vec<String>, StoreError> {
    let rows =
        sqlx::query("SELECT code_hash FROM recovery_codes WHERE user_id = $1 ORDER BY code_hash")
            .bind(user.to_string())
            .fetch_all(conn)
            .await?;
    rows.iter()
        .map(|row| Reader::new(row, "recovery_codes").text("code_hash"))
        .collect()
}

/// Replaces the user's recovery codes with a new set.
pub async fn replace_recovery_codes(
    conn: &mut AnyConnection,
    user: UserId,
    hashes: &[String],
    now: Timestamp,
) -> Result<(), StoreError> {
    delete_recovery_codes(conn, user).await?;
    for hash in hashes {
        sqlx::query(
            "INSERT INTO recovery_codes (user_id, code_hash, created_at) VALUES ($1, $2, $3)",
        )
        .bind(user.to_string())
        .bind(hash)
        .bind(ts(now))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Burns one code; false when it was already used (by a concurrent request).
pub async fn use_recovery_code(
    conn: &mut AnyConnection,
    user: UserId,
    hash: &str,
) -> Result<bool, StoreError> {
    let done = sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1 AND code_hash = $2")
        .bind(user.to_string())
        .bind(hash)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn delete_recovery_codes(
    conn: &mut AnyConnection,
    user: UserId,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
        .bind(user.to_string())
        .execute(conn)
        .await?;
    Ok(())
}
