//! Panels: the consultation request, what it shares, its members, its
//! transitions log and its discussion; the lists behind "my panels" and
//! the ERN's panels, each one bounded query.

use cpms_domain::ids::{HcpId, PanelId, PatientId, PostId, ThematicAreaId, UserId};
use cpms_domain::org::ErnCode;
use cpms_domain::panel::{PanelRole, PanelState, PanelType, PostKind, SharedSection, Urgency};
use jiff::Timestamp;
use jiff::civil::Date;
use sqlx::AnyConnection;
use sqlx::any::AnyRow;

use crate::StoreError;
use crate::codec::{Reader, flag, ts};

/// A panel as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredPanel {
    pub id: PanelId,
    pub reference: String,
    pub ern: ErnCode,
    pub patient: PatientId,
    pub lead: UserId,
    pub lead_hcp: HcpId,
    pub area: Option<ThematicAreaId>,
    pub panel_type: PanelType,
    pub urgency: Urgency,
    pub questions: String,
    pub answer_by: Option<Date>,
    pub state: PanelState,
    pub ern_help: bool,
    pub created_at: Timestamp,
    pub submitted_at: Option<Timestamp>,
    pub first_contribution_at: Option<Timestamp>,
    pub closed_at: Option<Timestamp>,
    pub closed_few_contributions: bool,
}

/// What a panel shares of its patient's record.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Shares {
    pub sections: Vec<SharedSection>,
    /// Attachment ids.
    pub attachments: Vec<String>,
    /// De-identified Study Instance UIDs of imaging studies.
    pub studies: Vec<String>,
}

/// Someone on a panel other than its lead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub user: UserId,
    pub name: String,
    pub role: PanelRole,
    pub invited_by: UserId,
    pub invited_at: Timestamp,
    pub answered_at: Option<Timestamp>,
    pub declined: bool,
    pub decline_reason: Option<String>,
}

impl Member {
    /// The role this row grants: none once declined.
    pub fn granted_role(&self) -> Option<PanelRole> {
        (!self.declined).then_some(self.role)
    }
}

/// One line of the transitions log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransitionEntry {
    pub from: PanelState,
    pub to: PanelState,
    pub transition: String,
    pub actor: UserId,
    pub actor_name: String,
    pub on_behalf_of: Option<UserId>,
    pub at: Timestamp,
    pub comment: Option<String>,
}

/// A message of the discussion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Post {
    pub id: PostId,
    pub kind: PostKind,
    pub reply_to: Option<PostId>,
    pub author: UserId,
    pub author_name: String,
    pub on_behalf_of: Option<UserId>,
    pub body: String,
    pub at: Timestamp,
}

/// A panel in a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PanelSummary {
    pub id: PanelId,
    pub reference: String,
    pub ern: ErnCode,
    pub pseudonym: String,
    pub lead_name: String,
    pub area_name: Option<String>,
    pub panel_type: PanelType,
    pub urgency: Urgency,
    pub answer_by: Option<Date>,
    pub state: PanelState,
    pub created_at: Timestamp,
    /// The listing user's role (member lists only).
    pub role: Option<PanelRole>,
}

/// A page of a network's panels, newest first.
#[derive(Debug, Clone)]
pub struct ErnQuery {
    pub ern: ErnCode,
    pub state: Option<PanelState>,
    pub urgency: Option<Urgency>,
    pub area: Option<ThematicAreaId>,
    /// Keyset: the (created_at, id) of the last panel of the previous page.
    pub after: Option<(Timestamp, PanelId)>,
    pub limit: i64,
}

const COLUMNS: &str = "id, reference, ern, patient_id, lead_id, lead_hcp_id, area_id, panel_type, \
     urgency, questions, answer_by, state, ern_help, created_at, submitted_at, \
     first_contribution_at, closed_at, closed_few_contributions";

fn panel_from(row: &AnyRow) -> Result<StoredPanel, StoreError> {
    let r = Reader::new(row, "panels");
    Ok(StoredPanel {
        id: r.parsed("id")?,
        reference: r.text("reference")?,
        ern: r.with("ern", ErnCode::parse)?,
        patient: r.parsed("patient_id")?,
        lead: r.parsed("lead_id")?,
        lead_hcp: r.parsed("lead_hcp_id")?,
        area: r.opt_parsed("area_id")?,
        panel_type: r.with("panel_type", PanelType::parse)?,
        urgency: r.with("urgency", Urgency::parse)?,
        questions: r.text("questions")?,
        answer_by: r.opt_parsed("answer_by")?,
        state: r.with("state", PanelState::parse)?,
        ern_help: r.flag("ern_help")?,
        created_at: r.parsed("created_at")?,
        submitted_at: r.opt_parsed("submitted_at")?,
        first_contribution_at: r.opt_parsed("first_contribution_at")?,
        closed_at: r.opt_parsed("closed_at")?,
        closed_few_contributions: r.flag("closed_few_contributions")?,
    })
}

