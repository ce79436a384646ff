//! Guests of a network: their memberships end after a period; the
//! network's coordinators (or administrators) extend them and grant the
//! virtual-centre capability, both audited; they also revoke a member's
//! membership.

use cpms_domain::audit::Outcome;
use cpms_domain::ids::MembershipId;
use cpms_domain::onboarding::{AccessRequest, guest_expiry};
use cpms_domain::org::{ErnCode, HcpCode, MembershipStatus, Role};
use cpms_domain::policy::Action;
use cpms_store::repo::access_requests::{self, QueueFilter};
use cpms_store::repo::{audit, reference};

use crate::{App, AppError, Caller};

impl App {
    /// The network's approved guest memberships, expired ones included.
    pub async fn ern_guests(
        &self,
        caller: &Caller,
        ern: &str,
    ) -> Result<Vec<AccessRequest>, AppError> {
        let ern = self
            .authorize_in_ern(caller, Action::ManageMemberships, ern)
            .await?;
        let mut conn = self.store().read().await?;
        let approved = QueueFilter {
            status: Some(MembershipStatus::Approved),
            ..QueueFilter::default()
        };
        let all = access_requests::queue(&mut conn, &ern, &approved).await?;
        Ok(all.into_iter().filter(|m| m.role.is_guest()).collect())
    }

    /// Extends a guest membership by the guest period, from its end or,
    /// once expired, from now.
    pub async fn extend_guest(
        &self,
        caller: &Caller,
        ern: &str,
        id: MembershipId,
    ) -> Result<AccessRequest, AppError> {
        let ern = self
            .authorize_in_ern(caller, Action::ManageMemberships, ern)
            .await?;
        let now = self.now();
        let mut tx = self.store().write().await?;
        let guest = guest_membership(&mut tx, &ern, id).await?;
        let until = guest_expiry(guest.expires_at, now, self.settings().guest_period);
        access_requests::set_expiry(&mut tx, id, until).await?;
        let event = caller
            .audit_event(
                "membership.extended",
                format!("membership:{id}"),
                Outcome::Success,
            )
            .detail(format!(
                "guest user:{} in {ern} until {}",
                guest.user,
                until.strftime("%Y-%m-%d")
            ));
        audit::append(&mut tx, event, now).await?;
        tx.commit().await?;
        Ok(AccessRequest {
            expires_at: Some(until),
            ..guest
        })
    }

    /// Lets a guest enrol their own patients in the network's virtual
    /// centre.
    pub async fn grant_virtual_centre(
        &self,
        caller: &Caller,
        ern: &str,
        id: MembershipId,
    ) -> Result<(), AppError> {
        let ern = self
            .authorize_in_ern(caller, Action::ManageMemberships, ern)
            .await?;
        let now = self.now();
        let mut tx = self.store().write().await?;
        let guest = guest_membership(&mut tx, &ern, id).await?;
        if guest.role == Role::GuestVirtualCentre {
            return Ok(());
        }
        let centre = reference::get_hcp_by_code(&mut tx, &HcpCode::virtual_centre(&ern))
            .await?
            .ok_or_else(|| AppError::internal(format!("{ern} has no virtual centre")))?;
        access_requests::set_role(&mut tx, id, Role::GuestVirtualCentre, centre.id).await?;
        let event = caller
            .audit_event(
                "access.role_granted",
                format!("membership:{id}"),
                Outcome::Success,
            )
            .detail(format!(
                "{} at {} in {ern} for user:{}",
                Role::GuestVirtualCentre.as_str(),
                centre.code,
                guest.user
            ));
        audit::append(&mut tx, event, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Ends a member's approved membership of the network, with the reason
    /// kept and audited; their sessions pick up the change at the next
    /// request (the session is rotated and the role no longer counts).
    pub async fn revoke_membership(
        &self,
        caller: &Caller,
        ern: &str,
        id: MembershipId,
        reason: &str,
    ) -> Result<(), AppError> {
        let ern = self
            .authorize_in_ern(caller, Action::ManageMemberships, ern)
            .await?;
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(AppError::invalid(
                "Reason: say why the membership ends; it is kept with the decision.",
            ));
        }
        let now = self.now();
        let mut tx = self.store().write().await?;
        let member = access_requests::get(&mut tx, id)
            .await?
            .filter(|m| m.ern == ern)
            .ok_or_else(|| AppError::not_found("That membership"))?;
        if !access_requests::revoke(&mut tx, id, caller.user.id, reason, now).await? {
            return Err(AppError::invalid(
                "Only an approved membership can be revoked.",
            ));
        }
        let event = caller
            .audit_event(
                "access.role_revoked",
                format!("membership:{id}"),
                Outcome::Success,
            )
            .detail(format!(
                "{} at {} in {ern} for user:{}: {reason}",
                member.role.as_str(),
                member.hcp_code,
                member.user
            ));
        audit::append(&mut tx, event, now).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// An approved guest membership of `ern`; anything else is not found.
async fn guest_membership(
    tx: &mut cpms_store::WriteTx,
    ern: &ErnCode,
    id: MembershipId,
) -> Result<AccessRequest, AppError> {
    access_requests::get(tx, id)
        .await?
        .filter(|m| &m.ern == ern && m.role.is_guest() && m.status == MembershipStatus::Approved)
        .ok_or_else(|| AppError::not_found("That guest membership"))
}
