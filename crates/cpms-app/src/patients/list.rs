//! The centre's patient list: the caller's own patients there, with
//! search, sort and paging.

use cpms_domain::org::{Hcp, HcpCode};
use cpms_domain::patient::Patient;
use cpms_domain::policy::{Action, Resource};
use cpms_store::repo::patients::{self, PatientOrder, PatientQuery};
use cpms_store::repo::reference;

use crate::{App, AppError, Caller};

pub const PAGE_SIZE: i64 = 25;

/// How the list is asked for.
#[derive(Debug, Clone, Default)]
pub struct ListRequest {
    pub search: Option<String>,
    /// `newest` (default), `oldest`, `pseudonym` or `nickname`.
    pub sort: Option<String>,
    /// 1-based.
    pub page: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct PatientList {
    pub hcp: Hcp,
    pub patients: Vec<Patient>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
    pub can_enrol: bool,
}

impl App {
    pub async fn patient_list(
        &self,
        caller: &Caller,
        hcp_code: &str,
        request: &ListRequest,
    ) -> Result<PatientList, AppError> {
        let code = HcpCode::parse(hcp_code).map_err(|_| AppError::not_found("That centre"))?;
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
        let order = match request.sort.as_deref().unwrap_or("newest") {
            "newest" => PatientOrder::NewestFirst,
            "oldest" => PatientOrder::OldestFirst,
            "pseudonym" => PatientOrder::Pseudonym,
            "nickname" => PatientOrder::Nickname,
            other => return Err(AppError::invalid(format!("sort: unknown order '{other}'"))),
        };
        let page = request.page.unwrap_or(1).max(1);
        let query = PatientQuery {
            hcp: hcp.id,
            owner: caller.works_for(),
            search: request.search.clone(),
            order,
            offset: (page - 1).saturating_mul(PAGE_SIZE),
            limit: PAGE_SIZE,
        };
        let mut conn = self.store().read().await?;
        let (stored, total) = patients::list(&mut conn, &query).await?;
        drop(conn);
        let patients = stored
            .into_iter()
            .map(|s| self.patient_of(s))
            .collect::<Result<Vec<_>, _>>()?;
        if !patients.is_empty() {
            let shown: Vec<String> = patients.iter().map(|p| p.pseudonym.to_string()).collect();
            self.audit_list(caller, &code, &shown).await?;
        }
        Ok(PatientList {
            can_enrol: cpms_domain::policy::can(
                &caller.actor(),
                Action::EnrolPatient,
                Resource::Centre(hcp.id),
            )
            .is_allowed(),
            hcp,
            patients,
            total,
            page,
            pages: (total + PAGE_SIZE - 1) / PAGE_SIZE,
        })
    }

    /// The list shows identities, so it is a read of each patient on it.
    async fn audit_list(
        &self,
        caller: &Caller,
        code: &HcpCode,
        shown: &[String],
    ) -> Result<(), AppError> {
        let event = cpms_domain::audit::NewEvent::new(
            "patient.list",
            format!("hcp:{code}"),
            cpms_domain::audit::Outcome::Success,
        )
        .by(caller.user.id)
        .on_behalf_of(caller.clinician_acted_for())
        .from_addr(caller.client.addr.clone())
        .detail(shown.join(" "));
        let mut tx = self.store().write().await?;
        cpms_store::repo::audit::append(&mut tx, event, self.now()).await?;
        tx.commit().await?;
        Ok(())
    }
}
