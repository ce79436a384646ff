//! Enrolment from the centre dashboard: care consent required, identity
//! sealed, version 1 of the record written, all in one transaction.

use cpms_domain::audit::{NewEvent, Outcome};
use cpms_domain::ids::PatientId;
use cpms_domain::org::{CountryCode, Hcp, HcpCode, InvalidValue};
use cpms_domain::patient::{
    Consent, ConsentKind, ConsentStatus, Consents, Identity, PatientStatus, Pseudonym,
    RANDOM_BYTES, Sex, nickname,
};
use cpms_domain::policy::{Action, Resource};
use cpms_domain::record::{ClinicalRecord, RecordChange};
use cpms_store::StoreError;
use cpms_store::repo::attachments::StoredAttachment;
use cpms_store::repo::patients::{RecordVersion, StoredPatient};
use cpms_store::repo::{audit, patients, reference};
use rand::RngCore;

use crate::attachments::{AttachmentKind, Upload, insert_attachment};
use crate::{App, AppError, Caller};

/// What the enrolment form sends, as typed.
#[derive(Debug, Clone, Default)]
pub struct EnrolForm {
    pub name: String,
    /// `YYYY-MM-DD`.
    pub date_of_birth: String,
    pub record_number: String,
    /// `male`, `female` or `unknown`.
    pub sex: String,
    /// Two-letter country of residence.
    pub country: String,
    pub nickname: String,
    /// Day the care consent was given; empty when it was not.
    pub care_consent_date: String,
    pub registry_consent: bool,
    pub research_contact_consent: bool,
    /// A scan of the signed consent form, if the clinician attaches one.
    pub signed_consent: Option<Upload>,
}

/// Pseudonyms are random; a clash is astronomically rare but retried.
const PSEUDONYM_ATTEMPTS: usize = 3;

impl App {
    /// Enrols a patient at centre `hcp_code`; returns the new pseudonym.
    pub async fn enrol(
        &self,
        caller: &Caller,
        hcp_code: &str,
        form: &EnrolForm,
    ) -> Result<Pseudonym, AppError> {
        let hcp = self.enrolling_centre(caller, hcp_code).await?;
        let code = hcp.code.clone();
        let ern = caller
            .active_memberships()
            .filter(|m| m.hcp == hcp.id)
            .map(|m| m.ern.clone())
            .find(|e| Some(e) == caller.working_ern().as_ref())
            .or_else(|| hcp.erns.first().cloned())
            .ok_or_else(|| AppError::invalid("this centre belongs to no network"))?;
        let now = self.now();
        let today = now.to_zoned(jiff::tz::TimeZone::UTC).date();
        let identity = Identity::new(
            &form.name,
            date("date_of_birth", &form.date_of_birth)?,
            &form.record_number,
            today,
        )?;
        let consents = consents(caller, form, now, today)?;
        let mut stored = StoredPatient {
            id: PatientId::new(),
            pseudonym: new_pseudonym(),
            nickname: nickname(&form.nickname)?,
            sex: sex(&form.sex)?,
            birth_year: identity.date_of_birth.year(),
            country: CountryCode::parse(form.country.trim())?,
            ern,
            hcp: hcp.id,
            enrolled_by: caller.user.id,
            enrolled_at: now,
            status: PatientStatus::Active,
            identity_sealed: None,
            consents,
            current_version: 0,
        };
        stored.identity_sealed = Some(self.seal_identity(stored.id, &identity)?);
        let first = RecordVersion {
            version: 1,
            at: now,
            author: caller.user.id,
            on_behalf_of: caller.clinician_acted_for(),
            description: RecordChange::Enrolled.describe(),
            change: RecordChange::Enrolled,
            content: ClinicalRecord::default(),
        };
        // Checked and stored before the patient, so that a refused file
        // refuses the enrolment rather than leaving a record without it.
        let signed = match form.signed_consent.clone() {
            Some(upload) => Some(
                self.seal_upload(caller, stored.id, AttachmentKind::SignedConsent, upload)
                    .await?
                    .0,
            ),
            None => None,
        };
        let inserted = self
            .insert_enrolment(caller, &code, &mut stored, &first, signed.as_ref())
            .await;
        if let (Err(_), Some(row)) = (&inserted, &signed) {
            self.discard_upload(row).await?;
        }
        inserted.map(|()| stored.pseudonym)
    }

