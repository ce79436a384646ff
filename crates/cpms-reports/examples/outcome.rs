//! Builds a realistic panel outcome document and writes it as a PDF.
//!
//! `cargo run -p cpms-reports --example outcome -- out.pdf` writes the file;
//! `-- out.pdf --time 20` also renders it 20 times and prints timings (used
//! by `bench/pdf.sh`).

use std::time::{Duration, Instant};

use cpms_reports::pdf::{
    Block, Column, Document, HeadingLevel, Metadata, Signature, Table, render,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().unwrap_or_else(|| "outcome.pdf".into());
    let repeat = match (args.next().as_deref(), args.next()) {
        (Some("--time"), Some(n)) => Some(n.parse::<usize>()?),
        (None, _) => None,
        _ => return Err("usage: outcome [FILE.pdf] [--time N]".into()),
    };
    let document = outcome_document();
    let bytes = render(&document)?;
    std::fs::write(&path, &bytes)?;
    println!("wrote {path} ({} bytes)", bytes.len());
    if let Some(n) = repeat {
        time(&document, &path, n.max(1))?;
    }
    Ok(())
}

/// Renders `n` times, then writes the same bytes `n` times as a floor, and
/// prints the median and 90th percentile of both in milliseconds.
fn time(document: &Document, path: &str, n: usize) -> Result<(), Box<dyn std::error::Error>> {
    let mut render_times = Vec::with_capacity(n);
    let mut bytes = Vec::new();
    for _ in 0..n {
        let start = Instant::now();
        bytes = render(document)?;
        render_times.push(start.elapsed());
    }
    let mut write_times = Vec::with_capacity(n);
    for _ in 0..n {
        let start = Instant::now();
        std::fs::write(path, &bytes)?;
        write_times.push(start.elapsed());
    }
    let (median, p90) = stats(&mut render_times);
    let (floor_median, floor_p90) = stats(&mut write_times);
    println!("render_median_ms={median:.3} render_p90_ms={p90:.3}");
    println!("write_median_ms={floor_median:.3} write_p90_ms={floor_p90:.3}");
    Ok(())
}

fn stats(times: &mut [Duration]) -> (f64, f64) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    (ms(at(0.5)), ms(at(0.9)))
}

fn text(s: &str) -> String {
    s.to_owned()
}

fn heading(level: HeadingLevel, s: &str) -> Block {
    Block::Heading {
        level,
        text: text(s),
    }
}

fn outcome_document() -> Document {
    Document {
        title: text("Panel outcome — ERN-RND case consultation P-2026-00417"),
        subtitle: Some(text(
            "Outcome version 2 · closed 20 November 2026 · pseudonymised case RND-7Q2K-93XD",
        )),
        metadata: Metadata {
            author: text("Dr. Małgorzata Wiśniewska-Kovač (panel lead)"),
            subject: text("Outcome of virtual panel P-2026-00417, ERN-RND"),
            created: "2026-11-20T14:02:00Z"
                .parse()
                .unwrap_or(jiff::Timestamp::UNIX_EPOCH),
            language: text("en"),
        },
        blocks: blocks(),
        footer: text(
            "ERN-RND · P-2026-00417 · Non-binding expert advice; the treating clinician remains responsible for care",
        ),
    }
}

