//! Outcome documents of panels: one row per version (the draft as typed,
//! the frozen document, when it was frozen and closed) and the members'
//! answers per sign-off round. Every change is guarded by the version's
//! stage in its `WHERE`, so a closed version is never written again.

use cpms_domain::ids::{PanelId, UserId};
use cpms_domain::panel::outcome::{OutcomeDocument, OutcomeDraft, SignOff, SignOffAnswer};
use jiff::Timestamp;
use sqlx::AnyConnection;
use sqlx::any::AnyRow;

use crate::StoreError;
use crate::codec::{Reader, ts};

/// One version of a panel's outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredOutcome {
    pub panel: PanelId,
    pub version: u32,
    /// The lead's working text, complete or not.
    pub draft: OutcomeDraft,
    /// Set once frozen for sign-off; at closing it carries the sign-offs.
    pub document: Option<OutcomeDocument>,
    /// The current sign-off round (0 before the first request).
    pub round: i64,
    pub created_at: Timestamp,
    pub drafted_at: Timestamp,
    pub drafted_by: UserId,
    pub frozen_at: Option<Timestamp>,
    pub closed_at: Option<Timestamp>,
}

impl StoredOutcome {
    /// Whether the lead may still change the draft.
    pub fn drafting(&self) -> bool {
        self.frozen_at.is_none() && self.closed_at.is_none()
    }
}

/// A member's answer as stored, with their name for showing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSignOff {
    pub sign_off: SignOff,
    pub name: String,
}

const COLUMNS: &str = "panel_id, version, draft, document, round, created_at, drafted_at, \
     drafted_by, frozen_at, closed_at";

fn json(value: &impl serde::Serialize, column: &'static str) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::corrupt("panel_outcomes", column, e))
}

fn version_of(raw: i64) -> Result<u32, StoreError> {
    u32::try_from(raw).map_err(|e| StoreError::corrupt("panel_outcomes", "version", e))
}

fn outcome_from(row: &AnyRow) -> Result<StoredOutcome, StoreError> {
    let r = Reader::new(row, "panel_outcomes");
    Ok(StoredOutcome {
        panel: r.parsed("panel_id")?,
        version: version_of(r.int("version")?)?,
        draft: r.with("draft", |s| serde_json::from_str(s))?,
        document: r
            .opt_text("document")?
            .map(|raw| serde_json::from_str(&raw))
            .transpose()
            .map_err(|e| StoreError::corrupt("panel_outcomes", "document", e))?,
        round: r.int("round")?,
        created_at: r.parsed("created_at")?,
        drafted_at: r.parsed("drafted_at")?,
        drafted_by: r.parsed("drafted_by")?,
        frozen_at: r.opt_parsed("frozen_at")?,
        closed_at: r.opt_parsed("closed_at")?,
    })
}

/// Starts a version with its first draft.
pub async fn insert(conn: &mut AnyConnection, o: &StoredOutcome) -> Result<(), StoreError> {
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO panel_outcomes ({COLUMNS}) VALUES ($1, $2, $3, NULL, 0, $4, $4, $5, NULL, NULL)"
    )))
    .bind(o.panel.to_string())
    .bind(i64::from(o.version))
    .bind(json(&o.draft, "draft")?)
    .bind(ts(o.created_at))
    .bind(o.drafted_by.to_string())
    .execute(conn)
    .await
    .map_err(|e| StoreError::unique(e, "this outcome version"))?;
    Ok(())
}

/// The panel's newest version, if an outcome was ever started.
pub async fn latest(
    conn: &mut AnyConnection,
    panel: PanelId,
) -> Result<Option<StoredOutcome>, StoreError> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM panel_outcomes WHERE panel_id = $1 ORDER BY version DESC LIMIT 1"
    )))
    .bind(panel.to_string())
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(outcome_from).transpose()
}

pub async fn get(
    conn: &mut AnyConnection,
    panel: PanelId,
    version: u32,
) -> Result<Option<StoredOutcome>, StoreError> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM panel_outcomes WHERE panel_id = $1 AND version = $2"
    )))
    .bind(panel.to_string())
    .bind(i64::from(version))
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(outcome_from).transpose()
}

/// Every version, newest first.
pub async fn versions(
    conn: &mut AnyConnection,
    panel: PanelId,
) -> Result<Vec<StoredOutcome>, StoreError> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM panel_outcomes WHERE panel_id = $1 ORDER BY version DESC"
    )))
    .bind(panel.to_string())
    .fetch_all(conn)
    .await?;
    rows.iter().map(outcome_from).collect()
}