/// The next number of a reference in `ern` and `year`. The upsert locks
/// the counter row (on PostgreSQL) until the transaction ends, so two
/// requests never get the same number.
pub async fn next_number(
    conn: &mut AnyConnection,
    ern: &ErnCode,
    year: i16,
) -> Result<i64, StoreError> {
    let row = sqlx::query(
        "INSERT INTO panel_counters (ern, year, last) VALUES ($1, $2, 1) \
         ON CONFLICT (ern, year) DO UPDATE SET last = panel_counters.last + 1 RETURNING last",
    )
    .bind(ern.as_str().to_owned())
    .bind(i64::from(year))
    .fetch_one(conn)
    .await?;
    Reader::new(&row, "panel_counters").int("last")
}

pub async fn insert(conn: &mut AnyConnection, p: &StoredPanel) -> Result<(), StoreError> {
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO panels ({COLUMNS}) VALUES \
         ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)"
    )))
    .bind(p.id.to_string())
    .bind(p.reference.clone())
    .bind(p.ern.as_str().to_owned())
    .bind(p.patient.to_string())
    .bind(p.lead.to_string())
    .bind(p.lead_hcp.to_string())
    .bind(p.area.map(|a| a.to_string()))
    .bind(p.panel_type.as_str())
    .bind(p.urgency.as_str())
    .bind(p.questions.clone())
    .bind(p.answer_by.map(|d| d.to_string()))
    .bind(p.state.as_str())
    .bind(flag(p.ern_help))
    .bind(ts(p.created_at))
    .bind(p.submitted_at.map(ts))
    .bind(p.first_contribution_at.map(ts))
    .bind(p.closed_at.map(ts))
    .bind(flag(p.closed_few_contributions))
    .execute(conn)
    .await
    .map_err(|e| StoreError::unique(e, "a panel with this reference"))?;
    Ok(())
}

/// Writes every field that may change after creation, if the panel is
/// still in state `expected` (else nothing is written and `false` returned:
/// someone else moved it meanwhile).
pub async fn update(
    conn: &mut AnyConnection,
    p: &StoredPanel,
    expected: PanelState,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE panels SET ern = $2, lead_id = $3, lead_hcp_id = $4, area_id = $5, \
         panel_type = $6, urgency = $7, questions = $8, answer_by = $9, state = $10, \
         ern_help = $11, submitted_at = $12, first_contribution_at = $13, closed_at = $14, \
         closed_few_contributions = $15 WHERE id = $1 AND state = $16",
    )
    .bind(p.id.to_string())
    .bind(p.ern.as_str().to_owned())
    .bind(p.lead.to_string())
    .bind(p.lead_hcp.to_string())
    .bind(p.area.map(|a| a.to_string()))
    .bind(p.panel_type.as_str())
    .bind(p.urgency.as_str())
    .bind(p.questions.clone())
    .bind(p.answer_by.map(|d| d.to_string()))
    .bind(p.state.as_str())
    .bind(flag(p.ern_help))
    .bind(p.submitted_at.map(ts))
    .bind(p.first_contribution_at.map(ts))
    .bind(p.closed_at.map(ts))
    .bind(flag(p.closed_few_contributions))
    .bind(expected.as_str())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Keeps the time of the first contribution (for the indicators).
pub async fn first_contribution(
    conn: &mut AnyConnection,
    panel: PanelId,
    at: Timestamp,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE panels SET first_contribution_at = $2 \
         WHERE id = $1 AND first_contribution_at IS NULL",
    )
    .bind(panel.to_string())
    .bind(ts(at))
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn get(conn: &mut AnyConnection, id: PanelId) -> Result<Option<StoredPanel>, StoreError> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM panels WHERE id = $1"
    )))
    .bind(id.to_string())
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(panel_from).transpose()
}

pub async fn get_by_reference(
    conn: &mut AnyConnection,
    reference: &str,
) -> Result<Option<StoredPanel>, StoreError> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM panels WHERE reference = $1"
    )))
    .bind(reference.to_owned())
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(panel_from).transpose()
}

