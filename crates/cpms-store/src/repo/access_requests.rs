//! Access requests: memberships in status `requested`, the coordinators'
//! queue, and decisions.

use cpms_domain::ids::{HcpId, MembershipId, UserId};
use cpms_domain::onboarding::AccessRequest;
use cpms_domain::org::{ErnCode, HcpCode, Membership, MembershipStatus, Role};
use jiff::Timestamp;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AssertSqlSafe};

use crate::StoreError;
use crate::codec::{Reader, ts};

const COLUMNS: &str = "m.id, m.user_id, u.display_name, u.email, m.ern, h.code AS hcp_code, \
    h.name AS hcp_name, h.country, m.role, m.status, m.comment, m.requested_at, m.decided_at, \
    m.decision_reason, m.expires_at";
const FROM: &str =
    "FROM memberships m JOIN users u ON u.id = m.user_id JOIN hcps h ON h.id = m.hcp_id";

fn request_from(row: &AnyRow) -> Result<AccessRequest, StoreError> {
    let r = Reader::new(row, "memberships");
    Ok(AccessRequest {
        id: r.parsed("id")?,
        user: r.parsed("user_id")?,
        applicant: r.text("display_name")?,
        email: r.text("email")?,
        ern: r.with("ern", ErnCode::parse)?,
        hcp_code: r.with("hcp_code", HcpCode::parse)?,
        hcp_name: r.text("hcp_name")?,
        country: r.opt_text("country")?,
        role: r.with("role", Role::parse)?,
        status: r.with("status", MembershipStatus::parse)?,
        comment: r.opt_text("comment")?,
        requested_at: r.parsed("requested_at")?,
        decided_at: r.opt_parsed("decided_at")?,
        reason: r.opt_text("decision_reason")?,
        expires_at: r.opt_parsed("expires_at")?,
    })
}

/// Records a request (a membership in status `requested`) with its comment.
pub async fn insert(
    conn: &mut AnyConnection,
    m: &Membership,
    comment: Option<&str>,
    now: Timestamp,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO memberships (id, user_id, ern, hcp_id, role, status, requested_at, comment) \
         VALUES ($1, $2, $3, $4, $5, 'requested', $6, $7)",
    )
    .bind(m.id.to_string())
    .bind(m.user.to_string())
    .bind(m.ern.as_str())
    .bind(m.hcp.to_string())
    .bind(m.role.as_str())
    .bind(ts(now))
    .bind(comment)
    .execute(conn)
    .await?;
    Ok(())
}

/// A request or membership for the same (user, ERN, hospital, role) that
/// is still pending or granted, so a second request is not recorded.
pub async fn find_open(
    conn: &mut AnyConnection,
    m: &Membership,
) -> Result<Option<AccessRequest>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} {FROM} WHERE m.user_id = $1 AND m.ern = $2 AND m.hcp_id = $3 \
         AND m.role = $4 AND m.status IN ('requested', 'approved')"
    );
    let row = sqlx::query(AssertSqlSafe(sql))
        .bind(m.user.to_string())
        .bind(m.ern.as_str())
        .bind(m.hcp.to_string())
        .bind(m.role.as_str())
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(request_from).transpose()
}

pub async fn get(
    conn: &mut AnyConnection,
    id: MembershipId,
) -> Result<Option<AccessRequest>, StoreError> {
    let sql = format!("SELECT {COLUMNS} {FROM} WHERE m.id = $1");
    let row = sqlx::query(AssertSqlSafe(sql))
        .bind(id.to_string())
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(request_from).transpose()
}

/// A user's requests and memberships, newest first.
pub async fn of_user(
    conn: &mut AnyConnection,
    user: UserId,
) -> Result<Vec<AccessRequest>, StoreError> {
    let sql = format!("SELECT {COLUMNS} {FROM} WHERE m.user_id = $1 ORDER BY m.requested_at DESC");
    let rows = sqlx::query(AssertSqlSafe(sql))
        .bind(user.to_string())
        .fetch_all(conn)
        .await?;
    rows.iter().map(request_from).collect()
}

/// Which requests of a network the queue shows.
#[derive(Debug, Clone, Default)]
pub struct QueueFilter {
    pub status: Option<MembershipStatus>,
    pub role: Option<Role>,
    pub country: Option<String>,
    /// Part of the applicant's name, e-mail or hospital.
    pub text: Option<String>,
}

/// A network's requests matching `filter`, oldest first (first come,
/// first served).
pub async fn queue(
    conn: &mut AnyConnection,
    ern: &ErnCode,
    filter: &QueueFilter,
) -> Result<Vec<AccessRequest>, StoreError> {
    let mut sql = format!("SELECT {COLUMNS} {FROM} WHERE m.ern = $1");
    let mut binds: Vec<String> = vec![ern.as_str().to_owned()];
    // Each condition names its parameter `$n`; one value may be used twice.
    let mut add = |condition: &str, value: String| {
        binds.push(value);
        sql.push_str(&condition.replace("$n", &format!("${}", binds.len())));
    };
    if let Some(status) = filter.status {
        add(" AND m.status = $n", status.as_str().to_owned());
    }
    if let Some(role) = filter.role {
        add(" AND m.role = $n", role.as_str().to_owned());
    }
    if let Some(country) = &filter.country {
        add(" AND h.country = $n", country.clone());
    }
    if let Some(text) = &filter.text {
        add(
            " AND (LOWER(u.display_name) LIKE $n OR LOWER(u.email) LIKE $n OR LOWER(h.name) LIKE $n)",
            format!("%{}%", text.to_lowercase()),
        );
    }
    sql.push_str(" ORDER BY m.requested_at, m.id");
    let mut query = sqlx::query(AssertSqlSafe(sql));
    for value in binds {
        query = query.bind(value);
    }
    let rows = query.fetch_all(conn).await?;
    rows.iter().map(request_from).collect()
}

/// Decides a pending request; `false` when it was no longer pending.
pub async fn decide(
    conn: &mut AnyConnection,
    id: MembershipId,
    status: MembershipStatus,
    by: UserId,
    reason: Option<&str>,
    expires_at: Option<Timestamp>,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE memberships SET status = $1, decided_by = $2, decision_reason = $3, \
         expires_at = $4, decided_at = $5 WHERE id = $6 AND status = 'requested'",
    )
    .bind(status.as_str())
    .bind(by.to_string())
    .bind(reason)
    .bind(expires_at.map(ts))
    .bind(ts(now))
    .bind(id.to_string())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Sets when a membership ends (extending a guest).
pub async fn set_expiry(
    conn: &mut AnyConnection,
    id: MembershipId,
    expires_at: Timestamp,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE memberships SET expires_at = $1 WHERE id = $2")
        .bind(ts(expires_at))
        .bind(id.to_string())
        .execute(conn)
        .await?;
    Ok(())
}

/// Changes the role a membership grants and where: the virtual-centre
/// capability moves a guest to their network's virtual centre.
pub async fn set_role(
    conn: &mut AnyConnection,
    id: MembershipId,
    role: Role,
    hcp: HcpId,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE memberships SET role = $1, hcp_id = $2 WHERE id = $3")
        .bind(role.as_str())
        .bind(hcp.to_string())
        .bind(id.to_string())
        .execute(conn)
        .await?;
    Ok(())
}
