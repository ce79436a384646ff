use cpms_domain::audit::{NewEvent, Outcome};
use cpms_domain::org::{Ern, ErnCode, Hcp, HcpCode, HcpKind, Role, ThematicArea};
use cpms_domain::policy::{Action, Decision, DenyReason, Resource, can};
use cpms_store::repo::{audit, memberships, reference};

use crate::{App, AppError, Caller};

/// One of the caller's roles, where it applies.
#[derive(Debug, Clone)]
pub struct MyRole {
    pub role: Role,
    pub hcp_code: HcpCode,
    pub hcp_name: String,
}

impl MyRole {
    fn of(m: &cpms_domain::org::Membership) -> Self {
        Self {
            role: m.role,
            hcp_code: m.hcp_code.clone(),
            hcp_name: m.hcp_name.clone(),
        }
    }
}

/// A network on the caller's home page.
#[derive(Debug, Clone)]
pub struct ErnSummary {
    pub ern: Ern,
    pub roles: Vec<MyRole>,
}

/// A centre the caller can open.
#[derive(Debug, Clone)]
pub struct CentreLink {
    pub code: HcpCode,
    pub name: String,
    pub kind: HcpKind,
    pub erns: Vec<ErnCode>,
}

/// The global dashboard: my ERNs and my centres.
#[derive(Debug, Clone)]
pub struct Home {
    pub erns: Vec<ErnSummary>,
    pub centres: Vec<CentreLink>,
}

#[derive(Debug, Clone)]
pub struct ErnDashboard {
    pub ern: Ern,
    pub my_roles: Vec<MyRole>,
    pub hospitals: Vec<Hcp>,
    pub country_count: usize,
    pub areas: Vec<ThematicArea>,
    pub members_by_role: Vec<(Role, i64)>,
}

#[derive(Debug, Clone)]
pub struct CentreDashboard {
    pub hcp: Hcp,
    /// The caller's roles at this centre, per ERN.
    pub my_roles: Vec<(ErnCode, Role)>,
}

impl App {
    pub async fn home(&self, caller: &Caller) -> Result<Home, AppError> {
        let mut conn = self.store().read().await?;
        let mut erns: Vec<ErnSummary> = Vec::new();
        let mut centres: Vec<CentreLink> = Vec::new();
        for m in caller.active_memberships() {
            let role = MyRole::of(m);
            match erns.iter_mut().find(|e| e.ern.code == m.ern) {
                Some(summary) => summary.roles.push(role),
                None => {
                    let ern = reference::get_ern(&mut conn, &m.ern)
                        .await?
                        .ok_or_else(|| AppError::not_found("the network"))?;
                    erns.push(ErnSummary {
                        ern,
                        roles: vec![role],
                    });
                }
            }
            let opens = can(
                &caller.actor(),
                Action::ViewCentreDashboard,
                Resource::Centre(m.hcp),
            )
            .is_allowed();
            if opens && !centres.iter().any(|c| c.code == m.hcp_code) {
                let hcp = reference::get_hcp(&mut conn, m.hcp)
                    .await?
                    .ok_or_else(|| AppError::not_found("the centre"))?;
                centres.push(CentreLink {
                    code: hcp.code,
                    name: hcp.name,
                    kind: hcp.kind,
                    erns: hcp.erns,
                });
            }
        }
        Ok(Home { erns, centres })
    }

    pub async fn ern_dashboard(
        &self,
        caller: &Caller,
        code: &str,
    ) -> Result<ErnDashboard, AppError> {
        let code = ErnCode::parse(code).map_err(|_| AppError::not_found("That network"))?;
        let mut conn = self.store().read().await?;
        let ern = reference::get_ern(&mut conn, &code)
            .await?
            .ok_or_else(|| AppError::not_found("That network"))?;
        drop(conn);
        self.authorize(
            caller,
            Action::ViewErnDashboard,
            Resource::Ern(&code),
            &format!("ern:{code}"),
        )
        .await?;
        let mut conn = self.store().read().await?;
        let hospitals = reference::hospitals_of_ern(&mut conn, &code).await?;
        let mut countries: Vec<_> = hospitals.iter().filter_map(|h| h.country).collect();
        countries.sort();
        countries.dedup();
        let my_roles = caller
            .active_memberships()
            .filter(|m| m.ern == code)
            .map(MyRole::of)
            .collect();
        Ok(ErnDashboard {
            areas: reference::areas_of_ern(&mut conn, &code).await?,
            members_by_role: memberships::approved_counts_by_role(&mut conn, &code).await?,
            country_count: countries.len(),
            hospitals,
            my_roles,
            ern,
        })
    }

    pub async fn centre_dashboard(
        &self,
        caller: &Caller,
        code: &str,
    ) -> Result<CentreDashboard, AppError> {
        let code = HcpCode::parse(code).map_err(|_| AppError::not_found("That centre"))?;
        let mut conn = self.store().read().await?;
        let hcp = reference::get_hcp_by_code(&mut conn, &code)
            .await?
            .ok_or_else(|| AppError::not_found("That centre"))?;
        drop(conn);
        self.authorize(
            caller,
            Action::ViewCentreDashboard,
            Resource::Centre(hcp.id),
            &format!("hcp:{code}"),
        )
        .await?;
        let my_roles = caller
            .active_memberships()
            .filter(|m| m.hcp == hcp.id)
            .map(|m| (m.ern.clone(), m.role))
            .collect();
        Ok(CentreDashboard { hcp, my_roles })
    }

    /// Asks the policy; a refusal is audited and becomes `Forbidden`.
    pub(crate) async fn authorize(
        &self,
        caller: &Caller,
        action: Action,
        resource: Resource<'_>,
        target: &str,
    ) -> Result<(), AppError> {
        match can(&caller.actor(), action, resource) {
            Decision::Allow => Ok(()),
            Decision::Deny(reason) => Err(self.refuse_access(caller, action, target, reason).await),
        }
    }

    /// Audits a refusal of `action` on `target` and returns the error to
    /// give back (`Forbidden`, or what writing the audit event failed with).
    pub(crate) async fn refuse_access(
        &self,
        caller: &Caller,
        action: Action,
        target: &str,
        reason: DenyReason,
    ) -> AppError {
        let event = NewEvent::new(
            format!("access.{}", action.as_str()),
            target,
            Outcome::Denied,
        )
        .by(caller.user.id)
        .on_behalf_of(caller.clinician_acted_for())
        .from_addr(caller.client.addr.clone())
        .detail(reason.as_str());
        let written = async {
            let mut tx = self.store().write().await?;
            audit::append(&mut tx, event, self.now()).await?;
            tx.commit().await?;
            Ok::<_, AppError>(())
        };
        match written.await {
            Ok(()) => AppError::forbidden(),
            Err(err) => err,
        }
    }
}
