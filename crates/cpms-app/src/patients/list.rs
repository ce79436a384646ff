//! The centre's patient list: the caller's own patients there, with
//! search, sort and paging.

use cpms_domain::org::{Hcp, HcpCode};
use cpms_domain::patient::{Patient, PatientSearch};
use cpms_domain::policy::{Action, Resource};
use cpms_store::repo::patients::{self, PatientOrder, PatientQuery};
use cpms_store::repo::reference;

use crate::{App, AppError, Caller};

pub const PAGE_SIZE: i64 = 25;

/// Matches are counted up to this many; beyond, the list says "1,000+".
pub const COUNTED_UP_TO: i64 = 1000;

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
    pub total: Total,
    pub page: i64,
    /// Whether there is a page after this one.
    pub more: bool,
    pub can_enrol: bool,
}

/// How many patients match: exactly, or more than [`COUNTED_UP_TO`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Total {
    Exactly(i64),
    Over(i64),
}

impl Total {
    fn of(counted: i64) -> Self {
        if counted > COUNTED_UP_TO {
            Self::Over(COUNTED_UP_TO)
        } else {
            Self::Exactly(counted)
        }
    }

    /// The number of pages, when the count is exact.
    pub fn pages(self) -> Option<i64> {
        match self {
            Self::Exactly(n) => Some((n + PAGE_SIZE - 1) / PAGE_SIZE),
            Self::Over(_) => None,
        }
    }
}

/// For people: "1 patient", "250 patients", "1,000+ patients".
impl std::fmt::Display for Total {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            Self::Exactly(1) => f.write_str("1 patient"),
            Self::Exactly(n) => write!(f, "{} patients", thousands(n)),
            Self::Over(n) => write!(f, "{}+ patients", thousands(n)),
        }
    }
}

/// `1234567` as `1,234,567`.
fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
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
            search: request.search.as_deref().and_then(PatientSearch::new),
            order,
            offset: (page - 1).saturating_mul(PAGE_SIZE),
            limit: PAGE_SIZE,
            count_limit: COUNTED_UP_TO + 1,
        };
        let mut conn = self.store().read().await?;
        let found = patients::list(&mut conn, &query).await?;
        drop(conn);
        let patients = found
            .patients
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
            total: Total::of(found.counted),
            page,
            more: found.more,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_read_as_people_say_them() {
        assert_eq!(Total::of(1).to_string(), "1 patient");
        assert_eq!(Total::of(0).to_string(), "0 patients");
        assert_eq!(Total::of(1000).to_string(), "1,000 patients");
        assert_eq!(Total::of(1001).to_string(), "1,000+ patients");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(-1234), "-1,234");
        assert_eq!(Total::of(26).pages(), Some(2));
        assert_eq!(Total::of(1001).pages(), None);
    }
}
