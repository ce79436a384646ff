//! Clinicians' named assistants.

use cpms_domain::ids::{HcpId, SessionId, UserId};
use cpms_domain::org::{MembershipStatus, Role};
use jiff::Timestamp;
use sqlx::AnyConnection;

use crate::StoreError;
use crate::codec::{Reader, ts};

/// One clinician–assistant link as a list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssistantLink {
    pub clinician: UserId,
    pub clinician_name: String,
    pub assistant: UserId,
    pub assistant_name: String,
    pub hcp: HcpId,
    pub accepted: bool,
}

/// Names (or names again) `assistant` for `clinician`; awaits acceptance.
pub async fn name(
    conn: &mut AnyConnection,
    clinician: UserId,
    assistant: UserId,
    hcp: HcpId,
    now: Timestamp,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO assistant_links (clinician_id, assistant_id, hcp_id, named_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (clinician_id, assistant_id) DO NOTHING",
    )
    .bind(clinician.to_string())
    .bind(assistant.to_string())
    .bind(hcp.to_string())
    .bind(ts(now))
    .execute(conn)
    .await?;
    Ok(())
}

/// The assistant accepts; `false` when they were not named.
pub async fn accept(
    conn: &mut AnyConnection,
    clinician: UserId,
    assistant: UserId,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE assistant_links SET accepted_at = $1 WHERE clinician_id = $2 AND assistant_id = $3 AND accepted_at IS NULL",
    )
    .bind(ts(now))
    .bind(clinician.to_string())
    .bind(assistant.to_string())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Links where the user is the clinician or the assistant.
pub async fn involving(
    conn: &mut AnyConnection,
    user: UserId,
) -> Result<Vec<AssistantLink>, StoreError> {
    let rows = sqlx::query(
        "SELECT l.clinician_id, c.display_name AS clinician_name, l.assistant_id, \
         a.display_name AS assistant_name, l.hcp_id, l.accepted_at FROM assistant_links l \
         JOIN users c ON c.id = l.clinician_id JOIN users a ON a.id = l.assistant_id \
         WHERE l.clinician_id = $1 OR l.assistant_id = $1 ORDER BY c.display_name, a.display_name",
    )
    .bind(user.to_string())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            let r = Reader::new(row, "assistant_links");
            Ok(AssistantLink {
                clinician: r.parsed("clinician_id")?,
                clinician_name: r.text("clinician_name")?,
                assistant: r.parsed("assistant_id")?,
                assistant_name: r.text("assistant_name")?,
                hcp: r.parsed("hcp_id")?,
                accepted: r.opt_text("accepted_at")?.is_some(),
            })
        })
        .collect()
}

/// Whether `clinician` named `assistant` and the assistant accepted.
pub async fn is_accepted(
    conn: &mut AnyConnection,
    clinician: UserId,
    assistant: UserId,
) -> Result<bool, StoreError> {
    let row = sqlx::query(
        "SELECT COUNT(*) AS n FROM assistant_links WHERE clinician_id = $1 AND assistant_id = $2 AND accepted_at IS NOT NULL",
    )
    .bind(clinician.to_string())
    .bind(assistant.to_string())
    .fetch_one(conn)
    .await?;
    Ok(Reader::new(&row, "assistant_links").int("n")? == 1)
}

/// The clinician's link to the assistant is removed, and the assistant's
/// sessions stop acting for them; `false` when there was none.
pub async fn unname(
    conn: &mut AnyConnection,
    clinician: UserId,
    assistant: UserId,
) -> Result<bool, StoreError> {
    let done =
        sqlx::query("DELETE FROM assistant_links WHERE clinician_id = $1 AND assistant_id = $2")
            .bind(clinician.to_string())
            .bind(assistant.to_string())
            .execute(&mut *conn)
            .await?;
    sqlx::query("UPDATE sessions SET acting_for = NULL WHERE user_id = $1 AND acting_for = $2")
        .bind(assistant.to_string())
        .bind(clinician.to_string())
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Someone holding (or having held) the assistant role at a hospital.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub user: UserId,
    pub name: String,
    /// When their membership ends, if it does; the caller compares with now.
    pub expires_at: Option<Timestamp>,
}

/// The approved assistant memberships at `hcp`, by name.
pub async fn candidates(
    conn: &mut AnyConnection,
    hcp: HcpId,
) -> Result<Vec<Candidate>, StoreError> {
    let rows = sqlx::query(
        "SELECT u.id, u.display_name, m.expires_at FROM memberships m JOIN users u ON u.id = m.user_id \
         WHERE m.hcp_id = $1 AND m.role = $2 AND m.status = $3 ORDER BY u.display_name",
    )
    .bind(hcp.to_string())
    .bind(Role::Assistant.as_str())
    .bind(MembershipStatus::Approved.as_str())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            let r = Reader::new(row, "memberships");
            Ok(Candidate {
                user: r.parsed("id")?,
                name: r.text("display_name")?,
                expires_at: r.opt_parsed("expires_at")?,
            })
        })
        .collect()
}

/// Whom a session acts for: the clinician, their name and the hospital of
/// the link, while the link stands accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActingFor {
    pub clinician: UserId,
    pub clinician_name: String,
    pub hcp: HcpId,
}

pub async fn acting_for(
    conn: &mut AnyConnection,
    session: SessionId,
) -> Result<Option<ActingFor>, StoreError> {
    let row = sqlx::query(
        "SELECT l.clinician_id, c.display_name, l.hcp_id FROM sessions s \
         JOIN assistant_links l ON l.clinician_id = s.acting_for AND l.assistant_id = s.user_id \
         JOIN users c ON c.id = l.clinician_id \
         WHERE s.id = $1 AND l.accepted_at IS NOT NULL",
    )
    .bind(session.to_string())
    .fetch_optional(conn)
    .await?;
    row.map(|row| {
        let r = Reader::new(&row, "sessions");
        Ok(ActingFor {
            clinician: r.parsed("clinician_id")?,
            clinician_name: r.text("display_name")?,
            hcp: r.parsed("hcp_id")?,
        })
    })
    .transpose()
}

/// Makes the session act for `clinician`, or for nobody.
pub async fn set_acting_for(
    conn: &mut AnyConnection,
    session: SessionId,
    clinician: Option<UserId>,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE sessions SET acting_for = $1 WHERE id = $2")
        .bind(clinician.map(|c| c.to_string()))
        .bind(session.to_string())
        .execute(conn)
        .await?;
    Ok(())
}
