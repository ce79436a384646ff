//! "My panels" (leading, member, invited, and what waits for me) and the
//! network's panel list with filters and keyset paging. Each list is a
//! bounded query; nothing is read per row.

use cpms_domain::ids::{PanelId, ThematicAreaId};
use cpms_domain::org::{Ern, ErnCode, ThematicArea};
use cpms_domain::panel::{PanelRole, PanelState, Urgency};
use cpms_domain::policy::{Action, Resource};
use cpms_store::repo::panels::{self as repo, ErnQuery, PanelSummary};
use cpms_store::repo::reference;

use crate::{App, AppError, Caller};

/// How many panels each part of "my panels" shows at most.
const MINE_LIMIT: i64 = 200;
/// One page of the network's list.
pub const ERN_PAGE: i64 = 50;

#[derive(Debug, Clone, Default)]
pub struct MyPanels {
    pub leading: Vec<PanelSummary>,
    /// Member or panel manager.
    pub member: Vec<PanelSummary>,
    /// Invitations not answered yet.
    pub invited: Vec<PanelSummary>,
    pub waiting: Vec<Waiting>,
}

/// Something that waits for the caller on one panel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiting {
    pub reference: String,
    pub urgent: bool,
    pub what: String,
}

/// The network list's filters and position, as typed.
#[derive(Debug, Clone, Default)]
pub struct ErnPanelQuery {
    pub state: String,
    pub urgency: String,
    pub area: String,
    /// The `next` cursor of the previous page.
    pub after: String,
}

#[derive(Debug, Clone)]
pub struct ErnPanels {
    pub ern: Ern,
    pub areas: Vec<ThematicArea>,
    pub panels: Vec<PanelSummary>,
    /// Cursor of the next page, when there is one.
    pub next: Option<String>,
}

pub(crate) fn ern_resource(ern: &ErnCode) -> Resource<'_> {
    Resource::Ern(ern)
}

impl App {
    /// The panels the caller leads (or their clinician leads, for an
    /// assistant), is a member of or is invited to.
    pub async fn my_panels(&self, caller: &Caller) -> Result<MyPanels, AppError> {
        let me = caller.user.id;
        self.authorize(
            caller,
            Action::ManageOwnAccount,
            Resource::Account(me),
            &format!("user:{me}"),
        )
        .await?;
        let lead = caller.works_for();
        let mut conn = self.store().read().await?;
        let leading = repo::led_by(&mut conn, lead, MINE_LIMIT).await?;
        let joined = repo::joined_by(&mut conn, me, MINE_LIMIT).await?;
        let unanswered = repo::unanswered_requests(&mut conn, lead).await?;
        drop(conn);
        let mut mine = MyPanels::default();
        for p in &leading {
            if let Some((_, n)) = unanswered.iter().find(|(id, _)| *id == p.id) {
                mine.waiting.push(Waiting {
                    reference: p.reference.clone(),
                    urgent: p.urgency == Urgency::Urgent,
                    what: format!("{n} request(s) for information to answer"),
                });
            }
            if p.state == PanelState::Draft {
                mine.waiting.push(Waiting {
                    reference: p.reference.clone(),
                    urgent: p.urgency == Urgency::Urgent,
                    what: "Draft request to complete and submit".into(),
                });
            }
        }
        for p in joined {
            if p.role == Some(PanelRole::Invited) {
                if p.state.is_active() {
                    mine.waiting.push(Waiting {
                        reference: p.reference.clone(),
                        urgent: p.urgency == Urgency::Urgent,
                        what: "Invitation to answer".into(),
                    });
                }
                mine.invited.push(p);
            } else {
                mine.member.push(p);
            }
        }
        mine.leading = leading;
        Ok(mine)
    }

    /// A page of the network's panels, newest first, for its coordinators,
    /// dispatchers and panel managers.
    pub async fn ern_panels(
        &self,
        caller: &Caller,
        ern: &str,
        q: &ErnPanelQuery,
    ) -> Result<ErnPanels, AppError> {
        let code = self.known_ern(ern).await?;
        self.authorize(
            caller,
            Action::ViewErnPanels,
            ern_resource(&code),
            &format!("ern:{code}"),
        )
        .await?;
        let mut conn = self.store().read().await?;
        let ern = reference::get_ern(&mut conn, &code)
            .await?
            .ok_or_else(|| AppError::not_found("That network"))?;
        let areas = reference::areas_of_ern(&mut conn, &code).await?;
        let given = |raw: &str| {
            Some(raw.trim())
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        let query = ErnQuery {
            ern: code,
            state: given(&q.state)
                .map(|s| PanelState::parse(&s))
                .transpose()
                .map_err(|_| AppError::invalid("State: choose a state from the list."))?,
            urgency: given(&q.urgency)
                .map(|u| Urgency::parse(&u))
                .transpose()
                .map_err(|_| AppError::invalid("Urgency: choose routine or urgent."))?,
            area: given(&q.area)
                .map(|a| a.parse::<ThematicAreaId>())
                .transpose()
                .map_err(|_| AppError::invalid("Thematic area: choose an area from the list."))?,
            after: given(&q.after).map(|c| parse_cursor(&c)).transpose()?,
            // One more than a page tells whether another page follows.
            limit: ERN_PAGE + 1,
        };
        let mut panels = repo::of_ern(&mut conn, &query).await?;
        drop(conn);
        let next = if panels.len() > ERN_PAGE as usize {
            panels.truncate(ERN_PAGE as usize);
            panels.last().map(cursor)
        } else {
            None
        };
        Ok(ErnPanels {
            ern,
            areas,
            panels,
            next,
        })
    }

    /// A network code as typed, if the network exists.
    pub(crate) async fn known_ern(&self, raw: &str) -> Result<ErnCode, AppError> {
        let code = ErnCode::parse(raw).map_err(|_| AppError::not_found("That network"))?;
        let mut conn = self.store().read().await?;
        reference::get_ern(&mut conn, &code)
            .await?
            .ok_or_else(|| AppError::not_found("That network"))?;
        Ok(code)
    }
}

fn cursor(p: &PanelSummary) -> String {
    format!("{}~{}", cpms_domain::time::format_utc(p.created_at), p.id)
}

fn parse_cursor(raw: &str) -> Result<(jiff::Timestamp, PanelId), AppError> {
    let bad = || AppError::invalid("Page: the position in the list is not valid; start again.");
    let (at, id) = raw.split_once('~').ok_or_else(bad)?;
    Ok((
        at.parse().map_err(|_| bad())?,
        id.parse().map_err(|_| bad())?,
    ))
}
