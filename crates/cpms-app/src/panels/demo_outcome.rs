//! The outcome document of a closed (or archived) demo panel: a short,
//! synthetic, plausible version 1 built from the panel's own record and
//! people, validated like the lead's, then started, frozen for sign-off,
//! signed by the members and issued at the panel's logged step times,
//! through the same repository functions as the real steps.

use cpms_domain::ids::UserId;
use cpms_domain::org::CountryCode;
use cpms_domain::panel::outcome::{
    CaseAge, Certainty, DraftDiagnosis, OutcomeDraft, PanelMember, SignOff, SignOffAnswer,
};
use cpms_domain::panel::{PanelRole, Transition};
use cpms_domain::record::{ClinicalRecord, Presence};
use cpms_store::repo::panel_outcomes::{self as outcomes, StoredOutcome};
use cpms_store::repo::panel_people;
use cpms_store::repo::panels::{NewTransition, StoredPanel};
use cpms_store::repo::patients::StoredPatient;
use rand::Rng;
use rand::seq::SliceRandom;

use crate::AppError;

const INVESTIGATIONS: &[&str] = &[
    "Targeted gene panel with copy-number analysis",
    "Brain MRI with spectroscopy",
    "Echocardiogram and ECG",
    "Ophthalmological examination",
    "Plasma amino acids and urinary organic acids",
];
const PLANS: &[&str] = &[
    "Continue the current treatment; refer to the regional expert centre for a joint review.",
    "Start physiotherapy twice weekly and review medication after three months.",
    "No change to treatment until the genetic result is known; counsel the family meanwhile.",
];
const FOLLOW_UPS: &[&str] = &[
    "Review at the expert centre in six months.",
    "Local follow-up every three months; report back to the panel with the test results.",
];

/// What a closed demo panel's outcome is made from.
pub(super) struct DemoOutcome<'a> {
    pub panel: &'a StoredPanel,
    pub patient: &'a StoredPatient,
    /// The patient's record as the panel saw it.
    pub record: &'a ClinicalRecord,
    /// The members who accepted.
    pub members: &'a [UserId],
    pub contributions: usize,
    /// The panel's logged steps, which time the outcome's stages.
    pub steps: &'a [NewTransition<'static>],
}

