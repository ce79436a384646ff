//! The panel outcome as a PDF: the sections of an [`OutcomeDocument`] laid
//! out for print, the disclaimer boxed, the sign-offs in a table with room
//! to sign by hand for those still to sign.

use cpms_domain::panel::PanelRole;
use cpms_domain::panel::outcome::{OutcomeDocument, SignOff, SignOffAnswer};
use cpms_domain::patient::Sex;
use cpms_domain::reference::COUNTRIES;

use crate::pdf::{Block, Column, Document, HeadingLevel, Metadata, PdfError, Signature, Table};

/// Who issues the document, printed under the title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Letterhead {
    /// The network's full name, e.g. "European Reference Network on Rare
    /// Neurological Diseases".
    pub network_name: String,
    /// The issuing system as the installation names itself.
    pub issuer: String,
}

/// Where a version stands when it is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Issue {
    /// Frozen and out for sign-off since this time.
    ForSignOff(jiff::Timestamp),
    /// Issued by the lead at closing, at this time.
    Closed(jiff::Timestamp),
}

impl Issue {
    /// The PDF's creation date: fixed per version and stage, so the same
    /// version always gives the same bytes.
    pub fn at(self) -> jiff::Timestamp {
        match self {
            Issue::ForSignOff(at) | Issue::Closed(at) => at,
        }
    }
}

/// Typesets `outcome` as it stands at `issue`.
pub fn render_outcome(
    outcome: &OutcomeDocument,
    letterhead: Option<&Letterhead>,
    issue: Issue,
) -> Result<Vec<u8>, PdfError> {
    crate::pdf::render(&outcome_document(outcome, letterhead, issue))
}

/// The typesetter's document for `outcome` (see [`render_outcome`]).
pub fn outcome_document(
    outcome: &OutcomeDocument,
    letterhead: Option<&Letterhead>,
    issue: Issue,
) -> Document {
    let ern = outcome.ern.as_str();
    let reference = &outcome.reference;
    let version = outcome.version;
    let network = match letterhead {
        Some(l) => format!("{ern} — {}", l.network_name),
        None => ern.to_owned(),
    };
    let mut blocks = vec![Block::KeyValue(vec![
        ("Panel".into(), reference.clone()),
        ("Outcome version".into(), version.to_string()),
        (
            "Patient (pseudonym)".into(),
            outcome.case.pseudonym.to_string(),
        ),
        ("Age".into(), outcome.case.age.describe()),
        ("Sex".into(), sex(outcome.case.sex).into()),
        (
            "Country of residence".into(),
            country(outcome.case.country.as_str()),
        ),
    ])];
    blocks.push(h1("1. Case summary (pseudonymised)"));
    blocks.extend(paragraphs(&outcome.case.summary));
    blocks.push(h1("2. Questions to the panel"));
    blocks.push(Block::Bullets(outcome.questions.clone()));
    blocks.push(h1("3. Panel composition"));
    blocks.push(composition(outcome));
    blocks.push(h1("4. Discussion summary"));
    blocks.extend(paragraphs(&outcome.discussion));
    blocks.extend(conclusions(outcome));
    blocks.push(Block::Notice {
        title: "Non-binding advice".into(),
        text: outcome.disclaimer.clone(),
    });
    blocks.push(h1("6. Sign-off"));
    blocks.push(Block::Signatures(signatures(outcome, issue)));
    let issuer = letterhead.map_or("ERN-CPMS", |l| l.issuer.as_str());
    Document {
        title: format!("Panel outcome — {reference}"),
        subtitle: Some(network),
        metadata: Metadata {
            author: issuer.to_owned(),
            subject: format!("Outcome of panel {reference} ({ern}), version {version}"),
            created: issue.at(),
            language: "en".into(),
        },
        blocks,
        footer: format!(
            "{ern} · {reference} · version {version} · {} · non-binding expert advice",
            outcome.case.pseudonym
        ),
    }
}

fn h1(text: &str) -> Block {
    Block::Heading {
        level: HeadingLevel::One,
        text: text.into(),
    }
}