/// Replaces the draft of a version still being drafted; `false` when it
/// is frozen or closed (nothing written).
pub async fn save_draft(
    conn: &mut AnyConnection,
    draft: &OutcomeDraft,
    by: UserId,
    at: Timestamp,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE panel_outcomes SET draft = $3, drafted_by = $4, drafted_at = $5 \
         WHERE panel_id = $1 AND version = $2 AND frozen_at IS NULL AND closed_at IS NULL",
    )
    .bind(draft.panel.to_string())
    .bind(i64::from(draft.version))
    .bind(json(draft, "draft")?)
    .bind(by.to_string())
    .bind(ts(at))
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Freezes a drafting version for sign-off with its validated document and
/// starts the next round; `false` when it was not drafting.
pub async fn freeze(
    conn: &mut AnyConnection,
    document: &OutcomeDocument,
    at: Timestamp,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE panel_outcomes SET document = $3, frozen_at = $4, round = round + 1 \
         WHERE panel_id = $1 AND version = $2 AND frozen_at IS NULL AND closed_at IS NULL",
    )
    .bind(document.panel.to_string())
    .bind(i64::from(document.version))
    .bind(json(document, "document")?)
    .bind(ts(at))
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Takes a frozen version back to drafting (the lead revises it); the
/// answers of the past round stay, for the lead to read.
pub async fn unfreeze(
    conn: &mut AnyConnection,
    panel: PanelId,
    version: u32,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE panel_outcomes SET document = NULL, frozen_at = NULL \
         WHERE panel_id = $1 AND version = $2 AND frozen_at IS NOT NULL AND closed_at IS NULL",
    )
    .bind(panel.to_string())
    .bind(i64::from(version))
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Issues a frozen version: the document with its sign-offs is written for
/// the last time; `false` when it was not frozen or already closed.
pub async fn close(
    conn: &mut AnyConnection,
    document: &OutcomeDocument,
    at: Timestamp,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE panel_outcomes SET document = $3, closed_at = $4 \
         WHERE panel_id = $1 AND version = $2 AND frozen_at IS NOT NULL AND closed_at IS NULL",
    )
    .bind(document.panel.to_string())
    .bind(i64::from(document.version))
    .bind(json(document, "document")?)
    .bind(ts(at))
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Records (or replaces) a member's answer in a round.
pub async fn put_sign_off(
    conn: &mut AnyConnection,
    panel: PanelId,
    version: u32,
    round: i64,
    s: &SignOff,
) -> Result<(), StoreError> {
    let (answer, comment) = match &s.answer {
        SignOffAnswer::Signed => ("signed", None),
        SignOffAnswer::Comment { text } => ("comment", Some(text.clone())),
    };
    sqlx::query(
        "INSERT INTO panel_outcome_sign_offs (panel_id, version, round, user_id, answer, comment, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (panel_id, version, round, user_id) \
         DO UPDATE SET answer = $5, comment = $6, at = $7",
    )
    .bind(panel.to_string())
    .bind(i64::from(version))
    .bind(round)
    .bind(s.user.to_string())
    .bind(answer)
    .bind(comment)
    .bind(ts(s.at))
    .execute(conn)
    .await?;
    Ok(())
}

/// The answers of one round, oldest first.
pub async fn sign_offs(
    conn: &mut AnyConnection,
    panel: PanelId,
    version: u32,
    round: i64,
) -> Result<Vec<StoredSignOff>, StoreError> {
    let rows = sqlx::query(
        "SELECT s.user_id, u.display_name, s.answer, s.comment, s.at \
         FROM panel_outcome_sign_offs s JOIN users u ON u.id = s.user_id \
         WHERE s.panel_id = $1 AND s.version = $2 AND s.round = $3 ORDER BY s.at, s.user_id",
    )
    .bind(panel.to_string())
    .bind(i64::from(version))
    .bind(round)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            let r = Reader::new(row, "panel_outcome_sign_offs");
            let answer = match r.text("answer")?.as_str() {
                "signed" => SignOffAnswer::Signed,
                _ => SignOffAnswer::Comment {
                    text: r.opt_text("comment")?.unwrap_or_default(),
                },
            };
            Ok(StoredSignOff {
                sign_off: SignOff {
                    user: r.parsed("user_id")?,
                    at: r.parsed("at")?,
                    answer,
                },
                name: r.text("display_name")?,
            })
        })
        .collect()
}
