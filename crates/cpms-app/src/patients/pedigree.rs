//! The family history editor: each edit of the pedigree becomes a new
//! record version. A record without a pedigree starts from the proband alone,
//! of the patient's recorded sex.

use cpms_domain::pedigree::{IndividualEdit, IndividualId, Pedigree, Sex};
use cpms_domain::policy::Action;
use cpms_domain::record::RecordChange;

use crate::{App, AppError, Caller};

/// One step of drawing a family, as the editor offers it.
#[derive(Debug, Clone)]
pub enum PedigreeEdit {
    AddParents(IndividualId),
    AddSibling(IndividualId, Sex),
    /// A child of someone with their first recorded partner, if any.
    AddChild(IndividualId, Sex),
    AddPartner(IndividualId, Sex),
    Change(IndividualId, IndividualEdit),
    SetProband(IndividualId),
    Consanguineous(IndividualId, IndividualId, bool),
    Remove(IndividualId),
}

impl App {
    /// Applies one edit to the patient's pedigree as a new record version.
    pub async fn edit_pedigree(
        &self,
        caller: &Caller,
        pseudonym: &str,
        edit: PedigreeEdit,
    ) -> Result<i64, AppError> {
        self.change_record_with(caller, pseudonym, |patient, record| {
            let mut pedigree = record
                .pedigree
                .clone()
                .unwrap_or_else(|| Pedigree::new(patient.sex));
            apply(&mut pedigree, edit)
                .map_err(|e| AppError::invalid(format!("Family history: {e}.")))?;
            Ok(RecordChange::Pedigree { pedigree })
        })
        .await
    }

    /// The pedigree to draw or export (the proband alone if none was drawn
    /// yet); the read is audited as `what`.
    pub async fn pedigree(
        &self,
        caller: &Caller,
        pseudonym: &str,
        what: &str,
    ) -> Result<Pedigree, AppError> {
        let stored = self
            .authorized_patient(caller, pseudonym, Action::ViewRecord)
            .await?;
        let mut conn = self.store().read().await?;
        let current =
            cpms_store::repo::patients::version(&mut conn, stored.id, stored.current_version)
                .await?
                .ok_or_else(|| AppError::internal("the current record version is missing"))?;
        drop(conn);
        self.audit_patient(caller, what, stored.id, None).await?;
        Ok(current
            .content
            .pedigree
            .unwrap_or_else(|| Pedigree::new(stored.sex)))
    }
}

fn apply(
    pedigree: &mut Pedigree,
    edit: PedigreeEdit,
) -> Result<(), cpms_domain::pedigree::PedigreeError> {
    match edit {
        PedigreeEdit::AddParents(of) => pedigree.add_parents(of).map(drop),
        PedigreeEdit::AddSibling(of, sex) => pedigree.add_sibling(of, sex).map(drop),
        PedigreeEdit::AddChild(of, sex) => {
            let partner = pedigree.partners_of(of).next();
            pedigree.add_child(of, partner, sex).map(drop)
        }
        PedigreeEdit::AddPartner(of, sex) => pedigree.add_partner(of, sex).map(drop),
        PedigreeEdit::Change(id, change) => pedigree.edit(id, change),
        PedigreeEdit::SetProband(id) => pedigree.set_proband(id),
        PedigreeEdit::Consanguineous(a, b, related) => pedigree.set_consanguineous(a, b, related),
        PedigreeEdit::Remove(id) => pedigree.remove(id).map(drop),
    }
}