/// Replaces what a panel shares.
pub async fn set_shares(
    conn: &mut AnyConnection,
    panel: PanelId,
    shares: &Shares,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM panel_shares WHERE panel_id = $1")
        .bind(panel.to_string())
        .execute(&mut *conn)
        .await?;
    let items = shares
        .sections
        .iter()
        .map(|s| ("section", s.as_str().to_owned()))
        .chain(shares.attachments.iter().map(|a| ("attachment", a.clone())))
        .chain(shares.studies.iter().map(|s| ("study", s.clone())));
    for (kind, item) in items {
        sqlx::query(
            "INSERT INTO panel_shares (panel_id, kind, item) VALUES ($1, $2, $3) \
             ON CONFLICT (panel_id, kind, item) DO NOTHING",
        )
        .bind(panel.to_string())
        .bind(kind)
        .bind(item)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

pub async fn shares(conn: &mut AnyConnection, panel: PanelId) -> Result<Shares, StoreError> {
    let rows = sqlx::query("SELECT kind, item FROM panel_shares WHERE panel_id = $1 ORDER BY item")
        .bind(panel.to_string())
        .fetch_all(conn)
        .await?;
    let mut shares = Shares::default();
    for row in &rows {
        let r = Reader::new(row, "panel_shares");
        match r.text("kind")?.as_str() {
            "section" => shares.sections.push(r.with("item", SharedSection::parse)?),
            "study" => shares.studies.push(r.text("item")?),
            _ => shares.attachments.push(r.text("item")?),
        }
    }
    shares.sections.sort();
    Ok(shares)
}

/// The panels that share an imaging study.
pub async fn sharing_study(
    conn: &mut AnyConnection,
    study_uid: &str,
) -> Result<Vec<PanelId>, StoreError> {
    let ids: Vec<String> = sqlx::query_scalar(
        "SELECT panel_id FROM panel_shares WHERE kind = 'study' AND item = $1 ORDER BY panel_id",
    )
    .bind(study_uid.to_owned())
    .fetch_all(conn)
    .await?;
    ids.iter()
        .map(|id| {
            id.parse()
                .map_err(|e| StoreError::corrupt("panel_shares", "panel_id", e))
        })
        .collect()
}

const MEMBER_COLUMNS: &str = "m.user_id, u.display_name, m.role, m.invited_by, m.invited_at, \
     m.answered_at, m.declined, m.decline_reason";

fn member_from(row: &AnyRow) -> Result<Member, StoreError> {
    let r = Reader::new(row, "panel_members");
    Ok(Member {
        user: r.parsed("user_id")?,
        name: r.text("display_name")?,
        role: r.with("role", PanelRole::parse)?,
        invited_by: r.parsed("invited_by")?,
        invited_at: r.parsed("invited_at")?,
        answered_at: r.opt_parsed("answered_at")?,
        declined: r.flag("declined")?,
        decline_reason: r.opt_text("decline_reason")?,
    })
}

/// `user`'s row on `panel`, if they were ever invited or added.
pub async fn member(
    conn: &mut AnyConnection,
    panel: PanelId,
    user: UserId,
) -> Result<Option<Member>, StoreError> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {MEMBER_COLUMNS} FROM panel_members m JOIN users u ON u.id = m.user_id \
         WHERE m.panel_id = $1 AND m.user_id = $2"
    )))
    .bind(panel.to_string())
    .bind(user.to_string())
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(member_from).transpose()
}

/// Everyone on the panel but the lead, in the order they were invited.
pub async fn members(conn: &mut AnyConnection, panel: PanelId) -> Result<Vec<Member>, StoreError> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {MEMBER_COLUMNS} FROM panel_members m JOIN users u ON u.id = m.user_id \
         WHERE m.panel_id = $1 ORDER BY m.invited_at, u.display_name"
    )))
    .bind(panel.to_string())
    .fetch_all(conn)
    .await?;
    rows.iter().map(member_from).collect()
}

/// Adds `user` with `role`, or renews their row (a new invitation after a
/// decline starts afresh).
pub async fn put_member(
    conn: &mut AnyConnection,
    panel: PanelId,
    user: UserId,
    role: PanelRole,
    invited_by: UserId,
    at: Timestamp,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO panel_members (panel_id, user_id, role, invited_by, invited_at, declined) \
         VALUES ($1, $2, $3, $4, $5, 0) \
         ON CONFLICT (panel_id, user_id) DO UPDATE SET role = $3, invited_by = $4, \
         invited_at = $5, answered_at = NULL, declined = 0, decline_reason = NULL",
    )
    .bind(panel.to_string())
    .bind(user.to_string())
    .bind(role.as_str())
    .bind(invited_by.to_string())
    .bind(ts(at))
    .execute(conn)
    .await?;
    Ok(())
}

