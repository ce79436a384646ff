//! Final assembly: running header and footer on every page, then the PDF
//! objects (catalog, page tree, pages, fonts, document information).

use pdf_writer::{Content, Date, Filter, Finish, Name, Pdf, Rect, TextStr};

use super::font::{Fonts, Weight};
use super::layout::Typesetter;
use super::style::*;
use super::text::truncate;
use super::{Document, PdfError, Refs, compress};

pub(super) fn assemble(
    document: &Document,
    fonts: Fonts,
    pages: Vec<Content>,
) -> Result<Vec<u8>, PdfError> {
    let mut refs = Refs(0);
    let [catalog, tree, info] = refs.take();
    let mut pdf = Pdf::new();
    let font_refs = fonts
        .all()
        .map(|font| font.write(&mut pdf, &mut refs).map(|r| (font.resource, r)));
    let font_refs = font_refs.into_iter().collect::<Result<Vec<_>, _>>()?;

    let mut page_refs = Vec::with_capacity(pages.len());
    for content in pages {
        let [page, stream] = refs.take();
        page_refs.push(page);
        let body = compress(content.finish().as_slice());
        pdf.stream(stream, &body).filter(Filter::FlateDecode);
        let mut page_writer = pdf.page(page);
        page_writer
            .parent(tree)
            .media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT))
            .contents(stream);
        let mut resources = page_writer.resources();
        let mut font_dict = resources.fonts();
        for (name, r) in &font_refs {
            font_dict.pair(Name(name.as_bytes()), *r);
        }
        font_dict.finish();
        resources.finish();
        page_writer.finish();
    }
    let count = i32::try_from(page_refs.len()).unwrap_or(i32::MAX);
    pdf.pages(tree).kids(page_refs).count(count);

    let mut cat = pdf.catalog(catalog);
    cat.pages(tree).lang(TextStr(&document.metadata.language));
    cat.viewer_preferences().display_doc_title(true);
    cat.finish();

    let meta = &document.metadata;
    pdf.document_info(info)
        .title(TextStr(&document.title))
        .author(TextStr(&meta.author))
        .subject(TextStr(&meta.subject))
        .creator(TextStr("ERN-CPMS"))
        .producer(TextStr("cpms-reports"))
        .creation_date(pdf_date(meta.created));
    Ok(pdf.finish())
}

/// Draws the title (from page 2 on) and the footer with "Page n of N".
pub(super) fn running_header_and_footer(
    typesetter: &mut Typesetter,
    document: &Document,
    index: usize,
    total: usize,
) {
    let right = MARGIN_X + BODY_WIDTH;
    if index > 0 {
        running_text(
            typesetter,
            MARGIN_X,
            HEADER_BASELINE,
            &document.title,
            BODY_WIDTH,
        );
        typesetter.rule(MARGIN_X, right, HEADER_RULE, RULE, 0.5);
    }
    typesetter.rule(MARGIN_X, right, FOOTER_RULE, RULE, 0.5);
    let number = format!("Page {} of {}", index + 1, total);
    let number_width = typesetter
        .fonts
        .get(Weight::Regular)
        .width(&number, RUNNING_SIZE);
    running_text(
        typesetter,
        right - number_width,
        FOOTER_BASELINE,
        &number,
        number_width,
    );
    let footer_room = BODY_WIDTH - number_width - 12.0;
    running_text(
        typesetter,
        MARGIN_X,
        FOOTER_BASELINE,
        &document.footer,
        footer_room,
    );
}

/// Small muted text on one line, cut with an ellipsis to `width`.
fn running_text(typesetter: &mut Typesetter, x: f32, baseline: f32, text: &str, width: f32) {
    let fitted = truncate(
        typesetter.fonts.get(Weight::Regular),
        RUNNING_SIZE,
        text,
        width,
    );
    typesetter.text(x, baseline, Weight::Regular, RUNNING_SIZE, MUTED, &fitted);
}

fn pdf_date(t: jiff::Timestamp) -> Date {
    let utc = t.to_zoned(jiff::tz::TimeZone::UTC);
    let narrow = |v: i8| u8::try_from(v).unwrap_or(0);
    Date::new(u16::try_from(utc.year()).unwrap_or(0))
        .month(narrow(utc.month()))
        .day(narrow(utc.day()))
        .hour(narrow(utc.hour()))
        .minute(narrow(utc.minute()))
        .second(narrow(utc.second()))
        .utc_offset_hour(0)
        .utc_offset_minute(0)
}
