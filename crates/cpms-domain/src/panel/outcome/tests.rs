use proptest::prelude::*;

use super::*;

fn pseudonym() -> Pseudonym {
    Pseudonym::from_random([1, 2, 3, 4, 5, 6, 7])
}

fn person(name: &str, role: PanelRole) -> PanelMember {
    PanelMember {
        user: UserId::new(),
        name: name.into(),
        profession: "Neurologist".into(),
        hospital: "Rigshospitalet".into(),
        country: CountryCode::parse("DK").unwrap(),
        role,
        guest: false,
    }
}

fn draft() -> OutcomeDraft {
    OutcomeDraft {
        panel: PanelId::new(),
        reference: "P-2026-00417".into(),
        ern: ErnCode::parse("ERN-RND").unwrap(),
        version: 1,
        pseudonym: pseudonym(),
        age: CaseAge::Years(9),
        sex: Sex::Female,
        country: CountryCode::parse("PL").unwrap(),
        case_summary: "Progressive ataxia since 4 years.".into(),
        questions: vec!["Is it Friedreich ataxia?".into(), "  ".into()],
        composition: vec![
            person("Dr. Lead", PanelRole::Lead),
            person("Dr. Member", PanelRole::Member),
            person("Ms. Manager", PanelRole::Manager),
        ],
        discussion: "The panel agreed on repeat sizing.".into(),
        diagnoses: vec![
            DraftDiagnosis {
                code: " orpha:95 ".into(),
                label: "Friedreich ataxia".into(),
                certainty: Certainty::Probable,
            },
            DraftDiagnosis {
                code: "G11.1".into(),
                label: "Early-onset cerebellar ataxia".into(),
                certainty: Certainty::Confirmed,
            },
        ],
        investigations: vec!["FXN GAA repeat sizing".into(), String::new()],
        plan: "Physiotherapy.".into(),
        follow_up: "Review in 6 months.".into(),
    }
}

fn fields(err: &InvalidOutcome) -> Vec<&'static str> {
    err.errors.iter().map(|e| e.field).collect()
}

#[test]
fn a_complete_draft_validates_with_our_disclaimer_and_no_sign_offs() {
    let doc = draft().validate().unwrap();
    assert_eq!(
        doc.questions,
        ["Is it Friedreich ataxia?"],
        "blank rows dropped"
    );
    assert_eq!(doc.conclusions.investigations.len(), 1);
    assert_eq!(doc.conclusions.diagnoses[0].code.as_str(), "ORPHA:95");
    assert_eq!(
        doc.conclusions.diagnoses[0].code.system(),
        TermSystem::Orpha
    );
    assert_eq!(
        doc.conclusions.diagnoses[1].code.system(),
        TermSystem::Icd10
    );
    assert_eq!(doc.disclaimer, DISCLAIMER);
    assert!(doc.sign_offs.is_empty());
}

#[test]
fn every_missing_section_is_named() {
    let mut d = draft();
    d.case_summary = " ".into();
    d.questions = vec![String::new()];
    d.discussion.clear();
    d.diagnoses.clear();
    d.plan.clear();
    d.follow_up.clear();
    d.reference.clear();
    d.version = 0;
    let err = d.validate().unwrap_err();
    let mut named = fields(&err);
    named.sort_unstable();
    assert_eq!(
        named,
        [
            "case_summary",
            "diagnoses",
            "discussion",
            "follow_up",
            "plan",
            "questions",
            "reference",
            "version"
        ]
    );
    assert!(
        err.to_string().contains("diagnoses: name the diagnosis"),
        "{err}"
    );
}

#[test]
fn lengths_and_counts_are_bounded() {
    let mut d = draft();
    d.plan = "x".repeat(MAX_PLAN_CHARS + 1);
    d.questions = vec!["q".into(); MAX_QUESTIONS + 1];
    d.investigations = vec!["fine".into(), "y".repeat(MAX_INVESTIGATION_CHARS + 1)];
    let err = d.validate().unwrap_err();
    let messages: Vec<String> = err.errors.iter().map(|e| e.to_string()).collect();
    assert!(messages.contains(&format!(
        "plan: must be at most {MAX_PLAN_CHARS} characters"
    )));
    assert!(messages.contains(&format!("questions: at most {MAX_QUESTIONS} entries")));
    assert!(
        messages.contains(&format!(
            "investigations: entry 2: must be at most {MAX_INVESTIGATION_CHARS} characters"
        )),
        "{messages:?}"
    );
}

