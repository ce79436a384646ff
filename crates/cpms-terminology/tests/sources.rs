//! Loading from sources: plain and gzip input, and a specific error for each kind of
//! broken or wrong file. Uses the small files in tests/fixtures.

use std::io::Write;

use cpms_terminology::{Problem, SourceFile, System, Terminology, TerminologyError};
use flate2::Compression;
use flate2::write::GzEncoder;

const OBO: &str = include_str!("fixtures/mini.obo");
const HPOA: &str = include_str!("fixtures/mini.hpoa");
const ICD10: &str = include_str!("fixtures/mini-icd10.xml");

fn load(obo: &str, hpoa: &str, icd10: &str) -> Result<Terminology, TerminologyError> {
    Terminology::from_sources(obo.as_bytes(), hpoa.as_bytes(), icd10.as_bytes())
}

fn error(obo: &str, hpoa: &str, icd10: &str) -> TerminologyError {
    match load(obo, hpoa, icd10) {
        Ok(loaded) => panic!("expected an error, loaded {loaded:?}"),
        Err(error) => error,
    }
}

/// The file, line and problem of a `Malformed` error.
fn malformed(error: TerminologyError) -> (SourceFile, usize, Problem) {
    match error {
        TerminologyError::Malformed {
            file,
            line,
            problem,
        } => (file, line, problem),
        other => panic!("expected a line-specific error, got {other:?}"),
    }
}

fn gzip(text: &str) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::fast());
    encoder.write_all(text.as_bytes()).expect("write to memory");
    encoder.finish().expect("finish in memory")
}

#[test]
fn plain_fixtures_load() {
    let terminology = load(OBO, HPOA, ICD10).expect("fixtures load");
    let count = |system| {
        terminology
            .concepts()
            .filter(|c| c.system == system)
            .count()
    };
    assert_eq!(count(System::Hpo), 4);
    // ORPHA:558 and the "undiagnosed" code the loader adds; DECIPHER rows are skipped.
    assert_eq!(count(System::Orpha), 2);
    assert!(terminology.get("ORPHA:616874").is_some());
    assert_eq!(count(System::Omim), 1);
    assert_eq!(count(System::Icd10), 4);

    let seizure = terminology.get("HP:0001250").expect("defined");
    // The synonym repeating the name is dropped; escaped quotes are resolved.
    assert_eq!(seizure.synonyms, ["Epileptic seizure", "\"Fits\""]);
    // One annotation uses the term, one its alternative id, one is a DECIPHER row.
    assert_eq!(seizure.annotations, 2);
    assert_eq!(
        terminology.get("HP:0001275").map(|c| &c.code),
        Some(&seizure.code)
    );
    let obsolete = terminology.get("HP:0000057").expect("defined");
    assert!(obsolete.obsolete);
    assert_eq!(obsolete.replaced_by, ["HP:0001250"]);

    let versions = terminology.versions();
    assert_eq!(
        (
            versions.hpo.as_str(),
            versions.hpo_annotations.as_str(),
            versions.icd10.as_str()
        ),
        ("2099-01-01", "2099-01-02", "2099")
    );
    let paths = terminology.ancestors("Q87.4").expect("defined");
    assert_eq!(paths.len(), 1);
    assert_eq!(
        paths[0].iter().map(|c| c.code.as_str()).collect::<Vec<_>>(),
        ["XVII", "Q80-Q89", "Q87"]
    );
}

#[test]
fn gzip_input_is_detected_by_its_magic_bytes() {
    let plain = load(OBO, HPOA, ICD10).expect("plain fixtures load");
    let (obo, hpoa, icd10) = (gzip(OBO), gzip(HPOA), gzip(ICD10));
    let zipped = Terminology::from_sources(&obo[..], &hpoa[..], &icd10[..]).expect("gzip loads");
    assert!(plain.concepts().eq(zipped.concepts()));
    assert_eq!(plain.versions(), zipped.versions());
}

#[test]
fn truncated_gzip_is_a_read_error() {
    let obo = gzip(OBO);
    let cut = &obo[..obo.len() / 2];
    match Terminology::from_sources(cut, HPOA.as_bytes(), ICD10.as_bytes()) {
        Err(TerminologyError::Read { file, .. }) => assert_eq!(file, SourceFile::HpoObo),
        other => panic!("expected a read error, got {other:?}"),
    }
}

