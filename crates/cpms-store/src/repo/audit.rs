//! Appending to and reading the audit chain.

use cpms_domain::audit::{AuditEvent, NewEvent, Outcome};
use jiff::Timestamp;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AssertSqlSafe};

use crate::StoreError;
use crate::codec::{Reader, ts};

/// Appends an event inside the caller's transaction. The head row update
/// comes first: on PostgreSQL it locks the row until commit, so concurrent
/// appends take their turn and the chain stays linear.
pub async fn append(
    conn: &mut AnyConnection,
    event: NewEvent,
    now: Timestamp,
) -> Result<AuditEvent, StoreError> {
    let head = sqlx::query("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash")
        .fetch_one(&mut *conn)
        .await?;
    let r = Reader::new(&head, "audit_head");
    let (seq, prev_hash) = (r.int("seq")?, r.text("hash")?);
    let at = cpms_domain::time::truncate_to_micros(now);
    let stored = AuditEvent::chain(seq, at, event, &prev_hash);
    sqlx::query(
        "INSERT INTO audit_events (seq, id, at, actor_id, on_behalf_of, action, target, client_addr, outcome, detail, prev_hash, hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(stored.seq)
    .bind(stored.id.to_string())
    .bind(ts(stored.at))
    .bind(stored.event.actor.map(|u| u.to_string()))
    .bind(stored.event.on_behalf_of.map(|u| u.to_string()))
    .bind(&stored.event.action)
    .bind(&stored.event.target)
    .bind(stored.event.client_addr.as_deref())
    .bind(stored.event.outcome.as_str())
    .bind(stored.event.detail.as_deref())
    .bind(&stored.prev_hash)
    .bind(&stored.hash)
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1")
        .bind(&stored.hash)
        .execute(conn)
        .await?;
    Ok(stored)
}

fn event_from(row: &AnyRow) -> Result<AuditEvent, StoreError> {
    let r = Reader::new(row, "audit_events");
    let outcome = r.with("outcome", |o| {
        Outcome::parse(o).ok_or_else(|| format!("unknown outcome '{o}'"))
    })?;
    Ok(AuditEvent {
        seq: r.int("seq")?,
        id: r.parsed("id")?,
        at: r.parsed("at")?,
        event: NewEvent {
            actor: r.opt_parsed("actor_id")?,
            on_behalf_of: r.opt_parsed("on_behalf_of")?,
            action: r.text("action")?,
            target: r.text("target")?,
            client_addr: r.opt_text("client_addr")?,
            outcome,
            detail: r.opt_text("detail")?,
        },
        prev_hash: r.text("prev_hash")?,
        hash: r.text("hash")?,
    })
}

const COLUMNS: &str = "seq, id, at, actor_id, on_behalf_of, action, target, client_addr, outcome, detail, prev_hash, hash";

/// Up to `limit` events in chain order, starting after position `after`
/// of the stored order (0 for the beginning). Reads by physical order of
/// `seq` so that a renumbered row shows up where it now sits.
pub async fn page(
    conn: &mut AnyConnection,
    after: i64,
    limit: i64,
) -> Result<Vec<AuditEvent>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM audit_events WHERE seq > $1 ORDER BY seq LIMIT $2");
    let rows = sqlx::query(AssertSqlSafe(sql))
        .bind(after)
        .bind(limit)
        .fetch_all(conn)
        .await?;
    rows.iter().map(event_from).collect()
}

/// The recorded end of the chain, or `None` when nothing was appended.
pub async fn head(conn: &mut AnyConnection) -> Result<Option<(i64, String)>, StoreError> {
    let row = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1")
        .fetch_optional(conn)
        .await?;
    let Some(row) = row else { return Ok(None) };
    let r = Reader::new(&row, "audit_head");
    let seq = r.int("seq")?;
    Ok((seq > 0).then_some((seq, r.text("hash")?)))
}

/// The newest events whose target or actor matches, newest first.
pub async fn recent_for_actor(
    conn: &mut AnyConnection,
    actor: cpms_domain::ids::UserId,
    limit: i64,
) -> Result<Vec<AuditEvent>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM audit_events WHERE actor_id = $1 ORDER BY seq DESC LIMIT $2"
    );
    let rows = sqlx::query(AssertSqlSafe(sql))
        .bind(actor.to_string())
        .bind(limit)
        .fetch_all(conn)
        .await?;
    rows.iter().map(event_from).collect()
}
