//! Memberships: a user's role in an ERN at an HCP.

use cpms_domain::ids::UserId;
use cpms_domain::org::{ErnCode, HcpCode, Membership, MembershipStatus, Role};
use jiff::Timestamp;
use sqlx::AnyConnection;
use sqlx::any::AnyRow;

use crate::StoreError;
use crate::codec::{Reader, ts};

fn membership_from(row: &AnyRow) -> Result<Membership, StoreError> {
    let r = Reader::new(row, "memberships");
    Ok(Membership {
        id: r.parsed("id")?,
        user: r.parsed("user_id")?,
        ern: r.with("ern", ErnCode::parse)?,
        hcp: r.parsed("hcp_id")?,
        hcp_code: r.with("hcp_code", HcpCode::parse)?,
        hcp_name: r.text("hcp_name")?,
        role: r.with("role", Role::parse)?,
        status: r.with("status", MembershipStatus::parse)?,
        expires_at: r.opt_parsed("expires_at")?,
    })
}

pub async fn insert(
    conn: &mut AnyConnection,
    m: &Membership,
    now: Timestamp,
) -> Result<(), StoreError> {
    let decided = (m.status != MembershipStatus::Requested).then(|| ts(now));
    sqlx::query(
        "INSERT INTO memberships (id, user_id, ern, hcp_id, role, status, expires_at, requested_at, decided_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(m.id.to_string())
    .bind(m.user.to_string())
    .bind(m.ern.as_str())
    .bind(m.hcp.to_string())
    .bind(m.role.as_str())
    .bind(m.status.as_str())
    .bind(m.expires_at.map(ts))
    .bind(ts(now))
    .bind(decided)
    .execute(conn)
    .await?;
    Ok(())
}

/// Every membership of the user, whatever its status.
pub async fn of_user(
    conn: &mut AnyConnection,
    user: UserId,
) -> Result<Vec<Membership>, StoreError> {
    let rows = sqlx::query(
        "SELECT m.id, m.user_id, m.ern, m.hcp_id, h.code AS hcp_code, h.name AS hcp_name, m.role, m.status, m.expires_at \
         FROM memberships m JOIN hcps h ON h.id = m.hcp_id WHERE m.user_id = $1 ORDER BY LOWER(m.ern), h.code, m.role",
    )
    .bind(user.to_string())
    .fetch_all(conn)
    .await?;
    rows.iter().map(membership_from).collect()
}

/// How many active-looking members (approved) an ERN has, by role.
pub async fn approved_counts_by_role(
    conn: &mut AnyConnection,
    ern: &ErnCode,
) -> Result<Vec<(Role, i64)>, StoreError> {
    let rows = sqlx::query(
        "SELECT role, COUNT(*) AS n FROM memberships WHERE ern = $1 AND status = 'approved' GROUP BY role ORDER BY role",
    )
    .bind(ern.as_str())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            let r = Reader::new(row, "memberships");
            Ok((r.with("role", Role::parse)?, r.int("n")?))
        })
        .collect()
}

/// The people who hold one of `roles` in `ern` at `now` (approved and not
/// expired), each once.
pub async fn holders(
    conn: &mut AnyConnection,
    ern: &ErnCode,
    roles: &[Role],
    now: Timestamp,
) -> Result<Vec<UserId>, StoreError> {
    let rows = sqlx::query(
        "SELECT user_id, role FROM memberships WHERE ern = $1 AND status = 'approved' \
         AND (expires_at IS NULL OR expires_at > $2) ORDER BY user_id",
    )
    .bind(ern.as_str())
    .bind(ts(now))
    .fetch_all(conn)
    .await?;
    let mut users: Vec<UserId> = Vec::new();
    for row in &rows {
        let r = Reader::new(row, "memberships");
        let user = r.parsed("user_id")?;
        if roles.contains(&r.with("role", Role::parse)?) && !users.contains(&user) {
            users.push(user);
        }
    }
    Ok(users)
}