/// Records an answer to an invitation: accepted makes a member, declined
/// keeps the reason and grants nothing.
pub async fn answer(
    conn: &mut AnyConnection,
    panel: PanelId,
    user: UserId,
    decline_reason: Option<&str>,
    at: Timestamp,
) -> Result<(), StoreError> {
    let role = if decline_reason.is_some() {
        PanelRole::Invited
    } else {
        PanelRole::Member
    };
    sqlx::query(
        "UPDATE panel_members SET role = $3, answered_at = $4, declined = $5, decline_reason = $6 \
         WHERE panel_id = $1 AND user_id = $2",
    )
    .bind(panel.to_string())
    .bind(user.to_string())
    .bind(role.as_str())
    .bind(ts(at))
    .bind(flag(decline_reason.is_some()))
    .bind(decline_reason.map(str::to_owned))
    .execute(conn)
    .await?;
    Ok(())
}

/// Removes `user`'s row (a lead forwarded away becomes a member instead).
pub async fn remove_member(
    conn: &mut AnyConnection,
    panel: PanelId,
    user: UserId,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM panel_members WHERE panel_id = $1 AND user_id = $2")
        .bind(panel.to_string())
        .bind(user.to_string())
        .execute(conn)
        .await?;
    Ok(())
}

/// A state change to log.
#[derive(Debug, Clone)]
pub struct NewTransition<'a> {
    pub from: PanelState,
    pub to: PanelState,
    pub transition: &'a str,
    pub actor: UserId,
    pub on_behalf_of: Option<UserId>,
    pub at: Timestamp,
    pub comment: Option<&'a str>,
}

/// Appends to the log. Callers update the panel row first, which (on
/// PostgreSQL) holds concurrent steps on the same panel until commit, so
/// sequence numbers do not collide.
pub async fn log_transition(
    conn: &mut AnyConnection,
    panel: PanelId,
    t: &NewTransition<'_>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO panel_transitions \
         (panel_id, seq, from_state, to_state, transition, actor_id, on_behalf_of, at, comment) \
         SELECT $1, COALESCE(MAX(seq), 0) + 1, $2, $3, $4, $5, $6, $7, $8 \
         FROM panel_transitions WHERE panel_id = $1",
    )
    .bind(panel.to_string())
    .bind(t.from.as_str())
    .bind(t.to.as_str())
    .bind(t.transition.to_owned())
    .bind(t.actor.to_string())
    .bind(t.on_behalf_of.map(|u| u.to_string()))
    .bind(ts(t.at))
    .bind(t.comment.map(str::to_owned))
    .execute(conn)
    .await?;
    Ok(())
}

/// The log, oldest first.
pub async fn transitions(
    conn: &mut AnyConnection,
    panel: PanelId,
) -> Result<Vec<TransitionEntry>, StoreError> {
    let rows = sqlx::query(
        "SELECT t.from_state, t.to_state, t.transition, t.actor_id, u.display_name, \
         t.on_behalf_of, t.at, t.comment FROM panel_transitions t \
         JOIN users u ON u.id = t.actor_id WHERE t.panel_id = $1 ORDER BY t.seq",
    )
    .bind(panel.to_string())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            let r = Reader::new(row, "panel_transitions");
            Ok(TransitionEntry {
                from: r.with("from_state", PanelState::parse)?,
                to: r.with("to_state", PanelState::parse)?,
                transition: r.text("transition")?,
                actor: r.parsed("actor_id")?,
                actor_name: r.text("display_name")?,
                on_behalf_of: r.opt_parsed("on_behalf_of")?,
                at: r.parsed("at")?,
                comment: r.opt_text("comment")?,
            })
        })
        .collect()
}

/// A message to store.
#[derive(Debug, Clone)]
pub struct NewPost<'a> {
    pub id: PostId,
    pub kind: PostKind,
    pub reply_to: Option<PostId>,
    pub author: UserId,
    pub on_behalf_of: Option<UserId>,
    pub body: &'a str,
    pub at: Timestamp,
}

