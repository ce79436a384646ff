//! Synthetic patients for demonstrations and benchmarks (`cpms demo
//! patients`): each enrolled under care consent by one clinician, then
//! given phenotypes and a diagnosis, so its record has a history of four
//! versions. Names, dates and record numbers are invented; written in
//! batches of one transaction each so 100,000 patients take minutes.

use cpms_domain::audit::{NewEvent, Outcome};
use cpms_domain::ids::{HcpId, PatientId, UserId};
use cpms_domain::org::{CountryCode, ErnCode};
use cpms_domain::patient::{
    Consent, ConsentKind, ConsentStatus, Consents, Identity, PatientStatus, Pseudonym,
    RANDOM_BYTES, Sex,
};
use cpms_domain::policy::{Action, Actor, Decision, Resource, can};
use cpms_domain::record::{
    ClinicalRecord, CodedTerm, Diagnosis, DiagnosisStatus, Onset, Phenotype, Presence, RecordChange,
};
use cpms_store::repo::patients::{RecordVersion, StoredPatient};
use cpms_store::repo::{audit, memberships, patients, users};
use jiff::{SignedDuration, Timestamp};
use rand::Rng;
use rand::seq::SliceRandom;

use super::record::identity_context;
use crate::{App, AppError};

/// Patients per transaction.
const BATCH: usize = 1000;

const GIVEN: &[&str] = &[
    "Aino", "Bruno", "Chiara", "Dawid", "Elif", "Femke", "Goran", "Hana", "Ines", "Jonas", "Kaja",
    "Luca", "Maren", "Nikos", "Olga", "Pau", "Rasa", "Sven", "Tereza", "Vito",
];
const FAMILY: &[&str] = &[
    "Andersen", "Bianchi", "Costa", "Dvořák", "Eriksson", "Fischer", "García", "Horvat", "Ivanova",
    "Jansen", "Kowalski", "Lambert", "Moreau", "Novak", "Oliveira", "Petrov",
];
const NICKNAMES: &[&str] = &["ward A", "ward B", "clinic", "follow-up", "day care"];
const COUNTRIES: &[&str] = &["IT", "FR", "DE", "ES", "NL", "PL", "SE", "CZ"];
const PHENOTYPES: &[(&str, &str)] = &[
    ("HP:0001250", "Seizure"),
    ("HP:0001263", "Global developmental delay"),
    ("HP:0000252", "Microcephaly"),
    ("HP:0001252", "Hypotonia"),
    ("HP:0004322", "Short stature"),
    ("HP:0000486", "Strabismus"),
];
const DISEASES: &[(&str, &str)] = &[
    ("ORPHA:558", "Marfan syndrome"),
    ("ORPHA:636", "Neurofibromatosis type 1"),
    ("ORPHA:778", "Rett syndrome"),
    ("ORPHA:739", "Prader-Willi syndrome"),
];

impl App {
    /// Enrols `count` synthetic patients for clinician `owner` at the
    /// first centre where the policy lets them enrol; `enrolled` hears
    /// each pseudonym once its batch is committed.
    pub async fn demo_patients(
        &self,
        owner: &str,
        count: usize,
        mut enrolled: impl FnMut(&Pseudonym),
    ) -> Result<(), AppError> {
        let (owner, hcp, ern) = self.demo_owner(owner).await?;
        let now = self.now();
        let mut rng = rand::thread_rng();
        let mut done = 0;
        while done < count {
            let size = BATCH.min(count - done);
            let mut batch = Vec::with_capacity(size);
            let mut tx = self.store().write().await?;
            for n in done..done + size {
                // Spread over the past so the list's date order means something.
                let at = now - SignedDuration::from_secs(i64::try_from(n).unwrap_or(0) * 600);
                let patient = self.synthetic_patient(&mut rng, owner, hcp, &ern, at)?;
                patients::insert(&mut tx, &patient).await?;
                for version in synthetic_history(&mut rng, owner, at)? {
                    patients::append_version(&mut tx, patient.id, &version).await?;
                }
                batch.push(patient.pseudonym);
            }
            let event = NewEvent::new("patient.demo_enrol", format!("hcp:{hcp}"), Outcome::Success)
                .by(owner)
                .detail(format!("{size} synthetic patients enrolled"));
            audit::append(&mut tx, event, now).await?;
            tx.commit().await?;
            batch.iter().for_each(&mut enrolled);
            done += size;
        }
        Ok(())
    }

