//! Per-ERN case template fields in a record: set through the same policy,
//! versioning and audit as built-in sections; coded fields are looked up in
//! the terminology like phenotypes and diagnoses.

use cpms_domain::case_template::{FieldDef, FieldKind, TemplateEntry};
use cpms_domain::org::ErnCode;
use cpms_domain::policy::Action;
use cpms_domain::record::RecordChange;

use super::terms::systems;
use crate::{App, AppError, Caller};

impl App {
    /// The fields `ern`'s template adds (none without a template).
    pub fn case_template(&self, ern: &ErnCode) -> &[FieldDef] {
        self.settings().case_templates.fields(ern)
    }

    /// Sets one template field of the record to the typed value; returns
    /// the new version.
    pub async fn set_template_field(
        &self,
        caller: &Caller,
        pseudonym: &str,
        key: &str,
        raw: &str,
    ) -> Result<i64, AppError> {
        let stored = self
            .authorized_patient(caller, pseudonym, Action::EditRecord)
            .await?;
        let field = self
            .settings()
            .case_templates
            .field(&stored.ern, key)
            .ok_or_else(|| {
                AppError::invalid(format!(
                    "the {} case template has no field '{key}'",
                    stored.ern
                ))
            })?;
        let term = match &field.kind {
            FieldKind::Coded { terminology } => self.coded(raw, systems(terminology)?).await.ok(),
            _ => None,
        };
        let entry = TemplateEntry {
            label: field.label.clone(),
            value: field.value(raw, term)?,
        };
        let change = RecordChange::SetField {
            key: key.to_owned(),
            entry,
        };
        self.change_record(caller, pseudonym, change).await
    }
}