pub async fn insert_post(
    conn: &mut AnyConnection,
    panel: PanelId,
    p: &NewPost<'_>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO panel_posts (id, panel_id, kind, reply_to, author_id, on_behalf_of, body, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(p.id.to_string())
    .bind(panel.to_string())
    .bind(p.kind.as_str())
    .bind(p.reply_to.map(|r| r.to_string()))
    .bind(p.author.to_string())
    .bind(p.on_behalf_of.map(|u| u.to_string()))
    .bind(p.body.to_owned())
    .bind(ts(p.at))
    .execute(conn)
    .await?;
    Ok(())
}

/// The discussion, oldest first.
pub async fn posts(conn: &mut AnyConnection, panel: PanelId) -> Result<Vec<Post>, StoreError> {
    let rows = sqlx::query(
        "SELECT p.id, p.kind, p.reply_to, p.author_id, u.display_name, p.on_behalf_of, p.body, \
         p.at FROM panel_posts p JOIN users u ON u.id = p.author_id \
         WHERE p.panel_id = $1 ORDER BY p.at, p.id",
    )
    .bind(panel.to_string())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            let r = Reader::new(row, "panel_posts");
            Ok(Post {
                id: r.parsed("id")?,
                kind: r.with("kind", PostKind::parse)?,
                reply_to: r.opt_parsed("reply_to")?,
                author: r.parsed("author_id")?,
                author_name: r.text("display_name")?,
                on_behalf_of: r.opt_parsed("on_behalf_of")?,
                body: r.text("body")?,
                at: r.parsed("at")?,
            })
        })
        .collect()
}

/// The kind and author of a message of this panel, if it is one.
pub async fn post_kind_and_author(
    conn: &mut AnyConnection,
    panel: PanelId,
    post: PostId,
) -> Result<Option<(PostKind, UserId)>, StoreError> {
    let row =
        sqlx::query("SELECT kind, author_id FROM panel_posts WHERE panel_id = $1 AND id = $2")
            .bind(panel.to_string())
            .bind(post.to_string())
            .fetch_optional(conn)
            .await?;
    row.as_ref()
        .map(|row| {
            let r = Reader::new(row, "panel_posts");
            Ok((r.with("kind", PostKind::parse)?, r.parsed("author_id")?))
        })
        .transpose()
}

pub async fn count_posts(
    conn: &mut AnyConnection,
    panel: PanelId,
    kind: PostKind,
) -> Result<i64, StoreError> {
    let row =
        sqlx::query("SELECT COUNT(*) AS n FROM panel_posts WHERE panel_id = $1 AND kind = $2")
            .bind(panel.to_string())
            .bind(kind.as_str())
            .fetch_one(conn)
            .await?;
    Reader::new(&row, "panel_posts").int("n")
}

const SUMMARY_COLUMNS: &str = "p.id, p.reference, p.ern, pt.pseudonym, u.display_name AS lead_name, \
     a.name AS area_name, p.panel_type, p.urgency, p.answer_by, p.state, p.created_at";
const SUMMARY_JOINS: &str = "JOIN patients pt ON pt.id = p.patient_id \
     JOIN users u ON u.id = p.lead_id LEFT JOIN thematic_areas a ON a.id = p.area_id";

fn summary_from(row: &AnyRow, with_role: bool) -> Result<PanelSummary, StoreError> {
    let r = Reader::new(row, "panels");
    Ok(PanelSummary {
        id: r.parsed("id")?,
        reference: r.text("reference")?,
        ern: r.with("ern", ErnCode::parse)?,
        pseudonym: r.text("pseudonym")?,
        lead_name: r.text("lead_name")?,
        area_name: r.opt_text("area_name")?,
        panel_type: r.with("panel_type", PanelType::parse)?,
        urgency: r.with("urgency", Urgency::parse)?,
        answer_by: r.opt_parsed("answer_by")?,
        state: r.with("state", PanelState::parse)?,
        created_at: r.parsed("created_at")?,
        role: if with_role {
            Some(r.with("role", PanelRole::parse)?)
        } else {
            None
        },
    })
}

/// Panels `lead` leads, newest first, at most `limit`.
pub async fn led_by(
    conn: &mut AnyConnection,
    lead: UserId,
    limit: i64,
) -> Result<Vec<PanelSummary>, StoreError> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {SUMMARY_COLUMNS} FROM panels p {SUMMARY_JOINS} WHERE p.lead_id = $1 \
         ORDER BY p.created_at DESC, p.id DESC LIMIT $2"
    )))
    .bind(lead.to_string())
    .bind(limit)
    .fetch_all(conn)
    .await?;
    rows.iter().map(|row| summary_from(row, false)).collect()
}