fn blocks() -> Vec<Block> {
    let mut blocks = vec![
        Block::KeyValue(vec![
            (
                text("Network"),
                text("ERN-RND — Rare Neurological Diseases"),
            ),
            (
                text("Thematic area"),
                text("Ataxias and hereditary spastic paraplegias"),
            ),
            (text("Panel type"), text("Diagnosis")),
            (text("Urgency"), text("Routine")),
            (
                text("Panel lead"),
                text(
                    "Dr. Małgorzata Wiśniewska-Kovač, Uniwersytecki Szpital Kliniczny, Wrocław (PL)",
                ),
            ),
            (text("Submitted"), text("2 October 2026")),
            (text("Closed"), text("20 November 2026")),
        ]),
        heading(HeadingLevel::One, "1. Pseudonymised case summary"),
        Block::Paragraph(text(
            "A 9-year-old girl (age band 5–9) born to healthy, reportedly non-consanguineous parents \
             presented at 4 years with an unsteady gait and frequent falls. Over five years she developed \
             progressive cerebellar ataxia, dysarthria, pes cavus and reduced tendon reflexes in the lower \
             limbs. Cognitive development is age-appropriate. A maternal great-uncle is said to have used a \
             wheelchair from his thirties; no records are available.",
        )),
        Block::Paragraph(text(
            "Brain MRI at 8 years showed mild cerebellar vermis atrophy without signal changes. Nerve \
             conduction studies showed a sensory axonal neuropathy. Vitamin E, lipid profile, \
             alpha-fetoprotein and lactate were normal. A 250-gene ataxia panel found a single \
             heterozygous variant of uncertain significance, NM_000144.5(FXN):c.385-2A>G, and the GAA \
             repeat in FXN was not sized by the panel method.",
        )),
        Block::Table(Table {
            columns: vec![
                Column {
                    title: text("HPO term"),
                    width: 1.0,
                },
                Column {
                    title: text("Label"),
                    width: 2.6,
                },
                Column {
                    title: text("Status"),
                    width: 1.0,
                },
                Column {
                    title: text("Onset"),
                    width: 1.0,
                },
            ],
            rows: vec![
                vec![
                    text("HP:0001251"),
                    text("Ataxia"),
                    text("Observed"),
                    text("4 years"),
                ],
                vec![
                    text("HP:0001260"),
                    text("Dysarthria"),
                    text("Observed"),
                    text("6 years"),
                ],
                vec![
                    text("HP:0001761"),
                    text("Pes cavus"),
                    text("Observed"),
                    text("7 years"),
                ],
                vec![
                    text("HP:0003477"),
                    text("Peripheral axonal neuropathy"),
                    text("Observed"),
                    text("8 years"),
                ],
                vec![
                    text("HP:0001638"),
                    text("Cardiomyopathy"),
                    text("Excluded"),
                    text("—"),
                ],
                vec![
                    text("HP:0000819"),
                    text("Diabetes mellitus"),
                    text("Excluded"),
                    text("—"),
                ],
            ],
        }),
        heading(HeadingLevel::One, "2. Questions to the panel"),
        Block::Bullets(vec![
            text(
                "Is Friedreich ataxia (compound heterozygosity for a GAA expansion and the splice variant) the most likely diagnosis, and which test confirms it?",
            ),
            text(
                "If it is not confirmed, which differential diagnoses should be pursued next, and in what order?",
            ),
            text(
                "Is the patient a candidate for omaveloxolone or for a clinical trial, and which baseline assessments are needed?",
            ),
        ]),
        heading(HeadingLevel::One, "3. Panel composition"),
        Block::Table(Table {
            columns: vec![
                Column {
                    title: text("Expert"),
                    width: 2.1,
                },
                Column {
                    title: text("Profession"),
                    width: 1.6,
                },
                Column {
                    title: text("Healthcare provider"),
                    width: 2.5,
                },
                Column {
                    title: text("Country"),
                    width: 0.9,
                },
                Column {
                    title: text("Contributed"),
                    width: 1.4,
                },
            ],
            rows: panel_members(),
        }),
        heading(HeadingLevel::One, "4. Discussion summary"),
    ];
    blocks.extend(discussion());
    blocks.extend(conclusions());
    blocks.extend([
        Block::Notice {
            title: text("Non-binding advice"),
            text: text(
                "This outcome is the opinion of the experts of the panel, given on the basis of the \
                 pseudonymised information shared with them. It does not replace a clinical examination. \
                 The treating clinician remains responsible for diagnosis and treatment decisions and for \
                 informing the patient and family.",
            ),
        },
        heading(HeadingLevel::One, "7. Sign-off"),
        Block::Signatures(vec![
            Signature { name: text("Dr. Małgorzata Wiśniewska-Kovač"), role: text("Panel lead"), signed: Some(text("Signed electronically 20 Nov 2026 14:02 UTC")) },
            Signature { name: text("Prof. Γεώργιος Παπαδόπουλος"), role: text("Member"), signed: Some(text("Signed electronically 19 Nov 2026 09:41 UTC")) },
            Signature { name: text("Dr. Олена Шевченко"), role: text("Member"), signed: Some(text("Signed electronically 19 Nov 2026 17:05 UTC")) },
            Signature { name: text("Dr. Søren Ødegård-Jørgensen"), role: text("Member"), signed: None },
        ]),
    ]);
    blocks
}

fn panel_members() -> Vec<Vec<String>> {
    [
        [
            "Dr. Małgorzata Wiśniewska-Kovač (lead)",
            "Paediatric neurologist",
            "Uniwersytecki Szpital Kliniczny we Wrocławiu",
            "PL",
            "Yes",
        ],
        [
            "Prof. Γεώργιος Παπαδόπουλος",
            "Neurogeneticist",
            "Πανεπιστημιακό Γενικό Νοσοκομείο Αττικόν",
            "GR",
            "Yes",
        ],
        [
            "Dr. Олена Шевченко",
            "Child neurologist",
            "Національна дитяча спеціалізована лікарня «Охматдит»",
            "UA",
            "Yes",
        ],
        [
            "Dr. Søren Ødegård-Jørgensen",
            "Clinical geneticist",
            "Rigshospitalet, København",
            "DK",
            "Yes",
        ],
        [
            "Dr. Ana Đorđević",
            "Neurophysiologist",
            "Klinički centar Srbije (guest centre)",
            "RS",
            "Yes",
        ],
        [
            "Prof. Jean-François Lefèvre",
            "Neurologist",
            "Hôpital de la Pitié-Salpêtrière, AP-HP",
            "FR",
            "Yes",
        ],
        [
            "Dr. Ľubomír Šťastný",
            "Cardiologist",
            "Národný ústav srdcových a cievnych chorôb",
            "SK",
            "No",
        ],
        [
            "Dr. Ioana Țurcanu",
            "Physiotherapist",
            "Spitalul Clinic de Copii „Grigore Alexandrescu”",
            "RO",
            "Yes",
        ],
        [
            "Dr. Гергана Димитрова",
            "Geneticist",
            "УМБАЛ „Александровска“, София",
            "BG",
            "Yes",
        ],
        [
            "Dr. Eoin Ó Súilleabháin",
            "Neuroradiologist",
            "Children's Health Ireland at Crumlin",
            "IE",
            "No",
        ],
    ]
    .iter()
    .map(|row| row.iter().map(|cell| text(cell)).collect())
    .collect()
}