/// Writes version 1, issued with the members' sign-offs, in `tx`.
pub(super) async fn write_demo_outcome(
    tx: &mut cpms_store::WriteTx,
    rng: &mut impl Rng,
    o: DemoOutcome<'_>,
) -> Result<(), AppError> {
    let time_of = |t: Transition| {
        o.steps
            .iter()
            .find(|s| s.transition == t.as_str())
            .map(|s| s.at)
            .ok_or_else(|| AppError::internal(format!("a closed demo panel has no {t:?} step")))
    };
    let (started, frozen, closed) = (
        time_of(Transition::StartOutcome)?,
        time_of(Transition::RequestSignOff)?,
        time_of(Transition::Close)?,
    );
    let p = o.panel;
    let draft = OutcomeDraft {
        panel: p.id,
        reference: p.reference.clone(),
        ern: p.ern.clone(),
        version: 1,
        pseudonym: o.patient.pseudonym.clone(),
        age: CaseAge::Years(
            u16::try_from(
                p.created_at.to_zoned(jiff::tz::TimeZone::UTC).year() - o.patient.birth_year,
            )
            .unwrap_or(0),
        ),
        sex: o.patient.sex,
        country: o.patient.country,
        case_summary: case_summary(o.record),
        questions: vec![p.questions.clone()],
        composition: composition(tx, p, o.members).await?,
        discussion: format!(
            "The panel discussed the case in {}. The experts agreed that the phenotype fits \
             the working diagnosis and that one further investigation should settle it before \
             treatment changes.",
            match o.contributions {
                0 => "a meeting, without written contributions".to_owned(),
                1 => "one contribution".to_owned(),
                n => format!("{n} contributions"),
            }
        ),
        diagnoses: o
            .record
            .diagnoses
            .iter()
            .map(|d| DraftDiagnosis {
                code: d.term.code.clone(),
                label: d.term.name.clone(),
                certainty: Certainty::Probable,
            })
            .collect(),
        investigations: INVESTIGATIONS
            .choose_multiple(rng, 2)
            .map(|i| (*i).to_owned())
            .collect(),
        plan: (*PLANS.choose(rng).unwrap_or(&PLANS[0])).to_owned(),
        follow_up: (*FOLLOW_UPS.choose(rng).unwrap_or(&FOLLOW_UPS[0])).to_owned(),
    };
    let mut document = draft.clone().validate().map_err(|invalid| {
        AppError::internal(format!("a demo outcome is invalid: {:?}", invalid.errors))
    })?;
    outcomes::insert(
        tx,
        &StoredOutcome {
            panel: p.id,
            version: 1,
            draft,
            document: None,
            round: 0,
            created_at: started,
            drafted_at: started,
            drafted_by: p.lead,
            frozen_at: None,
            closed_at: None,
        },
    )
    .await?;
    if !outcomes::freeze(tx, &document, frozen).await? {
        return Err(AppError::internal("a new demo outcome could not be frozen"));
    }
    // The members sign between the request for sign-off and the closing;
    // the lead issues the document by closing.
    let gap = closed.duration_since(frozen) / i32::try_from(o.members.len() + 1).unwrap_or(1);
    for (n, member) in o.members.iter().enumerate() {
        let sign_off = SignOff {
            user: *member,
            at: frozen + gap * i32::try_from(n + 1).unwrap_or(1),
            answer: SignOffAnswer::Signed,
        };
        outcomes::put_sign_off(tx, p.id, 1, 1, &sign_off).await?;
        document.sign_offs.push(sign_off);
    }
    if !outcomes::close(tx, &document, closed).await? {
        return Err(AppError::internal("a demo outcome could not be issued"));
    }
    Ok(())
}

/// A pseudonymised summary from the record's coded entries.
fn case_summary(record: &ClinicalRecord) -> String {
    let names = |presence: Presence| {
        record
            .phenotypes
            .iter()
            .filter(|ph| ph.presence == presence)
            .map(|ph| ph.term.name.to_lowercase())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (observed, excluded) = (names(Presence::Observed), names(Presence::Excluded));
    let mut summary = String::from("Synthetic case followed by the lead's centre.");
    if !observed.is_empty() {
        summary.push_str(&format!(" Presents with {observed}."));
    }
    if !excluded.is_empty() {
        summary.push_str(&format!(" No {excluded}."));
    }
    if let Some(d) = record.diagnoses.first() {
        summary.push_str(&format!(" Working diagnosis: {}.", d.term.name));
    }
    summary
}

/// The lead and the accepted members as the directory names them.
async fn composition(
    tx: &mut cpms_store::WriteTx,
    p: &StoredPanel,
    members: &[UserId],
) -> Result<Vec<PanelMember>, AppError> {
    let users: Vec<UserId> = std::iter::once(p.lead)
        .chain(members.iter().copied())
        .collect();
    let people = panel_people::people(tx, &p.ern, &users).await?;
    people
        .into_iter()
        .map(|person| {
            let country = person
                .country
                .as_deref()
                .and_then(|c| CountryCode::parse(c).ok())
                .ok_or_else(|| AppError::internal("a training clinician has no country"))?;
            Ok(PanelMember {
                role: if person.user == p.lead {
                    PanelRole::Lead
                } else {
                    PanelRole::Member
                },
                user: person.user,
                name: person.name,
                profession: person
                    .profession
                    .unwrap_or_else(|| "Healthcare professional".to_owned()),
                hospital: person.hospital.unwrap_or_default(),
                country,
                guest: person.guest,
            })
        })
        .collect()
}