#[test]
fn truncated_obo_stanza_names_the_stanza_and_the_missing_tag() {
    let obo = format!("{OBO}\n[Term]\nid: HP:0000002\n");
    let stanza_line = obo.lines().count() - 1;
    let (file, line, problem) = malformed(error(&obo, HPOA, ICD10));
    assert_eq!((file, line), (SourceFile::HpoObo, stanza_line));
    assert!(
        matches!(problem, Problem::MissingTag { tag: "name", .. }),
        "{problem:?}"
    );
}

#[test]
fn broken_obo_lines_are_reported_where_they_are() {
    let lines_of = |text: &str| text.lines().count();
    let cases = [
        (
            format!("{OBO}\n[Term\nid: HP:0000002\n"),
            lines_of(OBO) + 2,
            "unclosed header",
        ),
        (
            format!("{OBO}\n[Term]\nid: HP:0000002\nname Broken\n"),
            lines_of(OBO) + 4,
            "no colon",
        ),
        (
            format!("{OBO}\n[Term]\nid: HP:0000002\nname: X\nsynonym: \"open\n"),
            lines_of(OBO) + 5,
            "open quote",
        ),
        (
            format!("{OBO}\n[Term]\nid: HP:2\nname: X\n"),
            lines_of(OBO) + 3,
            "short id",
        ),
        (
            format!("{OBO}\n[Term]\nid: HP:0000118\nname: Again\n"),
            lines_of(OBO) + 3,
            "duplicate",
        ),
        (
            format!("{OBO}\n[Term]\nid: HP:0000002\nname: X\nis_a: HP:0009999 ! nowhere\n"),
            lines_of(OBO) + 5,
            "dangling",
        ),
    ];
    let mut problems = Vec::new();
    for (obo, expected_line, case) in &cases {
        let (file, line, problem) = malformed(error(obo, HPOA, ICD10));
        assert_eq!(
            (file, line),
            (SourceFile::HpoObo, *expected_line),
            "{case}: {problem:?}"
        );
        problems.push(problem);
    }
    assert!(matches!(&problems[0], Problem::UnclosedStanzaHeader(h) if h == "[Term"));
    assert!(matches!(&problems[1], Problem::NotTagValue(t) if t == "name Broken"));
    assert!(matches!(
        &problems[2],
        Problem::BadValue {
            what: "quoted text",
            ..
        }
    ));
    assert!(matches!(
        &problems[3],
        Problem::BadValue { what: "HPO id", .. }
    ));
    assert_eq!(problems[4], Problem::DuplicateCode("HP:0000118".to_owned()));
    assert_eq!(
        problems[5],
        Problem::DanglingReference {
            from: "HP:0000002".to_owned(),
            to: "HP:0009999".to_owned()
        }
    );
}

#[test]
fn hpoa_row_with_wrong_column_count() {
    let hpoa = format!("{HPOA}OMIM:100100\tShort row\t\tHP:0001250\tPMID:1\tPCS\t\t\t\t\tP\n");
    let (file, line, problem) = malformed(error(OBO, &hpoa, ICD10));
    assert_eq!((file, line), (SourceFile::Hpoa, HPOA.lines().count() + 1));
    assert_eq!(
        problem,
        Problem::ColumnCount {
            expected: 12,
            found: 11
        }
    );
    let message = error(OBO, &hpoa, ICD10).to_string();
    assert_eq!(
        message,
        format!("phenotype.hpoa line {line}: expected 12 tab-separated columns, found 11")
    );
}

#[test]
fn hpoa_rows_with_bad_values() {
    let row = |database: &str, term: &str| {
        format!("{HPOA}{database}\tSome disease\t\t{term}\tPMID:1\tPCS\t\t\t\t\tP\tHPO:test\n")
    };
    let last_line = HPOA.lines().count() + 1;
    let cases = [
        (
            row("OMIM:100100", "HP:0009999"),
            Problem::UnknownHpoTerm("HP:0009999".to_owned()),
        ),
        (
            row("MONDO:0000001", "HP:0001250"),
            Problem::UnknownDatabase("MONDO".to_owned()),
        ),
    ];
    for (hpoa, expected) in cases {
        assert_eq!(
            malformed(error(OBO, &hpoa, ICD10)),
            (SourceFile::Hpoa, last_line, expected)
        );
    }
    let (_, _, problem) = malformed(error(OBO, &row("OMIM:12", "HP:0001250"), ICD10));
    assert!(
        matches!(
            problem,
            Problem::BadValue {
                what: "database_id",
                ..
            }
        ),
        "{problem:?}"
    );
    let (_, _, problem) = malformed(error(OBO, &row("OMIM:100100", "hp:1250"), ICD10));
    assert!(
        matches!(problem, Problem::BadValue { what: "hpo_id", .. }),
        "{problem:?}"
    );
}