    /// The centre `hcp_code`, if the caller may enrol patients there.
    pub(crate) async fn enrolling_centre(
        &self,
        caller: &Caller,
        hcp_code: &str,
    ) -> Result<Hcp, AppError> {
        let code = HcpCode::parse(hcp_code).map_err(|_| AppError::not_found("That centre"))?;
        let mut conn = self.store().read().await?;
        let hcp = reference::get_hcp_by_code(&mut conn, &code)
            .await?
            .ok_or_else(|| AppError::not_found("That centre"))?;
        drop(conn);
        self.authorize(
            caller,
            Action::EnrolPatient,
            Resource::Centre(hcp.id),
            &format!("hcp:{code}"),
        )
        .await?;
        Ok(hcp)
    }

    /// Writes the patient, version 1 and the signed form in one
    /// transaction, drawing a new pseudonym if the first one is taken.
    async fn insert_enrolment(
        &self,
        caller: &Caller,
        code: &HcpCode,
        stored: &mut StoredPatient,
        first: &RecordVersion,
        signed: Option<&StoredAttachment>,
    ) -> Result<(), AppError> {
        for _ in 0..PSEUDONYM_ATTEMPTS {
            let mut tx = self.store().write().await?;
            match patients::insert(&mut tx, stored).await {
                Err(StoreError::Duplicate { .. }) => {
                    stored.pseudonym = new_pseudonym();
                    continue;
                }
                other => other?,
            }
            patients::append_version(&mut tx, stored.id, first).await?;
            if let Some(row) = signed {
                insert_attachment(&mut tx, caller, row).await?;
            }
            let event = NewEvent::new(
                "patient.enrol",
                format!("patient:{}", stored.id),
                Outcome::Success,
            )
            .by(caller.user.id)
            .on_behalf_of(caller.clinician_acted_for())
            .from_addr(caller.client.addr.clone())
            .detail(format!("pseudonym {} at {code}", stored.pseudonym));
            audit::append(&mut tx, event, stored.enrolled_at).await?;
            tx.commit().await?;
            return Ok(());
        }
        Err(AppError::internal(
            "no free pseudonym after several attempts",
        ))
    }
}

fn new_pseudonym() -> Pseudonym {
    let mut bytes = [0u8; RANDOM_BYTES];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    Pseudonym::from_random(bytes)
}

fn consents(
    caller: &Caller,
    form: &EnrolForm,
    now: jiff::Timestamp,
    today: jiff::civil::Date,
) -> Result<Consents, AppError> {
    if form.care_consent_date.trim().is_empty() {
        return Err(AppError::invalid(
            "Care consent is required to enrol a patient: record the day it was given.",
        ));
    }
    let day = date("care_consent_date", &form.care_consent_date)?;
    let consent = |kind, given: bool| Consent {
        kind,
        status: if given {
            ConsentStatus::Given
        } else {
            ConsentStatus::Refused
        },
        date: day,
        recorded_by: caller.user.id,
        recorded_at: now,
    };
    let all = vec![
        consent(ConsentKind::Care, true),
        consent(ConsentKind::Registry, form.registry_consent),
        consent(ConsentKind::ResearchContact, form.research_contact_consent),
    ];
    Ok(Consents::at_enrolment(all, today)?)
}

pub(crate) fn date(field: &'static str, raw: &str) -> Result<jiff::civil::Date, AppError> {
    raw.trim().parse().map_err(|_| {
        InvalidValue::new(
            field,
            format!("'{}' is not a date (YYYY-MM-DD)", raw.trim()),
        )
        .into()
    })
}

fn sex(raw: &str) -> Result<Sex, AppError> {
    match raw {
        "male" => Ok(Sex::Male),
        "female" => Ok(Sex::Female),
        "unknown" | "" => Ok(Sex::Unknown),
        other => Err(AppError::invalid(format!("sex: unknown value '{other}'"))),
    }
}
