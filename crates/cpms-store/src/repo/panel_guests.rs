//! Invitations by e-mail to join a panel as a guest: found by the hash of
//! their token, used once.

use cpms_domain::ids::{GuestInvitationId, PanelId, UserId};
use jiff::Timestamp;
use sqlx::AnyConnection;
use sqlx::any::AnyRow;

use crate::StoreError;
use crate::codec::{Reader, ts};

/// An invitation as stored (the token itself is never kept).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GuestInvitation {
    pub id: GuestInvitationId,
    pub panel: PanelId,
    pub name: String,
    pub email: String,
    pub invited_by: UserId,
    pub invited_at: Timestamp,
    pub expires_at: Timestamp,
    pub used_at: Option<Timestamp>,
    pub used_by: Option<UserId>,
}

const COLUMNS: &str =
    "id, panel_id, name, email, invited_by, invited_at, expires_at, used_at, used_by";

fn invitation_from(row: &AnyRow) -> Result<GuestInvitation, StoreError> {
    let r = Reader::new(row, "panel_guest_invitations");
    Ok(GuestInvitation {
        id: r.parsed("id")?,
        panel: r.parsed("panel_id")?,
        name: r.text("name")?,
        email: r.text("email")?,
        invited_by: r.parsed("invited_by")?,
        invited_at: r.parsed("invited_at")?,
        expires_at: r.parsed("expires_at")?,
        used_at: r.opt_parsed("used_at")?,
        used_by: r.opt_parsed("used_by")?,
    })
}

pub async fn insert(
    conn: &mut AnyConnection,
    token_hash: &str,
    i: &GuestInvitation,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO panel_guest_invitations (id, token_hash, panel_id, name, email, invited_by, \
         invited_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(i.id.to_string())
    .bind(token_hash.to_owned())
    .bind(i.panel.to_string())
    .bind(i.name.clone())
    .bind(i.email.clone())
    .bind(i.invited_by.to_string())
    .bind(ts(i.invited_at))
    .bind(ts(i.expires_at))
    .execute(conn)
    .await?;
    Ok(())
}

/// The invitation whose token hashes to `token_hash`, used or not.
pub async fn by_token(
    conn: &mut AnyConnection,
    token_hash: &str,
) -> Result<Option<GuestInvitation>, StoreError> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM panel_guest_invitations WHERE token_hash = $1"
    )))
    .bind(token_hash.to_owned())
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(invitation_from).transpose()
}

/// A panel's invitations, newest first.
pub async fn of_panel(
    conn: &mut AnyConnection,
    panel: PanelId,
) -> Result<Vec<GuestInvitation>, StoreError> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM panel_guest_invitations WHERE panel_id = $1 \
         ORDER BY invited_at DESC, id DESC"
    )))
    .bind(panel.to_string())
    .fetch_all(conn)
    .await?;
    rows.iter().map(invitation_from).collect()
}

/// Uses the invitation up for `user`; `false` when it was used meanwhile.
pub async fn mark_used(
    conn: &mut AnyConnection,
    id: GuestInvitationId,
    user: UserId,
    at: Timestamp,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE panel_guest_invitations SET used_at = $2, used_by = $3 \
         WHERE id = $1 AND used_at IS NULL",
    )
    .bind(id.to_string())
    .bind(ts(at))
    .bind(user.to_string())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
