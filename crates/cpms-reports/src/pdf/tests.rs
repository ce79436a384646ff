use std::io::Write;
use std::process::Command;

use proptest::prelude::*;

use super::font::{Fonts, Weight};
use super::text::wrap;
use super::*;

fn metadata() -> Metadata {
    Metadata {
        author: "Dr. Олена Шевченко".into(),
        subject: "Τεστ subject".into(),
        created: "2026-11-20T14:02:00Z".parse().unwrap(),
        language: "en".into(),
    }
}

fn document(blocks: Vec<Block>) -> Document {
    Document {
        title: "Outcome Ωmega".into(),
        subtitle: Some("Version 1".into()),
        metadata: metadata(),
        blocks,
        footer: "Footer text".into(),
    }
}

/// Runs a poppler tool on the PDF (then `trailing` arguments) and returns
/// its standard output. CI installs poppler-utils; without it the test fails
/// and says so.
pub(crate) fn poppler(tool: &str, pdf: &[u8], trailing: &[&str]) -> String {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    file.write_all(pdf).unwrap();
    let output = Command::new(tool)
        .arg(file.path())
        .args(trailing)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {tool} ({e}); install poppler-utils"));
    assert!(
        output.status.success(),
        "{tool} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// The text of each page, as pdftotext extracts it.
pub(crate) fn pages(pdf: &[u8]) -> Vec<String> {
    let text = poppler("pdftotext", pdf, &["-"]);
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_owned).collect();
    // pdftotext ends the last page with a form feed too.
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

fn table(rows: usize) -> Table {
    Table {
        columns: vec![
            Column {
                title: "Code".into(),
                width: 1.0,
            },
            Column {
                title: "Description".into(),
                width: 3.0,
            },
        ],
        rows: (0..rows)
            .map(|i| vec![format!("ROW-{i:03}"), format!("Description of row {i}")])
            .collect(),
    }
}

/// Every word's box from `pdftotext -bbox`: (text, x_min, y_min, x_max,
/// y_max), with y measured from the top of the page.
fn word_boxes(pdf: &[u8]) -> Vec<(String, f32, f32, f32, f32)> {
    let html = poppler("pdftotext", pdf, &["-bbox", "-"]);
    let attribute = |tag: &str, name: &str| -> f32 {
        let start = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        tag[start..].split('"').next().unwrap().parse().unwrap()
    };
    html.split("<word ")
        .skip(1)
        .map(|chunk| {
            let (tag, rest) = chunk.split_once('>').unwrap();
            let text = rest.split("</word>").next().unwrap().to_owned();
            let [x0, y0, x1, y1] = ["xMin", "yMin", "xMax", "yMax"].map(|n| attribute(tag, n));
            (text, x0, y0, x1, y1)
        })
        .collect()
}

/// No word strays into the margins or between the body and the running
/// header or footer.
fn assert_text_inside_the_frame(pdf: &[u8]) {
    use super::style::*;
    // Running text sits on its baseline; body text between the two rules.
    let running_line = |baseline: f32| {
        let top = PAGE_HEIGHT - baseline - RUNNING_SIZE * 1.2;
        move |y0: f32, y1: f32| y0 >= top && y1 <= top + RUNNING_SIZE * 1.7
    };
    let (in_header, in_footer) = (running_line(HEADER_BASELINE), running_line(FOOTER_BASELINE));
    for (text, x0, y0, x1, y1) in word_boxes(pdf) {
        assert!(
            x0 >= MARGIN_X - 0.5 && x1 <= MARGIN_X + BODY_WIDTH + 0.5,
            "{text:?} outside the side margins ({x0}–{x1})"
        );
        let in_body = y0 >= PAGE_HEIGHT - HEADER_RULE && y1 <= PAGE_HEIGHT - FOOTER_RULE;
        assert!(
            in_header(y0, y1) || in_footer(y0, y1) || in_body,
            "{text:?} outside the text frame ({y0}–{y1})"
        );
    }
}

#[test]
fn text_in_european_scripts_is_extracted_as_written() {
    let phrases = [
        "Łódź, Čeština, Őrség, Șiret, Ţară, Ŋ, ǅ",
        "Γεώργιος Παπαδόπουλος",
        "Олена Шевченко, «Охматдит», Їжак Ґанок",
        "Søren Ødegård, Eoin Ó Súilleabháin",
    ];
    let pdf = render(&document(vec![
        Block::Paragraph(phrases[0].into()),
        Block::Bullets(vec![phrases[1].into()]),
        Block::KeyValue(vec![("Name".into(), phrases[2].into())]),
        Block::Notice {
            title: "Note".into(),
            text: phrases[3].into(),
        },
    ]))
    .unwrap();
    let text = poppler("pdftotext", &pdf, &["-"]);
    for phrase in phrases {
        assert!(text.contains(phrase), "{phrase:?} missing from:\n{text}");
    }
    assert!(text.contains("Outcome Ωmega"));
    assert!(text.contains("Page 1 of 1"));
}

#[test]
fn document_information_is_set() {
    let pdf = render(&document(vec![Block::Paragraph("x".into())])).unwrap();
    let info = poppler("pdfinfo", &pdf, &[]);
    for expected in [
        "Title:           Outcome Ωmega",
        "Author:          Dr. Олена Шевченко",
        "Subject:         Τεστ subject",
        "Page size:       595.28 x 841.89 pts (A4)",
        "Pages:           1",
    ] {
        assert!(
            info.contains(expected),
            "{expected:?} missing from:\n{info}"
        );
    }
    assert!(info.contains("2026"), "creation date missing:\n{info}");
}

#[test]
fn long_tables_continue_on_new_pages_with_the_header_repeated() {
    let pdf = render(&document(vec![Block::Table(table(150))])).unwrap();
    assert_text_inside_the_frame(&pdf);
    let pages = pages(&pdf);
    assert!(
        pages.len() >= 3,
        "150 rows should need several pages, got {}",
        pages.len()
    );
    let total = pages.len();
    for (i, page) in pages.iter().enumerate() {
        let has_line = |wanted: &str| page.lines().any(|line| line == wanted);
        assert!(
            has_line("Code") && has_line("Description"),
            "page {} lacks the header:\n{page}",
            i + 1
        );
        assert!(page.contains(&format!("Page {} of {total}", i + 1)));
    }
    let all = pages.concat();
    for i in 0..150 {
        let code = format!("ROW-{i:03}");
        assert_eq!(
            all.lines().filter(|line| *line == code).count(),
            1,
            "{code}"
        );
    }
}

#[test]
fn a_row_taller_than_a_page_is_split_between_lines() {
    let long: String = (0..3000).map(|i| format!("word{i} ")).collect();
    let pdf = render(&document(vec![Block::Table(Table {
        columns: vec![Column {
            title: "Only".into(),
            width: 1.0,
        }],
        rows: vec![vec![long]],
    })]))
    .unwrap();
    assert_text_inside_the_frame(&pdf);
    let pages = pages(&pdf);
    assert!(pages.len() >= 2);
    let all = pages.concat();
    for i in [0, 1499, 2999] {
        assert!(all.contains(&format!("word{i}")), "word{i} lost");
    }
    assert!(
        pages.iter().all(|p| p.lines().any(|line| line == "Only")),
        "header not repeated"
    );
}

#[test]
fn page_breaks_start_a_new_page_and_are_not_doubled() {
    let pdf = render(&document(vec![
        Block::Paragraph("before".into()),
        Block::PageBreak,
        Block::PageBreak,
        Block::Paragraph("after".into()),
    ]))
    .unwrap();
    let pages = pages(&pdf);
    assert_eq!(pages.len(), 2);
    assert!(pages[0].contains("before") && !pages[0].contains("after"));
    assert!(pages[1].contains("after") && pages[1].contains("Page 2 of 2"));
}

#[test]
fn an_empty_document_is_one_page_with_its_title() {
    let pdf = render(&document(vec![])).unwrap();
    let pages = pages(&pdf);
    assert_eq!(pages.len(), 1);
    assert!(pages[0].contains("Outcome Ωmega") && pages[0].contains("Version 1"));
}

#[test]
fn rendering_is_deterministic() {
    let doc = document(vec![Block::Table(table(40)), Block::Paragraph("ξ".into())]);
    assert_eq!(render(&doc).unwrap(), render(&doc).unwrap());
}

#[test]
fn malformed_tables_are_rejected() {
    let mut ragged = table(3);
    ragged.rows[2].pop();
    let mut zero = table(1);
    zero.columns[1].width = 0.0;
    let mut nan = table(1);
    nan.columns[0].width = f32::NAN;
    let empty = Table {
        columns: vec![],
        rows: vec![],
    };
    let cases = [
        (
            ragged,
            "block 1: row 2 has 1 cells but the table has 2 columns",
        ),
        (zero, "block 1: column 1 has width 0"),
        (nan, "block 1: column 0 has width NaN"),
        (empty, "block 1: a table needs at least one column"),
    ];
    for (table, message) in cases {
        let doc = document(vec![Block::PageBreak, Block::Table(table)]);
        let error = render(&doc).unwrap_err().to_string();
        assert!(error.starts_with(message), "{error}");
    }
}

#[test]
fn language_tags_are_checked() {
    let mut doc = document(vec![]);
    doc.metadata.language = "en GB)".into();
    assert!(matches!(render(&doc), Err(PdfError::Language(_))));
    doc.metadata.language = "uk-UA".into();
    assert!(render(&doc).is_ok());
}

#[test]
fn wrapped_lines_fit_and_lose_no_text() {
    let fonts = Fonts::load().unwrap();
    let font = fonts.get(Weight::Regular);
    let text = format!("short words then {} and more", "Ж".repeat(120));
    let lines = wrap(font, 10.0, &text, 150.0);
    assert!(lines.len() > 3);
    for line in &lines {
        assert!(font.width(line, 10.0) <= 150.0, "{line:?} is too wide");
    }
    let joined: String = lines.concat().split_whitespace().collect();
    let expected: String = text.split_whitespace().collect();
    assert_eq!(joined, expected);
}

#[test]
fn wrapping_keeps_line_breaks_and_drops_control_characters() {
    let fonts = Fonts::load().unwrap();
    let lines = wrap(
        fonts.get(Weight::Regular),
        10.0,
        "one\n\ntwo\u{7}\tthree",
        400.0,
    );
    assert_eq!(lines, vec!["one", "", "two three"]);
}

#[test]
fn a_column_narrower_than_a_letter_still_makes_progress() {
    let fonts = Fonts::load().unwrap();
    let lines = wrap(fonts.get(Weight::Bold), 10.0, "WWW", 1.0);
    assert_eq!(lines, vec!["W", "W", "W"]);
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-zA-Zα-ωа-яŁłŐő \\n]{0,300}",
        "[^ ]{0,200}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    #[test]
    fn any_text_renders(title in any_text(), cells in proptest::collection::vec(any_text(), 0..8)) {
        let doc = Document {
            title: title.clone(),
            subtitle: Some(title),
            metadata: metadata(),
            blocks: vec![
                Block::Paragraph(cells.concat()),
                Block::Bullets(cells.clone()),
                Block::KeyValue(cells.iter().map(|c| (c.clone(), c.clone())).collect()),
                Block::Table(Table {
                    columns: vec![Column { title: "A".into(), width: 1.0 }, Column { title: "B".into(), width: 0.1 }],
                    rows: cells.iter().map(|c| vec![c.clone(), c.clone()]).collect(),
                }),
            ],
            footer: cells.concat(),
        };
        let pdf = render(&doc).unwrap();
        prop_assert!(pdf.starts_with(b"%PDF-1.7"));
        prop_assert!(pdf.ends_with(b"%%EOF\n") || pdf.ends_with(b"%%EOF"));
    }
}
