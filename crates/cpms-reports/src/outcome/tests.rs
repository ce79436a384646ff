use super::*;
use crate::pdf::tests::{pages, poppler};
use cpms_domain::org::CountryCode;

#[path = "../../examples/sample/outcome.rs"]
mod sample;

fn issued() -> Issue {
    Issue::ForSignOff("2026-11-20T14:02:00Z".parse().unwrap())
}

fn letterhead() -> Letterhead {
    Letterhead {
        network_name: "European Reference Network on Rare Neurological Diseases".into(),
        issuer: "ERN-CPMS test".into(),
    }
}

/// The PDF's text with every run of white space made one space, so text
/// wrapped over lines reads as typed.
fn flat_text(pdf: &[u8]) -> String {
    pages(pdf)
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn the_pdf_shows_every_section() {
    let outcome = sample::sample_outcome();
    let pdf = render_outcome(&outcome, Some(&letterhead()), issued()).unwrap();
    let text = flat_text(&pdf);
    let pseudonym = outcome.case.pseudonym.to_string();
    let expected = [
        "Panel outcome — P-2026-00417",
        "ERN-RND — European Reference Network on Rare Neurological Diseases",
        "Outcome version 2",
        pseudonym.as_str(),
        "9 years",
        "Female",
        "Poland (PL)",
        "1. Case summary (pseudonymised)",
        "presented at 4 years with an unsteady gait",
        "2. Questions to the panel",
        "which test confirms it?",
        "3. Panel composition",
        "Paediatric neurologist",
        "Panel manager",
        "4. Discussion summary",
        "late-onset Tay–Sachs disease",
        "5. Conclusions",
        "5.1 Diagnosis or differential diagnosis",
        "ORPHA:95",
        "OMIM:229300",
        "G11.1",
        "HP:0001638",
        "Possible (differential)",
        "5.2 Recommended investigations",
        "HbA1c and fasting glucose yearly.",
        "5.3 Treatment and management plan",
        "speech therapy for dysarthria",
        "5.4 Follow-up",
        "mFARS scale every 6 months",
        "Non-binding advice",
        "It is advice, not a prescription",
        "6. Sign-off",
        "Signed 19 Nov 2026 09:41 UTC",
        "Not signed. Comment 19 Nov 2026",
        "Page 1 of",
        "non-binding expert advice",
    ];
    for phrase in expected {
        assert!(text.contains(phrase), "{phrase:?} missing from:\n{text}");
    }
    for member in &outcome.composition {
        // Names may wrap inside their cell: look for each word.
        for word in member.name.split_whitespace() {
            assert!(text.contains(word), "{word:?} of {:?} missing", member.name);
        }
    }
}

#[test]
fn the_pdf_carries_nothing_that_identifies_the_patient() {
    // The enrolling hospital knows these; the outcome has no place for
    // them, and neither its text nor its metadata may show them.
    let identity = [
        "Anna",
        "Rossi",
        "2017-03-04",
        "04/03/2017",
        "4 March 2017",
        "MRN-884213",
    ];
    let outcome = sample::sample_outcome();
    let pdf = render_outcome(&outcome, None, issued()).unwrap();
    let text = flat_text(&pdf);
    let info = poppler("pdfinfo", &pdf, &[]);
    for value in identity {
        assert!(!text.contains(value), "{value} in the text");
        assert!(!info.contains(value), "{value} in the metadata");
    }
    assert!(text.contains(&outcome.case.pseudonym.to_string()));
    assert!(
        info.contains("ERN-CPMS"),
        "default issuer as author: {info}"
    );
}

#[test]
fn unsigned_members_get_an_empty_row_and_managers_none() {
    let mut outcome = sample::sample_outcome();
    outcome.sign_offs.clear();
    outcome.conclusions.investigations.clear();
    let document = outcome_document(&outcome, None, issued());
    let signatures = document
        .blocks
        .iter()
        .find_map(|b| match b {
            Block::Signatures(s) => Some(s),
            _ => None,
        })
        .unwrap();
    let signers = outcome.composition.iter().filter(|m| m.signs()).count();
    assert_eq!(signatures.len(), signers);
    assert!(signatures.iter().all(|s| s.signed.is_none()));
    assert!(!signatures.iter().any(|s| s.role == "Panel manager"));
    let text = flat_text(&crate::pdf::render(&document).unwrap());
    assert!(text.contains("No further investigations are recommended."));
}

#[test]
fn the_same_version_renders_the_same_bytes() {
    let outcome = sample::sample_outcome();
    let first = render_outcome(&outcome, Some(&letterhead()), issued()).unwrap();
    let again = render_outcome(&outcome, Some(&letterhead()), issued()).unwrap();
    assert_eq!(first, again);
}

fn signatures_of(document: &Document) -> &[Signature] {
    document
        .blocks
        .iter()
        .find_map(|b| match b {
            Block::Signatures(s) => Some(s.as_slice()),
            _ => None,
        })
        .unwrap()
}

#[test]
fn a_closed_version_shows_its_lead_as_issuing_it() {
    let mut outcome = sample::sample_outcome();
    let lead = outcome
        .composition
        .iter()
        .find(|m| m.role == PanelRole::Lead)
        .unwrap()
        .clone();
    outcome.sign_offs.retain(|s| s.user != lead.user);
    let closed: jiff::Timestamp = "2026-11-22T09:30:00Z".parse().unwrap();

    let out_for_sign_off = outcome_document(&outcome, None, issued());
    let row = |d: &Document| {
        signatures_of(d)
            .iter()
            .find(|s| s.name == lead.name)
            .unwrap()
            .signed
            .clone()
    };
    assert_eq!(row(&out_for_sign_off), None, "still to sign");

    let issued_at_closing = outcome_document(&outcome, None, Issue::Closed(closed));
    assert_eq!(
        row(&issued_at_closing).as_deref(),
        Some("Issued 22 Nov 2026 09:30 UTC")
    );
    let others = |d: &Document| {
        signatures_of(d)
            .iter()
            .filter(|s| s.name != lead.name)
            .map(|s| s.signed.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        others(&out_for_sign_off),
        others(&issued_at_closing),
        "members read the same"
    );
    let text = flat_text(&crate::pdf::render(&issued_at_closing).unwrap());
    assert!(text.contains("Issued 22 Nov 2026 09:30 UTC"), "{text}");
}

#[test]
fn a_guest_is_listed_with_the_hospital_they_named() {
    let mut outcome = sample::sample_outcome();
    let guest = outcome
        .composition
        .iter_mut()
        .find(|m| m.role == PanelRole::Member)
        .unwrap();
    guest.hospital = "Oslo University Hospital".into();
    guest.country = CountryCode::parse("NO").unwrap();
    guest.guest = true;
    let text = flat_text(&render_outcome(&outcome, None, issued()).unwrap());
    assert!(text.contains("Oslo University Hospital (guest)"), "{text}");
}
