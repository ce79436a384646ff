//! Expert groups: named lists of experts a network keeps (its coordinators
//! and network panel managers, `ManageExpertGroups`), filled from the
//! expert directory's search; on a panel, inviting a group invites each of
//! its experts who is not already on the panel and still holds an active
//! membership. Every change is audited.

use cpms_domain::audit::Outcome;
use cpms_domain::ids::{ExpertGroupId, UserId};
use cpms_domain::org::{Ern, ErnCode};
use cpms_domain::panel::Activity;
use cpms_domain::policy::Action;
use cpms_store::StoreError;
use cpms_store::repo::expert_groups::{self as repo, ExpertGroup, GroupMember};
use cpms_store::repo::{audit, reference};

use super::event::{PanelEvent, PanelEventKind, Recipients};
use crate::onboarding::{Expert, ExpertQuery};
use crate::{App, AppError, Caller};

/// A network's groups.
#[derive(Debug, Clone)]
pub struct ExpertGroups {
    pub ern: Ern,
    pub groups: Vec<ExpertGroup>,
}

/// One group's page: its experts and the directory's search to add more.
#[derive(Debug, Clone)]
pub struct ExpertGroupView {
    pub ern: Ern,
    pub group: ExpertGroup,
    pub members: Vec<GroupMember>,
    pub found: Vec<Expert>,
}

/// What inviting a group did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupInvited {
    pub invited: usize,
    /// Already on the panel, or no longer holding an active membership.
    pub skipped: usize,
}

impl App {
    /// The network's groups, by name.
    pub async fn expert_groups(
        &self,
        caller: &Caller,
        ern: &str,
    ) -> Result<ExpertGroups, AppError> {
        let code = self.groups_network(caller, ern).await?;
        let mut conn = self.store().read().await?;
        let ern = reference::get_ern(&mut conn, &code)
            .await?
            .ok_or_else(|| AppError::not_found("That network"))?;
        let groups = repo::of_ern(&mut conn, &code).await?;
        Ok(ExpertGroups { ern, groups })
    }

    /// One group with its experts, and the directory's search.
    pub async fn expert_group(
        &self,
        caller: &Caller,
        ern: &str,
        id: &str,
        query: &ExpertQuery,
    ) -> Result<ExpertGroupView, AppError> {
        let (group, members) = self.expert_group_members(caller, ern, id).await?;
        let found = self.find_experts(caller, query).await?;
        let mut conn = self.store().read().await?;
        let ern = reference::get_ern(&mut conn, &group.ern)
            .await?
            .ok_or_else(|| AppError::not_found("That network"))?;
        Ok(ExpertGroupView {
            ern,
            group,
            members,
            found,
        })
    }

    /// One group with its experts, by name.
    pub async fn expert_group_members(
        &self,
        caller: &Caller,
        ern: &str,
        id: &str,
    ) -> Result<(ExpertGroup, Vec<GroupMember>), AppError> {
        let code = self.groups_network(caller, ern).await?;
        let group = self.group_of(&code, id).await?;
        let mut conn = self.store().read().await?;
        let members = repo::members(&mut conn, group.id).await?;
        Ok((group, members))
    }

