//! The coordinators' queue: filter, approve or reject with a reason, one by
//! one or in bulk. Each decision is audited (request decided, role granted)
//! and tells the applicant by e-mail through the outbox, in the same
//! transaction.

use cpms_domain::audit::Outcome;
use cpms_domain::ids::MembershipId;
use cpms_domain::onboarding::{AccessRequest, RequestDecision, guest_expiry};
use cpms_domain::policy::Action;
use cpms_store::repo::access_requests::{self, QueueFilter};
use cpms_store::repo::{audit, outbox};

use super::mail;
use crate::{App, AppError, Caller};

impl App {
    /// A network's requests matching `filter`.
    pub async fn request_queue(
        &self,
        caller: &Caller,
        ern: &str,
        filter: &QueueFilter,
    ) -> Result<Vec<AccessRequest>, AppError> {
        let ern = self
            .authorize_in_ern(caller, Action::DecideAccessRequests, ern)
            .await?;
        let mut conn = self.store().read().await?;
        Ok(access_requests::queue(&mut conn, &ern, filter).await?)
    }

    /// Decides the pending requests `ids` of network `ern` alike; returns
    /// how many were decided (requests decided meanwhile are skipped).
    pub async fn decide_requests(
        &self,
        caller: &Caller,
        ern: &str,
        ids: &[MembershipId],
        decision: &RequestDecision,
    ) -> Result<usize, AppError> {
        let ern = self
            .authorize_in_ern(caller, Action::DecideAccessRequests, ern)
            .await?;
        if ids.is_empty() {
            return Err(AppError::invalid("Choose at least one request."));
        }
        if let RequestDecision::Reject { reason } = decision
            && reason.trim().is_empty()
        {
            return Err(AppError::invalid(
                "Reason: tell the applicant why the request is rejected.",
            ));
        }
        let now = self.now();
        let mut tx = self.store().write().await?;
        let mut decided = 0;
        for id in ids {
            let Some(request) = access_requests::get(&mut tx, *id).await? else {
                return Err(AppError::not_found("That request"));
            };
            if request.ern != ern {
                return Err(AppError::not_found("That request"));
            }
            let expires_at = (decision == &RequestDecision::Approve && request.role.is_guest())
                .then(|| guest_expiry(None, now, self.settings().guest_period));
            let reason = match decision {
                RequestDecision::Approve => None,
                RequestDecision::Reject { reason } => Some(reason.trim()),
            };
            let status = decision.status();
            if !access_requests::decide(
                &mut tx,
                *id,
                status,
                caller.user.id,
                reason,
                expires_at,
                now,
            )
            .await?
            {
                continue;
            }
            decided += 1;
            let target = format!("membership:{id}");
            let event = caller
                .audit_event("access.request_decided", target.clone(), Outcome::Success)
                .detail(match reason {
                    Some(reason) => format!("rejected: {reason}"),
                    None => "approved".to_owned(),
                });
            audit::append(&mut tx, event, now).await?;
            if status == cpms_domain::org::MembershipStatus::Approved {
                let granted = caller
                    .audit_event("access.role_granted", target, Outcome::Success)
                    .detail(format!(
                        "{} at {} in {} for user:{}",
                        request.role.as_str(),
                        request.hcp_code,
                        ern,
                        request.user
                    ));
                audit::append(&mut tx, granted, now).await?;
            }
            let decided_request = AccessRequest {
                status,
                reason: reason.map(str::to_owned),
                expires_at,
                ..request
            };
            outbox::enqueue(
                &mut tx,
                &mail::request_decided(&decided_request, self.settings()),
                now,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(decided)
    }
}
