//! Panel meetings: schedule, change (raising the iCalendar sequence),
//! cancel, minutes; listed by start.

use cpms_domain::ids::{MeetingId, PanelId, UserId};
use jiff::Timestamp;
use jiff::civil::DateTime;
use sqlx::AnyConnection;
use sqlx::any::AnyRow;

use crate::StoreError;
use crate::codec::{Reader, ts};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredMeeting {
    pub id: MeetingId,
    pub panel: PanelId,
    /// The start on the organiser's clock in `time_zone`.
    pub local_start: DateTime,
    pub time_zone: String,
    pub starts_at: Timestamp,
    pub duration_minutes: i64,
    pub agenda: String,
    pub video_link: String,
    pub sequence: i64,
    pub organiser: UserId,
    pub organiser_name: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub cancelled_at: Option<Timestamp>,
    pub minutes: Option<String>,
    pub minutes_at: Option<Timestamp>,
}

const COLUMNS: &str = "m.id, m.panel_id, m.local_start, m.time_zone, m.starts_at, \
     m.duration_minutes, m.agenda, m.video_link, m.sequence, m.organiser_id, u.display_name, \
     m.created_at, m.updated_at, m.cancelled_at, m.minutes, m.minutes_at";

/// Local starts are kept to the minute: `2026-12-03T14:30`.
fn local(value: DateTime) -> String {
    value.strftime("%Y-%m-%dT%H:%M").to_string()
}

fn meeting_from(row: &AnyRow) -> Result<StoredMeeting, StoreError> {
    let r = Reader::new(row, "panel_meetings");
    Ok(StoredMeeting {
        id: r.parsed("id")?,
        panel: r.parsed("panel_id")?,
        local_start: r.parsed("local_start")?,
        time_zone: r.text("time_zone")?,
        starts_at: r.parsed("starts_at")?,
        duration_minutes: r.int("duration_minutes")?,
        agenda: r.text("agenda")?,
        video_link: r.text("video_link")?,
        sequence: r.int("sequence")?,
        organiser: r.parsed("organiser_id")?,
        organiser_name: r.text("display_name")?,
        created_at: r.parsed("created_at")?,
        updated_at: r.parsed("updated_at")?,
        cancelled_at: r.opt_parsed("cancelled_at")?,
        minutes: r.opt_text("minutes")?,
        minutes_at: r.opt_parsed("minutes_at")?,
    })
}

pub async fn insert(conn: &mut AnyConnection, m: &StoredMeeting) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO panel_meetings (id, panel_id, local_start, time_zone, starts_at, \
         duration_minutes, agenda, video_link, sequence, organiser_id, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)",
    )
    .bind(m.id.to_string())
    .bind(m.panel.to_string())
    .bind(local(m.local_start))
    .bind(m.time_zone.clone())
    .bind(ts(m.starts_at))
    .bind(m.duration_minutes)
    .bind(m.agenda.clone())
    .bind(m.video_link.clone())
    .bind(m.sequence)
    .bind(m.organiser.to_string())
    .bind(ts(m.created_at))
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn get(
    conn: &mut AnyConnection,
    panel: PanelId,
    id: MeetingId,
) -> Result<Option<StoredMeeting>, StoreError> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM panel_meetings m JOIN users u ON u.id = m.organiser_id \
         WHERE m.panel_id = $1 AND m.id = $2"
    )))
    .bind(panel.to_string())
    .bind(id.to_string())
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(meeting_from).transpose()
}

/// The panel's meetings by start, cancelled ones included.
pub async fn of_panel(
    conn: &mut AnyConnection,
    panel: PanelId,
) -> Result<Vec<StoredMeeting>, StoreError> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM panel_meetings m JOIN users u ON u.id = m.organiser_id \
         WHERE m.panel_id = $1 ORDER BY m.starts_at, m.id"
    )))
    .bind(panel.to_string())
    .fetch_all(conn)
    .await?;
    rows.iter().map(meeting_from).collect()
}

/// Writes a changed meeting (time, agenda, sequence, cancellation) if its
/// sequence is still `expected`: two changes at once cannot both win.
pub async fn update(
    conn: &mut AnyConnection,
    m: &StoredMeeting,
    expected: i64,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE panel_meetings SET local_start = $3, time_zone = $4, starts_at = $5, \
         duration_minutes = $6, agenda = $7, sequence = $8, updated_at = $9, cancelled_at = $10 \
         WHERE panel_id = $1 AND id = $2 AND sequence = $11 AND cancelled_at IS NULL",
    )
    .bind(m.panel.to_string())
    .bind(m.id.to_string())
    .bind(local(m.local_start))
    .bind(m.time_zone.clone())
    .bind(ts(m.starts_at))
    .bind(m.duration_minutes)
    .bind(m.agenda.clone())
    .bind(m.sequence)
    .bind(ts(m.updated_at))
    .bind(m.cancelled_at.map(ts))
    .bind(expected)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Keeps the minutes of a meeting (replacing earlier ones).
pub async fn set_minutes(
    conn: &mut AnyConnection,
    panel: PanelId,
    id: MeetingId,
    minutes: &str,
    by: UserId,
    at: Timestamp,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE panel_meetings SET minutes = $3, minutes_by = $4, minutes_at = $5 \
         WHERE panel_id = $1 AND id = $2",
    )
    .bind(panel.to_string())
    .bind(id.to_string())
    .bind(minutes.to_owned())
    .bind(by.to_string())
    .bind(ts(at))
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