    pub async fn create_expert_group(
        &self,
        caller: &Caller,
        ern: &str,
        name: &str,
    ) -> Result<ExpertGroupId, AppError> {
        let code = self.groups_network(caller, ern).await?;
        let name = group_name(name)?;
        let id = ExpertGroupId::new();
        let now = self.now();
        let mut tx = self.store().write().await?;
        repo::create(&mut tx, id, &code, &name, caller.user.id, now)
            .await
            .map_err(|e| name_taken(e, &name))?;
        self.audit_group(&mut tx, caller, "expert_group.create", id, &name)
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn rename_expert_group(
        &self,
        caller: &Caller,
        ern: &str,
        id: &str,
        name: &str,
    ) -> Result<(), AppError> {
        let code = self.groups_network(caller, ern).await?;
        let group = self.group_of(&code, id).await?;
        let name = group_name(name)?;
        let mut tx = self.store().write().await?;
        repo::rename(&mut tx, group.id, &name)
            .await
            .map_err(|e| name_taken(e, &name))?;
        let detail = format!("'{}' to '{name}'", group.name);
        self.audit_group(&mut tx, caller, "expert_group.rename", group.id, &detail)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn delete_expert_group(
        &self,
        caller: &Caller,
        ern: &str,
        id: &str,
    ) -> Result<(), AppError> {
        let code = self.groups_network(caller, ern).await?;
        let group = self.group_of(&code, id).await?;
        let mut tx = self.store().write().await?;
        repo::delete(&mut tx, group.id).await?;
        self.audit_group(
            &mut tx,
            caller,
            "expert_group.delete",
            group.id,
            &group.name,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Adds experts found in the directory; those already in it stay.
    pub async fn add_to_expert_group(
        &self,
        caller: &Caller,
        ern: &str,
        id: &str,
        experts: &[UserId],
    ) -> Result<(), AppError> {
        let code = self.groups_network(caller, ern).await?;
        let group = self.group_of(&code, id).await?;
        if experts.is_empty() {
            return Err(AppError::invalid("Choose at least one expert to add."));
        }
        let (active, lapsed) = self.partition_active(experts).await?;
        if !lapsed.is_empty() {
            return Err(AppError::invalid(
                "Experts: choose people from the expert directory.",
            ));
        }
        let now = self.now();
        let mut tx = self.store().write().await?;
        for user in &active {
            repo::add_member(&mut tx, group.id, *user, caller.user.id, now).await?;
        }
        let who: Vec<String> = active.iter().map(|u| format!("user:{u}")).collect();
        self.audit_group(
            &mut tx,
            caller,
            "expert_group.add",
            group.id,
            &who.join(" "),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn remove_from_expert_group(
        &self,
        caller: &Caller,
        ern: &str,
        id: &str,
        expert: &str,
    ) -> Result<(), AppError> {
        let code = self.groups_network(caller, ern).await?;
        let group = self.group_of(&code, id).await?;
        let user: UserId = expert
            .parse()
            .map_err(|_| AppError::not_found("That expert"))?;
        let mut tx = self.store().write().await?;
        if !repo::remove_member(&mut tx, group.id, user).await? {
            return Err(AppError::not_found("That expert in the group"));
        }
        let who = format!("user:{user}");
        self.audit_group(&mut tx, caller, "expert_group.remove", group.id, &who)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Invites every expert of one of the panel's network's groups who is
    /// not on the panel yet and still holds an active membership.
    pub async fn invite_group_to_panel(
        &self,
        caller: &Caller,
        reference: &str,
        group: &str,
    ) -> Result<(GroupInvited, PanelEvent), AppError> {
        let loaded = self.load_panel(caller, reference).await?;
        self.panel_may(caller, &loaded, Activity::Invite).await?;
        let group = self.group_of(&loaded.panel.ern, group).await?;
        let mut conn = self.store().read().await?;
        let members: Vec<UserId> = repo::members(&mut conn, group.id)
            .await?
            .into_iter()
            .map(|m| m.user)
            .collect();
        drop(conn);
        let on_panel = self.on_panel(&loaded.panel).await?;
        let fresh: Vec<UserId> = members
            .iter()
            .filter(|u| !on_panel.contains(u))
            .copied()
            .collect();
        let (invited, _) = self.partition_active(&fresh).await?;
        if invited.is_empty() {
            return Err(AppError::invalid(format!(
                "Nobody to invite: every expert of '{}' is already on the panel (or the group is empty).",
                group.name
            )));
        }
        let now = self.now();
        let mut tx = self.store().write().await?;
        self.write_invitations(&mut tx, caller, &loaded.panel, &invited, now)
            .await?;
        let outcome = GroupInvited {
            invited: invited.len(),
            skipped: members.len() - invited.len(),
        };
        let event = loaded.event(PanelEventKind::Invited, Recipients::Users(invited));
        self.tell(&mut tx, &loaded.panel, &event).await?;
        tx.commit().await?;
        Ok((outcome, event))
    }

    /// The network's groups, for the invitation page.
    pub(crate) async fn groups_of(&self, ern: &ErnCode) -> Result<Vec<ExpertGroup>, AppError> {
        let mut conn = self.store().read().await?;
        Ok(repo::of_ern(&mut conn, ern).await?)
    }

    async fn groups_network(&self, caller: &Caller, ern: &str) -> Result<ErnCode, AppError> {
        let code = self.known_ern(ern).await?;
        self.authorize_in_ern(caller, Action::ManageExpertGroups, code.as_str())
            .await
    }

    /// A group of `ern` by its id as typed; any other is not found.
    async fn group_of(&self, ern: &ErnCode, id: &str) -> Result<ExpertGroup, AppError> {
        let missing = || AppError::not_found("That expert group");
        let id: ExpertGroupId = id.trim().parse().map_err(|_| missing())?;
        let mut conn = self.store().read().await?;
        repo::get(&mut conn, id)
            .await?
            .filter(|g| &g.ern == ern)
            .ok_or_else(missing)
    }

    async fn audit_group(
        &self,
        tx: &mut cpms_store::WriteTx,
        caller: &Caller,
        action: &str,
        group: ExpertGroupId,
        detail: &str,
    ) -> Result<(), AppError> {
        let event = caller
            .audit_event(action, format!("expert_group:{group}"), Outcome::Success)
            .detail(detail);
        audit::append(tx, event, self.now()).await?;
        Ok(())
    }
}

/// A group name as typed, trimmed; 1 to 100 characters.
fn group_name(raw: &str) -> Result<String, AppError> {
    let name = raw.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(AppError::invalid(
            "Name: give the group a name of up to 100 characters.",
        ));
    }
    Ok(name.to_owned())
}

fn name_taken(err: StoreError, name: &str) -> AppError {
    match err {
        StoreError::Duplicate { .. } => AppError::invalid(format!(
            "Name: the network already has a group named '{name}'; choose another."
        )),
        other => other.into(),
    }
}
