//! DICOMweb searches (QIDO-RS) over the studies the caller may see: those
//! of records the policy lets them read, and those a panel of theirs
//! shares. Answered from the DICOM JSON in the index, never from the files.
//! Each patient whose data a search returns gets one audit event.

use std::collections::BTreeMap;

use cpms_dicom::qido::{Level, Query};
use cpms_domain::audit::{NewEvent, Outcome};
use cpms_domain::ids::{HcpId, PatientId};
use cpms_domain::patient::Pseudonym;
use cpms_domain::policy::{Action, Decision, Resource, can};
use cpms_store::repo::imaging_search::{self as repo, StudyOwner};
use cpms_store::repo::{audit, imaging, patients};
use serde_json::{Map, Value, json};

use super::access::shared_with;
use crate::{App, AppError, Caller};

/// Where in the hierarchy a search is rooted: a record
/// (`/dicomweb/patients/{pseudonym}`) or everything, and optionally one
/// study and series.
#[derive(Debug, Clone, Default)]
pub struct SearchScope {
    pub pseudonym: Option<String>,
    pub study: Option<String>,
    pub series: Option<String>,
}

/// One search hit: its attributes as DICOM JSON, and the UIDs to build its
/// retrieve URL from.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchHit {
    pub attributes: Map<String, Value>,
    pub study_uid: String,
    pub series_uid: Option<String>,
    pub sop_uid: Option<String>,
}

type Record = Map<String, Value>;

impl App {
    /// QIDO-RS: the matching studies, series or instances in `scope`, the
    /// query's projection applied, after its offset and limit.
    pub async fn search_imaging(
        &self,
        caller: &Caller,
        scope: &SearchScope,
        level: Level,
        query: &Query,
    ) -> Result<Vec<SearchHit>, AppError> {
        let studies = self.searchable_studies(caller, scope).await?;
        let mut conn = self.store().read().await?;
        let mut hits: Vec<(PatientId, SearchHit, Record)> = Vec::new();
        for study in &studies {
            match level {
                Level::Study => {
                    let Some(text) = repo::first_of_study(&mut conn, &study.study_uid).await?
                    else {
                        continue;
                    };
                    let mut record = parse(&text)?;
                    study_level(&mut record, study);
                    hits.push((study.patient, hit(&study.study_uid, None, None), record));
                }
                Level::Series => {
                    for (series_uid, count, text) in
                        repo::first_of_each_series(&mut conn, &study.study_uid).await?
                    {
                        if scope.series.as_deref().is_some_and(|s| s != series_uid) {
                            continue;
                        }
                        let mut record = parse(&text)?;
                        record.insert("00201209".into(), json!({"vr": "IS", "Value": [count]}));
                        let at = hit(&study.study_uid, Some(&series_uid), None);
                        hits.push((study.patient, at, record));
                    }
                }
                Level::Instance => {
                    let series: Vec<String> = match &scope.series {
                        Some(uid) => vec![uid.clone()],
                        None => imaging::series_of_study(&mut conn, &study.study_uid)
                            .await?
                            .into_iter()
                            .map(|s| s.series_uid)
                            .collect(),
                    };
                    for series_uid in series {
                        for text in imaging::series_metadata(&mut conn, &series_uid).await? {
                            let record = parse(&text)?;
                            let sop = text_value(&record, "00080018");
                            let at = hit(&study.study_uid, Some(&series_uid), sop.as_deref());
                            hits.push((study.patient, at, record));
                        }
                    }
                }
            }
        }
        drop(conn);
        let chosen: Vec<(PatientId, SearchHit)> = hits
            .into_iter()
            .filter(|(_, _, record)| query.matches(record))
            .skip(query.offset)
            .take(query.limit.unwrap_or(usize::MAX))
            .map(|(patient, mut at, record)| {
                at.attributes = query.project(&record, level.defaults());
                (patient, at)
            })
            .collect();
        self.audit_search(caller, level, &chosen).await?;
        Ok(chosen.into_iter().map(|(_, at)| at).collect())
    }

    /// Not found unless the study is on the record with this pseudonym: a
    /// record's DICOMweb root serves only its own studies. (Whether the
    /// caller may see it is decided by the read that follows.)
    pub async fn study_on_record(&self, pseudonym: &str, study_uid: &str) -> Result<(), AppError> {
        let mut conn = self.store().read().await?;
        let study = imaging::study(&mut conn, study_uid.trim()).await?;
        let patient = match &study {
            Some(s) => patients::get(&mut conn, s.patient).await?,
            None => None,
        };
        match patient {
            Some(p) if p.pseudonym.to_string() == pseudonym => Ok(()),
            _ => Err(AppError::not_found("That study on this record")),
        }
    }

