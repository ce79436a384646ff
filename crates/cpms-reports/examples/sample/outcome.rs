//! A realistic, fully signed-off-but-one outcome: long Unicode names, a
//! long unbreakable variant string, ten panel members. Shared by the
//! `outcome` example (what `bench/pdf.sh` times) and the outcome PDF tests.

use cpms_domain::ids::{PanelId, UserId};
use cpms_domain::org::{CountryCode, ErnCode};
use cpms_domain::panel::PanelRole;
use cpms_domain::panel::outcome::{
    CaseAge, Certainty, DraftDiagnosis, OutcomeDocument, OutcomeDraft, PanelMember, SignOffAnswer,
};
use cpms_domain::patient::{Pseudonym, Sex};

/// The panel's members: name, profession, hospital, country, role.
const MEMBERS: [(&str, &str, &str, &str, PanelRole); 11] = [
    (
        "Dr. Małgorzata Wiśniewska-Kovač",
        "Paediatric neurologist",
        "Uniwersytecki Szpital Kliniczny we Wrocławiu",
        "PL",
        PanelRole::Lead,
    ),
    (
        "Prof. Γεώργιος Παπαδόπουλος",
        "Neurogeneticist",
        "Πανεπιστημιακό Γενικό Νοσοκομείο Αττικόν",
        "GR",
        PanelRole::Member,
    ),
    (
        "Dr. Олена Шевченко",
        "Child neurologist",
        "Національна дитяча спеціалізована лікарня «Охматдит»",
        "UA",
        PanelRole::Member,
    ),
    (
        "Dr. Søren Ødegård-Jørgensen",
        "Clinical geneticist",
        "Rigshospitalet, København",
        "DK",
        PanelRole::Member,
    ),
    (
        "Dr. Ana Đorđević",
        "Neurophysiologist",
        "Klinički centar Srbije (guest centre)",
        "RS",
        PanelRole::Member,
    ),
    (
        "Prof. Jean-François Lefèvre",
        "Neurologist",
        "Hôpital de la Pitié-Salpêtrière, AP-HP",
        "FR",
        PanelRole::Member,
    ),
    (
        "Dr. Ľubomír Šťastný",
        "Cardiologist",
        "Národný ústav srdcových a cievnych chorôb",
        "SK",
        PanelRole::Member,
    ),
    (
        "Dr. Ioana Țurcanu",
        "Physiotherapist",
        "Spitalul Clinic de Copii „Grigore Alexandrescu”",
        "RO",
        PanelRole::Member,
    ),
    (
        "Dr. Гергана Димитрова",
        "Geneticist",
        "УМБАЛ „Александровска“, София",
        "BG",
        PanelRole::Member,
    ),
    (
        "Dr. Eoin Ó Súilleabháin",
        "Neuroradiologist",
        "Children's Health Ireland at Crumlin",
        "IE",
        PanelRole::Member,
    ),
    (
        "Mag. Katharina Österreicher",
        "Panel manager",
        "Medizinische Universität Wien",
        "AT",
        PanelRole::Manager,
    ),
];

const CASE_SUMMARY: &str = "A 9-year-old girl born to healthy, reportedly non-consanguineous parents \
presented at 4 years with an unsteady gait and frequent falls. Over five years she developed \
progressive cerebellar ataxia, dysarthria, pes cavus and reduced tendon reflexes in the lower limbs. \
Cognitive development is age-appropriate. A maternal great-uncle is said to have used a wheelchair \
from his thirties; no records are available.

Brain MRI at 8 years showed mild cerebellar vermis atrophy without signal changes. Nerve conduction \
studies showed a sensory axonal neuropathy. Vitamin E, lipid profile, alpha-fetoprotein and lactate \
were normal. A 250-gene ataxia panel found a single heterozygous variant of uncertain significance, \
NM_000144.5(FXN):c.385-2A>G, and the GAA repeat in FXN was not sized by the panel method.

Phenotype: ataxia (HP:0001251, from 4 years), dysarthria (HP:0001260, 6 years), pes cavus \
(HP:0001761, 7 years), peripheral axonal neuropathy (HP:0003477, 8 years); cardiomyopathy \
(HP:0001638) and diabetes mellitus (HP:0000819) excluded.";

const DISCUSSION: &str = "The panel agreed that the clinical picture — early-onset progressive ataxia \
with sensory axonal neuropathy, areflexia and pes cavus, without vitamin E deficiency — is typical of \
Friedreich ataxia. Gene panels based on short-read sequencing do not reliably detect the intronic GAA \
expansion in FXN, which is present on both alleles in about 96 % of patients; the remaining patients \
carry one expansion and a point variant on the other allele.

