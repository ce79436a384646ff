//! Clinicians' named assistants.

use cpms_domain::ids::{HcpId, UserId};
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