    /// The studies in scope the caller may see. A search rooted at a record
    /// the caller may not read, through the policy or a panel, is refused
    /// (and the refusal audited); the global root just finds what is
    /// visible.
    async fn searchable_studies(
        &self,
        caller: &Caller,
        scope: &SearchScope,
    ) -> Result<Vec<StudyOwner>, AppError> {
        let mut conn = self.store().read().await?;
        let patient = match &scope.pseudonym {
            Some(p) => Some(
                patients::get_by_pseudonym(&mut conn, &Pseudonym::parse(p)?)
                    .await?
                    .ok_or_else(|| AppError::not_found("That patient"))?,
            ),
            None => None,
        };
        let mut hcps: Vec<HcpId> = caller.active_memberships().map(|m| m.hcp).collect();
        hcps.extend(caller.on_behalf_of.as_ref().map(|o| o.hcp));
        hcps.sort();
        hcps.dedup();
        if let Some(p) = &patient {
            // The record's own hospital, so the policy (not this filter)
            // decides; a refusal below is audited.
            hcps = vec![p.hcp];
        }
        let candidates = repo::candidates(&mut conn, &hcps, patient.as_ref().map(|p| p.id)).await?;
        let actor = caller.actor();
        let mut visible = Vec::new();
        for study in candidates {
            if scope.study.as_deref().is_some_and(|s| s != study.study_uid) {
                continue;
            }
            let resource = Resource::Patient {
                hcp: study.hcp,
                enrolled_by: study.enrolled_by,
            };
            if can(&actor, Action::ViewRecord, resource) == Decision::Allow
                || shared_with(&mut conn, caller, &study.study_uid)
                    .await?
                    .is_some()
            {
                visible.push(study);
            }
        }
        drop(conn);
        if let Some(p) = patient
            && visible.is_empty()
        {
            // Nothing visible on this record: say so only to those who may
            // read it; everyone else is refused (and audited).
            self.authorize(
                caller,
                Action::ViewRecord,
                Resource::Patient {
                    hcp: p.hcp,
                    enrolled_by: p.enrolled_by,
                },
                &format!("patient:{}", p.id),
            )
            .await?;
        }
        if scope.study.is_some() && visible.is_empty() {
            return Err(AppError::not_found("That study"));
        }
        Ok(visible)
    }

    async fn audit_search(
        &self,
        caller: &Caller,
        level: Level,
        hits: &[(PatientId, SearchHit)],
    ) -> Result<(), AppError> {
        let mut per_patient: BTreeMap<PatientId, usize> = BTreeMap::new();
        for (patient, _) in hits {
            *per_patient.entry(*patient).or_default() += 1;
        }
        if per_patient.is_empty() {
            return Ok(());
        }
        let what = match level {
            Level::Study => "studies",
            Level::Series => "series",
            Level::Instance => "instances",
        };
        let mut tx = self.store().write().await?;
        for (patient, count) in per_patient {
            let event = NewEvent::new(
                "imaging.search",
                format!("patient:{patient}"),
                Outcome::Success,
            )
            .by(caller.user.id)
            .on_behalf_of(caller.clinician_acted_for())
            .from_addr(caller.client.addr.clone())
            .detail(format!("DICOMweb search found {count} {what}"));
            audit::append(&mut tx, event, self.now()).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

fn hit(study: &str, series: Option<&str>, sop: Option<&str>) -> SearchHit {
    SearchHit {
        attributes: Map::new(),
        study_uid: study.to_owned(),
        series_uid: series.map(str::to_owned),
        sop_uid: sop.map(str::to_owned),
    }
}

fn parse(text: &str) -> Result<Record, AppError> {
    match serde_json::from_str(text).map_err(AppError::internal)? {
        Value::Object(map) => Ok(map),
        _ => Err(AppError::internal("stored DICOM JSON is not an object")),
    }
}

fn text_value(record: &Record, tag: &str) -> Option<String> {
    record.get(tag)?["Value"][0].as_str().map(str::to_owned)
}

/// The attributes of the study as a whole, which no single instance holds.
fn study_level(record: &mut Record, study: &StudyOwner) {
    let modalities: Vec<Value> = study.modalities.iter().map(|m| json!(m)).collect();
    record.insert("00080061".into(), json!({"vr": "CS", "Value": modalities}));
    record.insert(
        "00201206".into(),
        json!({"vr": "IS", "Value": [study.series_count]}),
    );
    record.insert(
        "00201208".into(),
        json!({"vr": "IS", "Value": [study.instance_count]}),
    );
}
