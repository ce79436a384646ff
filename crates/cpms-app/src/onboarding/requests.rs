//! Applicants' own requests: further roles, and where each stands.

use cpms_domain::audit::{NewEvent, Outcome};
use cpms_domain::ids::MembershipId;
use cpms_domain::onboarding::{AccessRequest, EXTRA_ROLES};
use cpms_domain::org::{ErnCode, HcpCode, Membership, MembershipStatus, Role};
use cpms_store::repo::{access_requests, audit, reference};

use crate::{App, AppError, Caller};

/// What asking for a role did.
#[derive(Debug, Clone)]
pub enum RequestOutcome {
    Created(AccessRequest),
    /// The same request is already pending (or granted): shown, not repeated.
    AlreadyOpen(AccessRequest),
}

impl App {
    /// The caller's requests and memberships, newest first.
    pub async fn my_requests(&self, caller: &Caller) -> Result<Vec<AccessRequest>, AppError> {
        self.authorize_own_account(caller).await?;
        let me = caller.user.id;
        let mut conn = self.store().read().await?;
        Ok(access_requests::of_user(&mut conn, me).await?)
    }

    /// Asks for a further role in a network at a hospital, with a comment
    /// for the coordinators.
    pub async fn request_role(
        &self,
        caller: &Caller,
        ern: &str,
        hospital: &str,
        role: &str,
        comment: &str,
    ) -> Result<RequestOutcome, AppError> {
        self.authorize_own_account(caller).await?;
        let me = caller.user.id;
        let role = Role::parse(role)
            .ok()
            .filter(|r| EXTRA_ROLES.contains(r))
            .ok_or_else(|| AppError::invalid("Role: choose one of the roles offered."))?;
        let ern =
            ErnCode::parse(ern).map_err(|_| AppError::invalid("Network: choose a network."))?;
        let mut conn = self.store().read().await?;
        let hcp = match HcpCode::parse(hospital.split_whitespace().next().unwrap_or_default()) {
            Ok(code) => reference::get_hcp_by_code(&mut conn, &code).await?,
            Err(_) => None,
        }
        .filter(|h| h.erns.contains(&ern))
        .ok_or_else(|| AppError::invalid(format!("Hospital: choose a hospital of {ern}.")))?;
        drop(conn);
        let comment = comment.trim();
        if comment.chars().count() > 2000 {
            return Err(AppError::invalid("Comment: keep it under 2000 characters."));
        }
        let membership = Membership {
            id: MembershipId::new(),
            user: me,
            ern,
            hcp: hcp.id,
            hcp_code: hcp.code,
            hcp_name: hcp.name,
            role,
            status: MembershipStatus::Requested,
            expires_at: None,
        };
        let now = self.now();
        let mut tx = self.store().write().await?;
        if let Some(open) = access_requests::find_open(&mut tx, &membership).await? {
            return Ok(RequestOutcome::AlreadyOpen(open));
        }
        access_requests::insert(
            &mut tx,
            &membership,
            (!comment.is_empty()).then_some(comment),
            now,
        )
        .await?;
        let event = NewEvent::new(
            "access.request",
            format!("membership:{}", membership.id),
            Outcome::Success,
        )
        .by(me)
        .from_addr(caller.client.addr.clone())
        .detail(format!(
            "{} at {} in {}",
            role.as_str(),
            membership.hcp_code,
            membership.ern
        ));
        audit::append(&mut tx, event, now).await?;
        let created = access_requests::get(&mut tx, membership.id)
            .await?
            .ok_or_else(|| AppError::internal("a request just recorded is missing"))?;
        tx.commit().await?;
        Ok(RequestOutcome::Created(created))
    }
}
