//! Genetics, laboratory results and treatments as typed into a form or a
//! JSON body: text fields read and validated here once, for the pages and
//! the API alike, then added as a new record version.

use cpms_domain::org::InvalidValue;
use cpms_domain::record::{Classification, LabResult, RecordChange, Treatment, Variant, Zygosity};
use serde::Deserialize;
use serde::de::IntoDeserializer;

use super::enrol::date;
use crate::{App, AppError, Caller};

/// A variant as typed: `zygosity` and `classification` by their names
/// (`heterozygous`, `likely_pathogenic`, …).
#[derive(Debug, Clone, Default)]
pub struct VariantForm {
    pub gene: String,
    pub hgvs: String,
    pub zygosity: String,
    pub classification: String,
}

/// A laboratory result as typed; `loinc` and `reference_range` may be
/// empty, `date` is `YYYY-MM-DD`.
#[derive(Debug, Clone, Default)]
pub struct LabForm {
    pub name: String,
    pub loinc: String,
    pub value: String,
    pub unit: String,
    pub reference_range: String,
    pub date: String,
}

/// A treatment as typed; either date may be empty.
#[derive(Debug, Clone, Default)]
pub struct TreatmentForm {
    pub name: String,
    pub started: String,
    pub ended: String,
    pub note: String,
}

impl App {
    pub async fn add_variant(
        &self,
        caller: &Caller,
        pseudonym: &str,
        form: &VariantForm,
    ) -> Result<i64, AppError> {
        let variant = Variant::new(
            &form.gene,
            &form.hgvs,
            named::<Zygosity>("zygosity", &form.zygosity)?,
            named::<Classification>("classification", &form.classification)?,
        )?;
        self.change_record(caller, pseudonym, RecordChange::AddVariant { variant })
            .await
    }

    pub async fn add_lab(
        &self,
        caller: &Caller,
        pseudonym: &str,
        form: &LabForm,
    ) -> Result<i64, AppError> {
        let lab = LabResult::new(
            &form.name,
            &form.loinc,
            &form.value,
            &form.unit,
            &form.reference_range,
            date("date", &form.date)?,
        )?;
        self.change_record(caller, pseudonym, RecordChange::AddLab { lab })
            .await
    }

    pub async fn add_treatment(
        &self,
        caller: &Caller,
        pseudonym: &str,
        form: &TreatmentForm,
    ) -> Result<i64, AppError> {
        let treatment = Treatment::new(
            &form.name,
            optional_date("started", &form.started)?,
            optional_date("ended", &form.ended)?,
            &form.note,
        )?;
        self.change_record(caller, pseudonym, RecordChange::AddTreatment { treatment })
            .await
    }
}

/// One of a closed set of values by its name, as the domain serialises it.
fn named<'de, T: Deserialize<'de>>(field: &'static str, raw: &'de str) -> Result<T, AppError> {
    let found: Result<T, serde::de::value::Error> = T::deserialize(raw.trim().into_deserializer());
    found.map_err(|_| {
        let shown = if raw.trim().is_empty() {
            "nothing"
        } else {
            raw.trim()
        };
        InvalidValue::new(
            field,
            format!("choose one of the listed values (got {shown})"),
        )
        .into()
    })
}

fn optional_date(field: &'static str, raw: &str) -> Result<Option<jiff::civil::Date>, AppError> {
    if raw.trim().is_empty() {
        Ok(None)
    } else {
        date(field, raw).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closed_values_are_read_by_name_and_others_named_in_the_error() {
        let z: Zygosity = named("zygosity", " compound_heterozygous ").unwrap();
        assert_eq!(z, Zygosity::CompoundHeterozygous);
        let err = named::<Classification>("classification", "bad").unwrap_err();
        assert!(
            err.message.contains("classification") && err.message.contains("bad"),
            "{err:?}"
        );
        assert!(
            named::<Zygosity>("zygosity", "")
                .unwrap_err()
                .message
                .contains("nothing")
        );
        assert_eq!(optional_date("started", " ").unwrap(), None);
        assert!(optional_date("started", "2026-13-01").is_err());
    }
}