The splice-site variant c.385-2A>G abolishes the canonical acceptor of exon 4 and is predicted to \
cause exon skipping. Prof. Papadopoulos noted two published families with this variant in trans with \
an expanded allele. The panel recommends sizing the GAA repeat by repeat-primed PCR and long-range PCR \
before any further broad testing.

If no expansion is found, the differential diagnosis includes ataxia with oculomotor apraxia types 1 \
and 2, late-onset Tay–Sachs disease, and POLG-related disease. The long reference sequence quoted in \
the referral, NM_000144.5:c.385-2A>G/NC_000009.12:g.69053132A>G_ATTTCGATTTCGATTTCGATTTCG, was checked \
against the lab report.";

/// The sample outcome, validated like any draft, with every member but one
/// signed and the last one's comment recorded.
pub fn sample_outcome() -> OutcomeDocument {
    let composition: Vec<PanelMember> = MEMBERS
        .iter()
        .map(|(name, profession, hospital, country, role)| PanelMember {
            user: UserId::new(),
            name: (*name).into(),
            profession: (*profession).into(),
            hospital: (*hospital).into(),
            country: CountryCode::parse(country).expect("sample country"),
            role: *role,
            guest: false,
        })
        .collect();
    let diagnosis = |code: &str, label: &str, certainty| DraftDiagnosis {
        code: code.into(),
        label: label.into(),
        certainty,
    };
    let draft = OutcomeDraft {
        panel: PanelId::new(),
        reference: "P-2026-00417".into(),
        ern: ErnCode::parse("ERN-RND").expect("sample ERN"),
        version: 2,
        pseudonym: Pseudonym::from_random([7, 1, 4, 2, 8, 5, 7]),
        age: CaseAge::Years(9),
        sex: Sex::Female,
        country: CountryCode::parse("PL").expect("sample country"),
        case_summary: CASE_SUMMARY.into(),
        questions: vec![
            "Is Friedreich ataxia (compound heterozygosity for a GAA expansion and the splice variant) the most likely diagnosis, and which test confirms it?".into(),
            "If it is not confirmed, which differential diagnoses should be pursued next, and in what order?".into(),
            "Is the patient a candidate for omaveloxolone or for a clinical trial, and which baseline assessments are needed?".into(),
        ],
        composition,
        discussion: DISCUSSION.into(),
        diagnoses: vec![
            diagnosis("ORPHA:95", "Friedreich ataxia", Certainty::Probable),
            diagnosis("OMIM:229300", "Friedreich ataxia 1", Certainty::Probable),
            diagnosis("G11.1", "Early-onset cerebellar ataxia", Certainty::Confirmed),
            diagnosis("ORPHA:1168", "Ataxia with oculomotor apraxia type 1", Certainty::Possible),
            diagnosis("HP:0001638", "Cardiomyopathy", Certainty::Excluded),
        ],
        investigations: vec![
            "FXN GAA repeat sizing (repeat-primed and long-range PCR) in the patient, then segregation in both parents.".into(),
            "Echocardiography and ECG at baseline, repeated yearly, even without symptoms.".into(),
            "HbA1c and fasting glucose yearly.".into(),
            "If no expansion: alpha-fetoprotein, albumin, hexosaminidase A activity, and mitochondrial DNA analysis.".into(),
        ],
        plan: "Once the diagnosis is confirmed, the patient may be eligible for omaveloxolone from 16 years \
of age under its current authorisation; until then, referral to a paediatric trial centre is advised.

Intensive physiotherapy focused on balance and gait, orthopaedic follow-up of the feet and spine \
(scoliosis), and speech therapy for dysarthria are recommended now.".into(),
        follow_up: "Clinical review with the mFARS scale every 6 months. The panel asks the lead to reopen \
this consultation when the repeat sizing is available.".into(),
    };
    let mut outcome = draft.validate().expect("the sample outcome is valid");
    let signers: Vec<_> = outcome
        .composition
        .iter()
        .filter(|m| m.signs())
        .map(|m| m.user)
        .collect();
    let start: jiff::Timestamp = "2026-11-19T09:41:00Z".parse().expect("sample time");
    for (i, user) in signers.iter().enumerate() {
        let at = start + jiff::SignedDuration::from_mins(37 * i as i64);
        let answer = if i + 1 == signers.len() {
            SignOffAnswer::comment(
                "Please add that the echocardiogram must be read by a paediatric cardiologist.",
            )
            .expect("sample comment")
        } else {
            SignOffAnswer::Signed
        };
        outcome
            .sign_off(*user, at, answer)
            .expect("sample sign-off");
    }
    outcome
}