#[test]
fn icd10_xml_of_the_wrong_shape() {
    let item = |kind: &str, code: &str| {
        format!("<item type=\"{kind}\"><name>{code}</name><description>Test</description></item>")
    };
    let chapter = |inner: &str| {
        format!(
            "<icd_10_v2099>\n<item type=\"chapter\"><name>XVII</name><description>Test</description>\n{inner}\n</item>\n</icd_10_v2099>"
        )
    };
    let block = |inner: &str| {
        chapter(&format!(
            "<item type=\"block\"><name>Q80-Q89</name><description>Test</description>\n{inner}\n</item>"
        ))
    };
    let cases = [
        (
            chapter(&item("category", "Q87")),
            3,
            Problem::BadNesting {
                child: "category".to_owned(),
                parent: "chapter".to_owned(),
            },
        ),
        (
            block(&item("category", "Q90")),
            4,
            Problem::CodeOutsideParent {
                code: "Q90".to_owned(),
                parent: "Q80-Q89".to_owned(),
            },
        ),
        (
            block("<item type=\"category\"><name>Q87</name></item>"),
            4,
            Problem::MissingChild {
                element: "item",
                child: "description",
            },
        ),
        (
            block("<note>x</note>"),
            4,
            Problem::UnexpectedElement {
                element: "note".to_owned(),
                parent: "item".to_owned(),
            },
        ),
        (
            block(&item("category", "Q87.4")),
            4,
            Problem::BadValue {
                what: "category",
                value: "Q87.4".to_owned(),
            },
        ),
    ];
    for (xml, line, expected) in cases {
        assert_eq!(
            malformed(error(OBO, HPOA, &xml)),
            (SourceFile::Icd10, line, expected),
            "{xml}"
        );
    }
    let (file, line, problem) = malformed(error(
        OBO,
        HPOA,
        "<icd_10_v2099>\n<item type=\"chapter\">\n</icd_10_v2099>",
    ));
    assert_eq!((file, line), (SourceFile::Icd10, 3));
    assert!(matches!(problem, Problem::Xml(_)), "{problem:?}");
}

#[test]
fn files_of_the_wrong_kind_are_rejected_clearly() {
    let wrong = |error: TerminologyError| match error {
        TerminologyError::WrongKind { file, .. } => file,
        other => panic!("expected a wrong-kind error, got {other:?}"),
    };
    assert_eq!(wrong(error(HPOA, HPOA, ICD10)), SourceFile::HpoObo);
    assert_eq!(wrong(error(OBO, OBO, ICD10)), SourceFile::Hpoa);
    assert_eq!(wrong(error(OBO, ICD10, ICD10)), SourceFile::Hpoa);
    assert_eq!(wrong(error(OBO, HPOA, OBO)), SourceFile::Icd10);
    assert_eq!(
        wrong(error(OBO, HPOA, "<ClaML><Class/></ClaML>")),
        SourceFile::Icd10
    );
    assert_eq!(wrong(error("", HPOA, ICD10)), SourceFile::HpoObo);
    let message = error(ICD10, HPOA, ICD10).to_string();
    assert!(
        message.starts_with("hp.obo: this is not the expected kind of file"),
        "{message}"
    );
}

#[test]
fn invalid_utf8_is_reported_with_its_line() {
    let mut obo = OBO.as_bytes().to_vec();
    obo.extend_from_slice(b"\n[Term]\nid: HP:0000002\nname: Caf\xe9\n");
    let expected_line = OBO.lines().count() + 4;
    let result = Terminology::from_sources(&obo[..], HPOA.as_bytes(), ICD10.as_bytes());
    match result {
        Err(error) => assert_eq!(
            malformed(error),
            (SourceFile::HpoObo, expected_line, Problem::NotUtf8)
        ),
        Ok(loaded) => panic!("loaded {loaded:?}"),
    }
}
