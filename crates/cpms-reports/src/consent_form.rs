//! The model consent form a centre prints, has the patient (or their legal
//! representative) read and sign, and keeps. Plain wording: what is shared,
//! with whom, what is optional, and how to withdraw.

use crate::pdf::{Block, Document, HeadingLevel, Metadata, Signature};

/// Who the form is for.
#[derive(Debug, Clone)]
pub struct ConsentFormCentre {
    pub name: String,
    pub city: String,
    /// Codes of the networks the centre belongs to.
    pub networks: Vec<String>,
}

pub fn consent_form(centre: &ConsentFormCentre, created: jiff::Timestamp) -> Document {
    let networks = if centre.networks.is_empty() {
        "the European Reference Networks".to_owned()
    } else {
        format!(
            "the European Reference Network(s) {}",
            centre.networks.join(", ")
        )
    };
    let heading = |text: &str| Block::Heading {
        level: HeadingLevel::Two,
        text: text.into(),
    };
    let tick = |text: &str| format!("[  ] Yes   [  ] No   {text}");
    Document {
        title: "Consent to sharing for a virtual consultation".into(),
        subtitle: Some(format!("{}, {}", centre.name, centre.city)),
        metadata: Metadata {
            author: "ERN-CPMS".into(),
            subject: "Model patient consent form".into(),
            created,
            language: "en".into(),
        },
        blocks: vec![
            Block::Paragraph(format!(
                "Your doctor at {} would like to ask experts of {networks} for advice about your \
                 care. This form explains what that means and asks for your consent. Take your \
                 time; ask any question before signing.",
                centre.name
            )),
            heading("What is shared, and with whom"),
            Block::Bullets(vec![
                "Your name, date of birth and hospital record number stay at this hospital. \
                 They are stored encrypted and are never shown to the experts."
                    .into(),
                "The experts see a code (a pseudonym), your sex, year of birth and country, \
                 and the medical information your doctor chooses to share: symptoms, \
                 diagnoses, test results, images and family history."
                    .into(),
                "Only the experts invited to discuss your case can see it. Every access is \
                 recorded."
                    .into(),
            ]),
            heading("Your choices"),
            Block::Paragraph(tick(
                "I agree that my information is shared with the experts for this \
                 consultation (required for the consultation).",
            )),
            Block::Paragraph(tick(
                "I agree that my pseudonymised information may be entered in registries and \
                 databases of the network, to improve knowledge of rare diseases.",
            )),
            Block::Paragraph(tick(
                "I agree to be contacted by my doctor about research I might take part in.",
            )),
            heading("Your rights"),
            Block::Bullets(vec![
                "Saying no, or changing your mind later, does not change the care you receive."
                    .into(),
                "You can withdraw your consent at any time by telling your doctor. Your record \
                 is then locked and no longer shared."
                    .into(),
                "You can ask for a copy of everything held about you, and ask for it to be \
                 erased."
                    .into(),
            ]),
            Block::Notice {
                title: "For the hospital".into(),
                text: "Keep the signed form in the patient's file. You may also attach a scan \
                       of it to the record at enrolment."
                    .into(),
            },
            Block::KeyValue(vec![
                ("Patient's name".into(), String::new()),
                ("Date of birth".into(), String::new()),
                ("Date".into(), String::new()),
            ]),
            Block::Signatures(vec![
                Signature {
                    name: String::new(),
                    role: "Patient or legal representative".into(),
                    signed: None,
                },
                Signature {
                    name: String::new(),
                    role: "Doctor".into(),
                    signed: None,
                },
            ]),
        ],
        footer: "Model consent form · ERN-CPMS".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_names_the_centre_and_typesets() {
        let centre = ConsentFormCentre {
            name: "Ospedale San Gerardo".into(),
            city: "Monza".into(),
            networks: vec!["ITHACA".into()],
        };
        let document = consent_form(&centre, jiff::Timestamp::UNIX_EPOCH);
        assert_eq!(
            document.subtitle.as_deref(),
            Some("Ospedale San Gerardo, Monza")
        );
        let bytes = crate::pdf::render(&document).unwrap();
        assert!(bytes.starts_with(b"%PDF-"));
    }
}