#[test]
fn bad_and_repeated_codes_are_refused_with_their_entry() {
    let mut d = draft();
    d.diagnoses[1].code = "ORPHA95".into();
    d.diagnoses.push(DraftDiagnosis {
        code: "ORPHA:95".into(),
        label: String::new(),
        certainty: Certainty::Excluded,
    });
    d.diagnoses.push(DraftDiagnosis {
        code: "ORPHA:95".into(),
        label: "Again".into(),
        certainty: Certainty::Excluded,
    });
    let err = d.validate().unwrap_err();
    let messages: Vec<String> = err.errors.iter().map(|e| e.message.clone()).collect();
    assert_eq!(
        messages,
        [
            "entry 2: 'ORPHA95' is not a code like ORPHA:558, OMIM:154700, ICD-10 E75.2 or HP:0001250",
            "entry 3: label is required",
            "entry 4: ORPHA:95 is listed twice",
        ]
    );
    assert!(fields(&err).iter().all(|f| *f == "diagnoses"));
}

#[test]
fn the_composition_needs_one_lead_and_accepted_distinct_people() {
    let mut d = draft();
    d.composition[0].role = PanelRole::Member;
    let invited = person("Dr. Maybe", PanelRole::Invited);
    let twice = d.composition[1].clone();
    d.composition.extend([invited, twice]);
    d.composition[2].hospital = "\u{7}".into();
    let err = d.validate().unwrap_err();
    let messages: Vec<String> = err.errors.iter().map(|e| e.to_string()).collect();
    assert_eq!(
        messages,
        [
            "composition: needs exactly one lead, found 0",
            "composition: entry 3: hospital contains control characters",
            "composition: entry 4: has not accepted the invitation",
            "composition: entry 5: is listed twice",
        ]
    );
}

#[test]
fn well_formed_codes_of_each_system() {
    let ok = [
        ("ORPHA:558", TermSystem::Orpha),
        ("ORPHA:616874", TermSystem::Orpha),
        ("OMIM:154700", TermSystem::Omim),
        ("E75.2", TermSystem::Icd10),
        ("G11", TermSystem::Icd10),
        ("g11.10", TermSystem::Icd10),
        ("HP:0001250", TermSystem::Hpo),
    ];
    for (raw, system) in ok {
        let code = TermCode::parse(raw).unwrap();
        assert_eq!(code.system(), system, "{raw}");
    }
    let bad = [
        "",
        "ORPHA:",
        "ORPHA:0",
        "ORPHA:012",
        "ORPHA:12345678",
        "OMIM:15470",
        "OMIM:1547000",
        "HP:000125",
        "HP:00012500",
        "E7",
        "E75.",
        "E75.12345",
        "75.2",
        "EE5.2",
        "HPO:0001250",
        "E75-2",
        "ORPHA:9 5",
    ];
    for raw in bad {
        let err = TermCode::parse(raw).unwrap_err();
        assert_eq!(err.field, "code", "{raw}");
    }
}

#[test]
fn sign_offs_come_from_members_and_the_last_answer_counts() {
    let mut doc = draft().validate().unwrap();
    let [lead, member, manager] = [0, 1, 2].map(|i| doc.composition[i].user);
    let at = jiff::Timestamp::UNIX_EPOCH;
    assert!(!doc.fully_signed());
    let err = doc
        .sign_off(manager, at, SignOffAnswer::Signed)
        .unwrap_err();
    assert_eq!(err.message, "a panel manager does not sign the outcome");
    let stranger = UserId::new();
    assert!(doc.sign_off(stranger, at, SignOffAnswer::Signed).is_err());
    doc.sign_off(lead, at, SignOffAnswer::Signed).unwrap();
    let comment = SignOffAnswer::comment("  Please add the echo.  ").unwrap();
    doc.sign_off(member, at, comment).unwrap();
    assert!(!doc.fully_signed(), "a comment is not a signature");
    assert_eq!(
        doc.answer_of(member).unwrap().answer,
        SignOffAnswer::Comment {
            text: "Please add the echo.".into()
        }
    );
    doc.sign_off(member, at, SignOffAnswer::Signed).unwrap();
    assert_eq!(doc.sign_offs.len(), 2, "the comment was replaced");
    assert!(doc.fully_signed());
    assert_eq!(SignOffAnswer::comment(" ").unwrap_err().field, "comment");
}

