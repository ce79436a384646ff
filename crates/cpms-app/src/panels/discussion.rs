//! The discussion: contributions (the expert opinion), comments, requests
//! for more information to the lead and the lead's answers.

use cpms_domain::ids::PostId;
use cpms_domain::ids::UserId;
use cpms_domain::panel::{Activity, PanelRole, PostKind, mention, request};
use cpms_store::Conn;
use cpms_store::repo::panels::{self as repo, Member, NewPost, StoredPanel};
use cpms_store::repo::{audit, users};

use super::access::{panel_event, participants};
use super::event::{PanelEvent, PanelEventKind, Recipients};
use crate::{App, AppError, Caller};

impl App {
    /// Posts a message; the first contribution's time is kept for the
    /// indicators. Returns the new message's id and whom to tell.
    pub async fn post_to_panel(
        &self,
        caller: &Caller,
        reference: &str,
        kind: &str,
        body: &str,
        reply_to: Option<&str>,
    ) -> Result<(PostId, PanelEvent), AppError> {
        let loaded = self.load_panel(caller, reference).await?;
        self.panel_may(caller, &loaded, Activity::Discuss).await?;
        let kind = PostKind::parse(kind)
            .map_err(|e| AppError::invalid(format!("Kind of message: {}.", e.message)))?;
        let body = request::message(body)
            .map_err(|e| AppError::invalid(format!("Message: {}.", e.message)))?;
        let panel = &loaded.panel;
        let mut conn = self.store().read().await?;
        let reply_to = match reply_to.map(str::trim).filter(|r| !r.is_empty()) {
            None => None,
            Some(raw) => {
                let id: PostId = raw
                    .parse()
                    .map_err(|_| AppError::invalid("Reply: no such message on this panel."))?;
                let replied = repo::post_kind_and_author(&mut conn, panel.id, id)
                    .await?
                    .ok_or_else(|| AppError::invalid("Reply: no such message on this panel."))?;
                Some((id, replied))
            }
        };
        let members = repo::members(&mut conn, panel.id).await?;
        let mentioned = mentioned_on_panel(&mut conn, panel, &members, &body, caller).await?;
        drop(conn);
        let role = if loaded.as_lead(caller) {
            PanelRole::Lead
        } else {
            PanelRole::Member
        };
        kind.check(role, reply_to.map(|(_, (k, _))| k))
            .map_err(|e| AppError::invalid(format!("{}: {}.", kind.label(), e.message)))?;
        let now = self.now();
        let post = NewPost {
            id: PostId::new(),
            kind,
            reply_to: reply_to.map(|(id, _)| id),
            author: caller.user.id,
            on_behalf_of: caller.clinician_acted_for(),
            body: &body,
            at: now,
        };
        let mut tx = self.store().write().await?;
        repo::insert_post(&mut tx, panel.id, &post).await?;
        if kind == PostKind::Contribution {
            repo::first_contribution(&mut tx, panel.id, now).await?;
        }
        audit::append(
            &mut tx,
            panel_event(caller, "panel.post", panel, Some(kind.as_str().to_owned())),
            now,
        )
        .await?;
        // Requests for information go to the lead, answers to whoever
        // asked; everything else to all but the author.
        let told = match (kind, reply_to) {
            (PostKind::InfoRequest, _) => vec![panel.lead],
            (PostKind::Answer, Some((_, (_, asker)))) => vec![asker],
            _ => participants(panel, &members, caller.works_for()),
        };
        let event = loaded.event(PanelEventKind::Posted(kind), Recipients::Users(told));
        self.tell(&mut tx, panel, &event).await?;
        if !mentioned.is_empty() {
            let mention = loaded.event(PanelEventKind::Mentioned, Recipients::Users(mentioned));
            self.tell(&mut tx, panel, &mention).await?;
        }
        tx.commit().await?;
        Ok((post.id, event))
    }
}

/// The people a message mentions who can see the panel (the lead and
/// whoever has not declined), but not its author. A name that is unknown
/// or has no access is passed over without a word, so mentioning tells the
/// author nothing about who exists or who is on which panel.
async fn mentioned_on_panel(
    conn: &mut Conn,
    panel: &StoredPanel,
    members: &[Member],
    body: &str,
    caller: &Caller,
) -> Result<Vec<UserId>, AppError> {
    let mut told = Vec::new();
    for name in mention::mentioned(body) {
        let Some((user, _)) = users::find_by_username(conn, &name).await? else {
            continue;
        };
        let sees = user.id == panel.lead
            || members
                .iter()
                .any(|m| m.user == user.id && m.granted_role().is_some());
        if sees && user.id != caller.user.id && user.id != caller.works_for() {
            told.push(user.id);
        }
    }
    Ok(told)
}
