//! PDFs a test downloaded, kept next to the screenshots with their first
//! page rendered to PNG (poppler's pdftoppm) so that people can look at
//! them.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// Writes `target/screenshots/<name>.pdf` and `<name>.png` (first page,
/// 60 dpi); returns the PNG's path.
pub fn first_page_png(pdf: &[u8], name: &str) -> PathBuf {
    let png = cpms_testkit::browser::screenshot_path(name);
    std::fs::create_dir_all(png.parent().unwrap()).unwrap();
    let pdf_path = png.with_extension("pdf");
    std::fs::write(&pdf_path, pdf).unwrap();
    let status = Command::new("pdftoppm")
        .args(["-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile"])
        .arg(&pdf_path)
        .arg(png.with_extension(""))
        .status()
        .expect("pdftoppm (poppler-utils) is installed");
    assert!(status.success());
    png
}

/// The text of a PDF, through poppler's pdftotext.
pub fn pdf_text(pdf: &[u8]) -> String {
    let mut child = Command::new("pdftotext")
        .args(["-layout", "-", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("pdftotext (poppler-utils) is installed");
    child.stdin.take().unwrap().write_all(pdf).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}
