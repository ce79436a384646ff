//! Coded terms: type-ahead search over the shipped terminology and the
//! record changes that add a phenotype or a diagnosis by code.

use cpms_domain::record::{
    CodedTerm, Diagnosis, DiagnosisStatus, Onset, Phenotype, Presence, RecordChange,
};
use cpms_terminology::{System, Terminology};

use crate::{App, AppError, Caller};

/// One type-ahead suggestion.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TermHit {
    pub code: String,
    pub name: String,
    /// For HPO terms: the names of the direct parents.
    pub parents: Vec<String>,
}

const MAX_HITS: usize = 12;

impl App {
    /// The terminology, parsed from the shipped files on first use.
    pub async fn terminology(&self) -> Result<&Terminology, AppError> {
        if let Some(loaded) = self.terminology_cell().get() {
            return Ok(loaded);
        }
        let imported = self.settings().terminology_dir.clone();
        let loaded = tokio::task::spawn_blocking(move || load_terminology(&imported))
            .await
            .map_err(AppError::internal)?
            .map_err(AppError::internal)?;
        Ok(self.terminology_cell().get_or_init(|| loaded))
    }

    /// Ranked suggestions for `query` in `kind` (`hpo` or `disease`).
    pub async fn search_terms(
        &self,
        _caller: &Caller,
        query: &str,
        kind: &str,
    ) -> Result<Vec<TermHit>, AppError> {
        let systems = systems(kind)?;
        let terminology = self.terminology().await?;
        Ok(terminology
            .search(query, systems, MAX_HITS)
            .into_iter()
            .map(|hit| TermHit {
                code: hit.concept.code.clone(),
                name: hit.concept.name.clone(),
                parents: hit
                    .concept
                    .parents
                    .iter()
                    .filter_map(|p| terminology.get(p).map(|c| c.name.clone()))
                    .collect(),
            })
            .collect())
    }

    pub async fn add_phenotype(
        &self,
        caller: &Caller,
        pseudonym: &str,
        code: &str,
        presence: Presence,
        onset: Option<Onset>,
    ) -> Result<i64, AppError> {
        let term = self.coded(code, &[System::Hpo]).await?;
        let phenotype = Phenotype::new(term, presence, onset)?;
        self.change_record(caller, pseudonym, RecordChange::AddPhenotype { phenotype })
            .await
    }

    pub async fn add_diagnosis(
        &self,
        caller: &Caller,
        pseudonym: &str,
        code: &str,
        status: DiagnosisStatus,
    ) -> Result<i64, AppError> {
        let term = self
            .coded(code, &[System::Orpha, System::Omim, System::Icd10])
            .await?;
        let diagnosis = Diagnosis::new(term, status)?;
        self.change_record(caller, pseudonym, RecordChange::AddDiagnosis { diagnosis })
            .await
    }

    /// The code as the terminology knows it, with its current name.
    pub(super) async fn coded(
        &self,
        code: &str,
        systems: &[System],
    ) -> Result<CodedTerm, AppError> {
        let terminology = self.terminology().await?;
        let concept = terminology
            .get(code.trim())
            .filter(|c| systems.contains(&c.system))
            .ok_or_else(|| {
                AppError::invalid(format!(
                    "'{}' is not a known {} code; pick one from the suggestions",
                    code.trim(),
                    systems
                        .iter()
                        .map(|s| s.label())
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            })?;
        Ok(CodedTerm {
            code: concept.code.clone(),
            name: concept.name.clone(),
        })
    }
}

pub(super) fn systems(kind: &str) -> Result<&'static [System], AppError> {
    match kind {
        "hpo" => Ok(&[System::Hpo]),
        "disease" => Ok(&[System::Orpha, System::Omim, System::Icd10]),
        other => Err(AppError::invalid(format!(
            "kind: '{other}' is neither hpo nor disease"
        ))),
    }
}

/// The imported terminology if there is one, else the shipped releases.
fn load_terminology(imported: &std::path::Path) -> Result<Terminology, String> {
    if !imported.exists() {
        return Terminology::shipped().map_err(|e| e.to_string());
    }
    let files = cpms_terminology::SourceFiles::find(imported).map_err(|e| e.to_string())?;
    files
        .load()
        .map_err(|e| format!("imported terminology in {}: {e}", imported.display()))
}