/// Panels `user` is on (member, manager or invited, not declined), newest
/// first, at most `limit`.
pub async fn joined_by(
    conn: &mut AnyConnection,
    user: UserId,
    limit: i64,
) -> Result<Vec<PanelSummary>, StoreError> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {SUMMARY_COLUMNS}, m.role FROM panel_members m \
         JOIN panels p ON p.id = m.panel_id {SUMMARY_JOINS} \
         WHERE m.user_id = $1 AND m.declined = 0 \
         ORDER BY p.created_at DESC, p.id DESC LIMIT $2"
    )))
    .bind(user.to_string())
    .bind(limit)
    .fetch_all(conn)
    .await?;
    rows.iter().map(|row| summary_from(row, true)).collect()
}

/// For each panel `lead` leads that has requests for information nobody
/// answered yet, how many.
pub async fn unanswered_requests(
    conn: &mut AnyConnection,
    lead: UserId,
) -> Result<Vec<(PanelId, i64)>, StoreError> {
    let rows = sqlx::query(
        "SELECT q.panel_id, COUNT(*) AS n FROM panels p \
         JOIN panel_posts q ON q.panel_id = p.id AND q.kind = 'info_request' \
         WHERE p.lead_id = $1 AND NOT EXISTS \
         (SELECT 1 FROM panel_posts a WHERE a.reply_to = q.id AND a.kind = 'answer') \
         GROUP BY q.panel_id",
    )
    .bind(lead.to_string())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            let r = Reader::new(row, "panel_posts");
            Ok((r.parsed("panel_id")?, r.int("n")?))
        })
        .collect()
}

/// One page of a network's panels, newest first, filtered.
pub async fn of_ern(
    conn: &mut AnyConnection,
    q: &ErnQuery,
) -> Result<Vec<PanelSummary>, StoreError> {
    let mut sql =
        format!("SELECT {SUMMARY_COLUMNS} FROM panels p {SUMMARY_JOINS} WHERE p.ern = $1");
    let mut binds: Vec<String> = vec![q.ern.as_str().to_owned()];
    // Each filter adds its value and refers to it by position.
    let mut bind = |value: String| {
        binds.push(value);
        format!("${}", binds.len())
    };
    if let Some(state) = q.state {
        sql.push_str(&format!(
            " AND p.state = {}",
            bind(state.as_str().to_owned())
        ));
    }
    if let Some(urgency) = q.urgency {
        sql.push_str(&format!(
            " AND p.urgency = {}",
            bind(urgency.as_str().to_owned())
        ));
    }
    if let Some(area) = q.area {
        sql.push_str(&format!(" AND p.area_id = {}", bind(area.to_string())));
    }
    if let Some((at, id)) = q.after {
        let (at, id) = (bind(ts(at)), bind(id.to_string()));
        sql.push_str(&format!(
            " AND (p.created_at < {at} OR (p.created_at = {at} AND p.id < {id}))"
        ));
    }
    sql.push_str(&format!(
        " ORDER BY p.created_at DESC, p.id DESC LIMIT ${}",
        binds.len() + 1
    ));
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
    for value in binds {
        query = query.bind(value);
    }
    let rows = query.bind(q.limit).fetch_all(conn).await?;
    rows.iter().map(|row| summary_from(row, false)).collect()
}

/// Urgent panels whose requested answer date is before `today` and that
/// are under way (submitted, not yet closed, archived or cancelled).
pub async fn overdue_urgent(
    conn: &mut AnyConnection,
    today: Date,
) -> Result<Vec<StoredPanel>, StoreError> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM panels WHERE urgency = 'urgent' AND answer_by < $1 \
         AND state NOT IN ('draft', 'closed', 'archived', 'cancelled') ORDER BY answer_by, id"
    )))
    .bind(today.to_string())
    .fetch_all(conn)
    .await?;
    rows.iter().map(panel_from).collect()
}

/// Records that `panel` is reminded about on `day`; false when it already
/// was (by this or another instance), and then nobody should be told again.
pub async fn claim_reminder(
    conn: &mut AnyConnection,
    panel: PanelId,
    day: Date,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let row = sqlx::query(
        "INSERT INTO panel_reminders (panel_id, day, reminded_at) VALUES ($1, $2, $3) \
         ON CONFLICT (panel_id, day) DO NOTHING RETURNING panel_id",
    )
    .bind(panel.to_string())
    .bind(day.to_string())
    .bind(ts(now))
    .fetch_optional(conn)
    .await?;
    Ok(row.is_some())
}