fn discussion() -> Vec<Block> {
    vec![
        Block::Paragraph(text(
            "The panel agreed that the clinical picture — early-onset progressive ataxia with sensory \
             axonal neuropathy, areflexia and pes cavus, without vitamin E deficiency — is typical of \
             Friedreich ataxia. Gene panels based on short-read sequencing do not reliably detect the \
             intronic GAA expansion in FXN, which is present on both alleles in about 96 % of patients; \
             the remaining patients carry one expansion and a point variant on the other allele.",
        )),
        Block::Paragraph(text(
            "The splice-site variant c.385-2A>G abolishes the canonical acceptor of exon 4 and is predicted \
             to cause exon skipping. Prof. Papadopoulos noted two published families with this variant in \
             trans with an expanded allele. The panel recommends sizing the GAA repeat by repeat-primed PCR \
             and long-range PCR before any further broad testing.",
        )),
        Block::Paragraph(text(
            "If no expansion is found, the differential diagnosis includes ataxia with oculomotor apraxia \
             types 1 and 2, late-onset Tay–Sachs disease, and POLG-related disease. The long reference \
             sequence quoted in the referral, NM_000144.5:c.385-2A>G/NC_000009.12:g.69053132A>G_ATTTCGATTTCGATTTCGATTTCG, \
             was checked against the lab report.",
        )),
    ]
}

fn conclusions() -> Vec<Block> {
    vec![
        heading(HeadingLevel::One, "5. Conclusions"),
        heading(HeadingLevel::Two, "5.1 Diagnosis"),
        Block::Table(Table {
            columns: vec![
                Column {
                    title: text("System"),
                    width: 0.8,
                },
                Column {
                    title: text("Code"),
                    width: 0.8,
                },
                Column {
                    title: text("Diagnosis"),
                    width: 2.4,
                },
                Column {
                    title: text("Certainty"),
                    width: 1.2,
                },
            ],
            rows: vec![
                vec![
                    text("ORPHA"),
                    text("95"),
                    text("Friedreich ataxia"),
                    text("Probable (to confirm)"),
                ],
                vec![
                    text("ICD-10"),
                    text("G11.1"),
                    text("Early-onset cerebellar ataxia"),
                    text("Confirmed"),
                ],
                vec![
                    text("ORPHA"),
                    text("1168"),
                    text("Ataxia with oculomotor apraxia type 1 (differential)"),
                    text("Possible"),
                ],
            ],
        }),
        heading(HeadingLevel::Two, "5.2 Recommended investigations"),
        Block::Bullets(vec![
            text(
                "FXN GAA repeat sizing (repeat-primed and long-range PCR) in the patient, then segregation in both parents.",
            ),
            text("Echocardiography and ECG at baseline, repeated yearly, even without symptoms."),
            text("HbA1c and fasting glucose yearly."),
            text(
                "If no expansion: alpha-fetoprotein, albumin, hexosaminidase A activity, and mitochondrial DNA analysis.",
            ),
        ]),
        heading(HeadingLevel::Two, "5.3 Treatment and management plan"),
        Block::Paragraph(text(
            "Once the diagnosis is confirmed, the patient may be eligible for omaveloxolone from 16 years \
             of age under its current authorisation; until then, referral to a paediatric trial centre is \
             advised. Intensive physiotherapy focused on balance and gait, orthopaedic follow-up of the feet \
             and spine (scoliosis), and speech therapy for dysarthria are recommended now.",
        )),
        heading(HeadingLevel::Two, "5.4 Follow-up"),
        Block::Paragraph(text(
            "Clinical review with the mFARS scale every 6 months. The panel asks the lead to reopen this \
             consultation when the repeat sizing is available, or to share the result in a new panel if \
             further advice is needed.",
        )),
        heading(HeadingLevel::One, "6. Disclaimer"),
    ]
}