    /// The clinician and where they may enrol, as the policy decides.
    async fn demo_owner(&self, username: &str) -> Result<(UserId, HcpId, ErnCode), AppError> {
        let mut conn = self.store().read().await?;
        let (user, _) = users::find_by_username(&mut conn, username)
            .await?
            .ok_or_else(|| AppError::not_found(format!("User '{username}'")))?;
        let held = memberships::of_user(&mut conn, user.id).await?;
        let actor = Actor {
            user: user.id,
            administrator: user.administrator,
            memberships: held.clone(),
            now: self.now(),
            acting_for: None,
        };
        held.into_iter()
            .find(|m| {
                can(&actor, Action::EnrolPatient, Resource::Centre(m.hcp)) == Decision::Allow
            })
            .map(|m| (user.id, m.hcp, m.ern))
            .ok_or_else(|| {
                AppError::invalid(format!(
                    "'{username}' may not enrol patients at any centre (an active clinician membership is needed)"
                ))
            })
    }

    /// A synthetic patient enrolled by `owner` at `hcp` in `ern` at `at`,
    /// identity sealed (also used by `cpms demo panels`).
    pub(crate) fn synthetic_patient(
        &self,
        rng: &mut impl Rng,
        owner: UserId,
        hcp: HcpId,
        ern: &ErnCode,
        at: Timestamp,
    ) -> Result<StoredPatient, AppError> {
        let today = at.to_zoned(jiff::tz::TimeZone::UTC).date();
        let born = today
            .checked_sub(jiff::Span::new().days(rng.gen_range(30..25_000)))
            .map_err(AppError::internal)?;
        let name = format!(
            "{} {}",
            GIVEN.choose(rng).unwrap_or(&"Alex"),
            FAMILY.choose(rng).unwrap_or(&"Smith")
        );
        let identity = Identity::new(
            &name,
            born,
            &format!("MRN-{:08}", rng.gen_range(0..100_000_000)),
            today,
        )?;
        let consent = |kind, given| Consent {
            kind,
            status: if given {
                ConsentStatus::Given
            } else {
                ConsentStatus::Refused
            },
            date: today,
            recorded_by: owner,
            recorded_at: at,
        };
        let consents = Consents::at_enrolment(
            vec![
                consent(ConsentKind::Care, true),
                consent(ConsentKind::Registry, rng.gen_bool(0.7)),
                consent(ConsentKind::ResearchContact, rng.gen_bool(0.4)),
            ],
            today,
        )?;
        let mut random = [0u8; RANDOM_BYTES];
        rng.fill_bytes(&mut random);
        let id = PatientId::new();
        let json = serde_json::to_vec(&identity).map_err(AppError::internal)?;
        Ok(StoredPatient {
            id,
            pseudonym: Pseudonym::from_random(random),
            nickname: rng
                .gen_bool(0.5)
                .then(|| (*NICKNAMES.choose(rng).unwrap_or(&"ward")).to_owned()),
            sex: *[Sex::Female, Sex::Male, Sex::Unknown]
                .choose(rng)
                .unwrap_or(&Sex::Unknown),
            birth_year: born.year(),
            country: CountryCode::parse(COUNTRIES.choose(rng).unwrap_or(&"IT"))?,
            ern: ern.clone(),
            hcp,
            enrolled_by: owner,
            enrolled_at: at,
            status: PatientStatus::Active,
            identity_sealed: Some(self.identity_cipher().seal(&identity_context(id), &json)?),
            consents,
            current_version: 0,
        })
    }
}

/// Enrolled, two phenotypes, one diagnosis: four versions, a minute apart.
pub(crate) fn synthetic_history(
    rng: &mut impl Rng,
    owner: UserId,
    enrolled: Timestamp,
) -> Result<Vec<RecordVersion>, AppError> {
    let term = |(code, name): &(&str, &str)| CodedTerm {
        code: (*code).to_owned(),
        name: (*name).to_owned(),
    };
    let mut phenotypes = PHENOTYPES.choose_multiple(rng, 2);
    let mut changes = vec![RecordChange::Enrolled];
    for presence in [Presence::Observed, Presence::Excluded] {
        if let Some(picked) = phenotypes.next() {
            let onset = Onset::ALL.choose(rng).copied();
            changes.push(RecordChange::AddPhenotype {
                phenotype: Phenotype::new(term(picked), presence, onset)?,
            });
        }
    }
    let disease = DISEASES.choose(rng).unwrap_or(&DISEASES[0]);
    let status = *DiagnosisStatus::ALL
        .choose(rng)
        .unwrap_or(&DiagnosisStatus::Suspected);
    changes.push(RecordChange::AddDiagnosis {
        diagnosis: Diagnosis::new(term(disease), status)?,
    });
    let mut content = ClinicalRecord::default();
    let mut versions = Vec::with_capacity(changes.len());
    for (n, change) in changes.into_iter().enumerate() {
        content.apply(&change)?;
        let n = i64::try_from(n).unwrap_or(0);
        versions.push(RecordVersion {
            version: n + 1,
            at: enrolled + SignedDuration::from_mins(n),
            author: owner,
            on_behalf_of: None,
            description: change.describe(),
            change,
            content: content.clone(),
        });
    }
    Ok(versions)
}