fn h2(text: &str) -> Block {
    Block::Heading {
        level: HeadingLevel::Two,
        text: text.into(),
    }
}

/// Blank lines separate paragraphs, as people type them in a text area.
fn paragraphs(text: &str) -> Vec<Block> {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| Block::Paragraph(p.to_owned()))
        .collect()
}

fn table(columns: &[(&str, f32)], rows: Vec<Vec<String>>) -> Block {
    Block::Table(Table {
        columns: columns
            .iter()
            .map(|(title, width)| Column {
                title: (*title).into(),
                width: *width,
            })
            .collect(),
        rows,
    })
}

fn composition(outcome: &OutcomeDocument) -> Block {
    let rows = outcome
        .composition
        .iter()
        .map(|m| {
            vec![
                m.name.clone(),
                m.profession.clone(),
                m.hospital_label(),
                m.country.to_string(),
                m.role.label().into(),
            ]
        })
        .collect();
    table(
        &[
            ("Name", 2.0),
            ("Profession", 1.6),
            ("Hospital", 2.6),
            ("Country", 0.9),
            ("Role", 1.2),
        ],
        rows,
    )
}

fn conclusions(outcome: &OutcomeDocument) -> Vec<Block> {
    let c = &outcome.conclusions;
    let diagnoses = c
        .diagnoses
        .iter()
        .map(|d| {
            vec![
                d.code.to_string(),
                d.code.system().label().into(),
                d.label.clone(),
                d.certainty.label().into(),
            ]
        })
        .collect();
    let investigations = if c.investigations.is_empty() {
        Block::Paragraph("No further investigations are recommended.".into())
    } else {
        Block::Bullets(c.investigations.clone())
    };
    let mut blocks = vec![
        h1("5. Conclusions"),
        h2("5.1 Diagnosis or differential diagnosis"),
        table(
            &[
                ("Code", 1.2),
                ("System", 0.8),
                ("Diagnosis", 3.0),
                ("Certainty", 1.5),
            ],
            diagnoses,
        ),
        h2("5.2 Recommended investigations"),
        investigations,
        h2("5.3 Treatment and management plan"),
    ];
    blocks.extend(paragraphs(&c.plan));
    blocks.push(h2("5.4 Follow-up"));
    blocks.extend(paragraphs(&c.follow_up));
    blocks
}

/// One row per lead and member, in composition order; managers do not sign.
/// Once closed, a lead who did not sign is shown as issuing the document
/// (closing is their act), not as still to sign.
fn signatures(outcome: &OutcomeDocument, issue: Issue) -> Vec<Signature> {
    outcome
        .composition
        .iter()
        .filter(|m| m.signs())
        .map(|m| Signature {
            name: m.name.clone(),
            role: m.role.label().into(),
            signed: match (outcome.answer_of(m.user), issue) {
                (Some(s), _) => Some(answer(s)),
                (None, Issue::Closed(at)) if m.role == PanelRole::Lead => {
                    Some(format!("Issued {}", when(at)))
                }
                (None, _) => None,
            },
        })
        .collect()
}

fn answer(s: &SignOff) -> String {
    let when = when(s.at);
    match &s.answer {
        SignOffAnswer::Signed => format!("Signed {when}"),
        SignOffAnswer::Comment { text } => format!("Not signed. Comment {when}: {text}"),
    }
}

fn when(at: jiff::Timestamp) -> String {
    at.to_zoned(jiff::tz::TimeZone::UTC)
        .strftime("%-d %b %Y %H:%M UTC")
        .to_string()
}

fn sex(sex: Sex) -> &'static str {
    match sex {
        Sex::Female => "Female",
        Sex::Male => "Male",
        Sex::Unknown => "Not known",
    }
}

fn country(code: &str) -> String {
    match COUNTRIES.iter().find(|(c, _, _)| *c == code) {
        Some((_, name, _)) => format!("{name} ({code})"),
        None => code.to_owned(),
    }
}

#[cfg(test)]
mod tests;