#[test]
fn reopening_drafts_the_next_version_with_the_same_content() {
    let mut doc = draft().validate().unwrap();
    let lead = doc.composition[0].user;
    doc.sign_off(lead, jiff::Timestamp::UNIX_EPOCH, SignOffAnswer::Signed)
        .unwrap();
    let next = doc.next_draft().validate().unwrap();
    assert_eq!(next.version, 2);
    assert!(next.sign_offs.is_empty(), "a new version is signed anew");
    assert_eq!(
        OutcomeDocument {
            version: 1,
            sign_offs: doc.sign_offs.clone(),
            ..next
        },
        doc
    );
}

#[test]
fn the_stored_json_has_no_identifying_field_and_reads_back() {
    let mut doc = draft().validate().unwrap();
    let lead = doc.composition[0].user;
    doc.sign_off(lead, jiff::Timestamp::UNIX_EPOCH, SignOffAnswer::Signed)
        .unwrap();
    let json = serde_json::to_string(&doc).unwrap();
    for word in ["name\":\"Anna", "date_of_birth", "record_number"] {
        assert!(!json.contains(word), "{word} in {json}");
    }
    assert!(json.contains("\"code\":\"ORPHA:95\""), "{json}");
    let back: OutcomeDocument = serde_json::from_str(&json).unwrap();
    assert_eq!(back, doc);
    let tampered = json.replace("ORPHA:95", "ORPHA:x");
    assert!(serde_json::from_str::<OutcomeDocument>(&tampered).is_err());
}

#[test]
fn certainty_and_age_read_and_show() {
    for c in Certainty::ALL {
        assert_eq!(Certainty::parse(c.as_str()).unwrap(), c);
    }
    assert_eq!(Certainty::parse("sure").unwrap_err().field, "certainty");
    assert_eq!(CaseAge::Years(1).describe(), "1 year");
    assert_eq!(CaseAge::BirthYear(2017).describe(), "born 2017");
}

proptest! {
    /// Whatever is typed, parsing never panics, and what it accepts is
    /// canonical: parsing the result again gives the same code and the
    /// same system, and it survives JSON.
    #[test]
    fn parsing_codes_is_total_and_canonical(raw in "(ORPHA:|OMIM:|HP:|[A-Za-z])?[0-9A-Za-z.:]{0,9}") {
        if let Ok(code) = TermCode::parse(&raw) {
            let again = TermCode::parse(code.as_str()).unwrap();
            prop_assert_eq!(&again, &code);
            prop_assert_eq!(again.system(), code.system());
            let json = serde_json::to_string(&code).unwrap();
            prop_assert_eq!(serde_json::from_str::<TermCode>(&json).unwrap(), code);
        }
    }

    /// Generated well-formed codes of every system are accepted.
    #[test]
    fn generated_codes_are_accepted(
        orpha in 1u32..10_000_000,
        omim in 100_000u32..1_000_000,
        hpo in 0u32..10_000_000,
        letter in proptest::char::range('A', 'Z'),
        icd in 0u32..100,
        sub in proptest::option::of("[0-9A-Z]{1,4}"),
    ) {
        let icd = match sub {
            Some(s) => format!("{letter}{icd:02}.{s}"),
            None => format!("{letter}{icd:02}"),
        };
        for (raw, system) in [
            (format!("ORPHA:{orpha}"), TermSystem::Orpha),
            (format!("OMIM:{omim}"), TermSystem::Omim),
            (format!("HP:{hpo:07}"), TermSystem::Hpo),
            (icd, TermSystem::Icd10),
        ] {
            prop_assert_eq!(TermCode::parse(&raw).map(|c| c.system()), Ok(system), "{}", raw);
        }
    }
}
