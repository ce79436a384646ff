//! Assistants (PRODUCT.md §2): a clinician names assistants of their
//! hospital, each accepts, and an assistant then chooses, per session, a
//! clinician to act for. Everything is audited; events written while acting
//! carry the clinician as `on_behalf_of`.

use cpms_domain::audit::{NewEvent, Outcome};
use cpms_domain::ids::{HcpId, UserId};
use cpms_domain::policy::{Action, Resource, can};
use cpms_store::repo::assistants::{self, AssistantLink};
use cpms_store::repo::{audit, memberships};

use crate::{App, AppError, Caller};

/// Someone the caller could name as their assistant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssistantChoice {
    pub user: UserId,
    pub name: String,
}

/// The caller's assistant links, from both sides.
#[derive(Debug, Clone)]
pub struct AssistantsView {
    /// Assistants the caller named (as the clinician).
    pub named: Vec<AssistantLink>,
    /// Clinicians who named the caller (as the assistant).
    pub named_by: Vec<AssistantLink>,
    /// Assistants of the caller's hospitals not yet named; empty when the
    /// policy does not let the caller name assistants anywhere.
    pub choices: Vec<AssistantChoice>,
}

impl App {
    pub async fn assistants(&self, caller: &Caller) -> Result<AssistantsView, AppError> {
        let mut conn = self.store().read().await?;
        let (named, named_by): (Vec<_>, Vec<_>) = assistants::involving(&mut conn, caller.user.id)
            .await?
            .into_iter()
            .partition(|l| l.clinician == caller.user.id);
        let mut choices: Vec<AssistantChoice> = Vec::new();
        for hcp in naming_hospitals(caller) {
            for c in assistants::candidates(&mut conn, hcp).await? {
                let active = c.expires_at.is_none_or(|end| end > caller.now);
                let taken = c.user == caller.user.id
                    || named.iter().any(|l| l.assistant == c.user)
                    || choices.iter().any(|o| o.user == c.user);
                if active && !taken {
                    choices.push(AssistantChoice {
                        user: c.user,
                        name: c.name,
                    });
                }
            }
        }
        Ok(AssistantsView {
            named,
            named_by,
            choices,
        })
    }

    /// The clinician names an assistant of one of their hospitals.
    pub async fn name_assistant(&self, caller: &Caller, assistant: UserId) -> Result<(), AppError> {
        let mut conn = self.store().read().await?;
        let mut at = None;
        for hcp in caller.active_memberships().map(|m| m.hcp) {
            let found = assistants::candidates(&mut conn, hcp).await?;
            let active = |c: &assistants::Candidate| {
                c.user == assistant && c.expires_at.is_none_or(|end| end > caller.now)
            };
            if found.iter().any(active) {
                at = Some(hcp);
                break;
            }
        }
        drop(conn);
        let hcp = at
            .filter(|_| assistant != caller.user.id)
            .ok_or_else(|| AppError::not_found("That assistant at your hospital"))?;
        self.authorize(
            caller,
            Action::NameAssistants,
            Resource::Centre(hcp),
            &format!("hcp:{hcp}"),
        )
        .await?;
        let mut tx = self.store().write().await?;
        assistants::name(&mut tx, caller.user.id, assistant, hcp, self.now()).await?;
        let event = link_event(caller, "assistant.named", assistant, caller.user.id);
        audit::append(&mut tx, event, self.now()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The assistant accepts a clinician's naming.
    pub async fn accept_naming(&self, caller: &Caller, clinician: UserId) -> Result<(), AppError> {
        self.own_account(caller).await?;
        let mut tx = self.store().write().await?;
        if !assistants::accept(&mut tx, clinician, caller.user.id, self.now()).await? {
            return Err(AppError::not_found("That invitation"));
        }
        let event = link_event(caller, "assistant.accepted", caller.user.id, clinician);
        audit::append(&mut tx, event, self.now()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Ends a link from either side: the clinician un-names the assistant,
    /// or the assistant declines or leaves.
    pub async fn end_assistant_link(&self, caller: &Caller, other: UserId) -> Result<(), AppError> {
        self.own_account(caller).await?;
        let me = caller.user.id;
        let mut tx = self.store().write().await?;
        let (clinician, assistant) = if assistants::unname(&mut tx, me, other).await? {
            (me, other)
        } else if assistants::unname(&mut tx, other, me).await? {
            (other, me)
        } else {
            return Err(AppError::not_found("That assistant link"));
        };
        let event = link_event(caller, "assistant.unnamed", assistant, clinician);
        audit::append(&mut tx, event, self.now()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The assistant starts acting for `clinician` in this session, once the
    /// policy agrees (named, accepted, same hospital); `None` stops acting.
    pub async fn act_for(
        &self,
        caller: &Caller,
        clinician: Option<UserId>,
    ) -> Result<(), AppError> {
        let Some(clinician) = clinician else {
            self.own_account(caller).await?;
            return self.set_acting(caller, None).await;
        };
        let mut conn = self.store().read().await?;
        let link = assistants::involving(&mut conn, caller.user.id)
            .await?
            .into_iter()
            .find(|l| l.clinician == clinician && l.assistant == caller.user.id);
        let theirs = memberships::of_user(&mut conn, clinician).await?;
        drop(conn);
        // Without a link, the question is asked about the clinician's
        // hospital the caller also works at, so a refusal names the reason.
        let hcp = link.as_ref().map(|l| l.hcp).or_else(|| {
            let mine: Vec<HcpId> = caller.active_memberships().map(|m| m.hcp).collect();
            let shared = theirs.iter().find(|m| mine.contains(&m.hcp));
            shared.or(theirs.first()).map(|m| m.hcp)
        });
        let hcp = hcp.ok_or_else(|| AppError::not_found("That clinician"))?;
        self.authorize(
            caller,
            Action::ActForClinician,
            Resource::Clinician {
                hcp,
                names_actor_as_assistant: link.is_some_and(|l| l.accepted),
            },
            &format!("user:{clinician}"),
        )
        .await?;
        self.set_acting(caller, Some(clinician)).await
    }

    async fn set_acting(&self, caller: &Caller, clinician: Option<UserId>) -> Result<(), AppError> {
        let mut tx = self.store().write().await?;
        assistants::set_acting_for(&mut tx, caller.session, clinician).await?;
        let (action, whom) = match clinician {
            Some(c) => ("assistant.acting", c),
            None => (
                "assistant.stopped_acting",
                caller.clinician_acted_for().unwrap_or(caller.user.id),
            ),
        };
        let event = caller
            .audit_event(action, format!("user:{whom}"), Outcome::Success)
            .on_behalf_of(clinician.or(caller.clinician_acted_for()));
        audit::append(&mut tx, event, self.now()).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn own_account(&self, caller: &Caller) -> Result<(), AppError> {
        self.authorize(
            caller,
            Action::ManageOwnAccount,
            Resource::Account(caller.user.id),
            &format!("user:{}", caller.user.id),
        )
        .await
    }
}

/// The hospitals where the policy lets the caller name assistants.
fn naming_hospitals(caller: &Caller) -> Vec<HcpId> {
    let actor = caller.actor();
    let mut hcps: Vec<HcpId> = Vec::new();
    for m in caller.active_memberships() {
        let allowed = can(&actor, Action::NameAssistants, Resource::Centre(m.hcp)).is_allowed();
        if allowed && !hcps.contains(&m.hcp) {
            hcps.push(m.hcp);
        }
    }
    hcps
}

fn link_event(caller: &Caller, action: &str, assistant: UserId, clinician: UserId) -> NewEvent {
    caller
        .audit_event(action, format!("user:{assistant}"), Outcome::Success)
        .detail(format!("clinician user:{clinician}"))
}
