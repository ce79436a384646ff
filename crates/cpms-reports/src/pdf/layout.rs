//! Flows blocks down the pages: keeps the cursor, starts new pages, and
//! draws text, rules and boxes into the current page's content stream.

use pdf_writer::{Content, Name, Str};

use super::font::{Fonts, Weight};
use super::grid::{Cell, Grid, Look};
use super::style::*;
use super::text::wrap;
use super::{Block, HeadingLevel, Signature, Table};

pub(super) struct Typesetter {
    pub(super) fonts: Fonts,
    done: Vec<Content>,
    page: Content,
    /// Top of the free space on the current page.
    pub(super) y: f32,
}

impl Typesetter {
    pub(super) fn new(fonts: Fonts) -> Self {
        Typesetter {
            fonts,
            done: Vec::new(),
            page: Content::new(),
            y: BODY_TOP,
        }
    }

    /// Ends the layout and lets `decorate` draw on each page in turn,
    /// knowing its index and the page count (for running headers).
    pub(super) fn finish_with(
        mut self,
        mut decorate: impl FnMut(&mut Typesetter, usize, usize),
    ) -> (Fonts, Vec<Content>) {
        self.new_page();
        let pages = std::mem::take(&mut self.done);
        let total = pages.len();
        let mut decorated = Vec::with_capacity(total);
        for (index, page) in pages.into_iter().enumerate() {
            self.page = page;
            decorate(&mut self, index, total);
            decorated.push(std::mem::replace(&mut self.page, Content::new()));
        }
        (self.fonts, decorated)
    }

    pub(super) fn new_page(&mut self) {
        self.done
            .push(std::mem::replace(&mut self.page, Content::new()));
        self.y = BODY_TOP;
    }

    pub(super) fn at_page_top(&self) -> bool {
        self.y >= BODY_TOP
    }

    pub(super) fn room(&self) -> f32 {
        self.y - BODY_BOTTOM
    }

    /// Starts a new page unless `height` still fits on this one.
    fn ensure(&mut self, height: f32) {
        if height > self.room() && !self.at_page_top() {
            self.new_page();
        }
    }

    /// Vertical space between blocks, dropped at the top of a page.
    fn gap(&mut self, height: f32) {
        if !self.at_page_top() {
            self.y = (self.y - height).max(BODY_BOTTOM);
        }
    }

    pub(super) fn text(
        &mut self,
        x: f32,
        baseline: f32,
        weight: Weight,
        size: f32,
        color: Rgb,
        s: &str,
    ) {
        let font = self.fonts.get_mut(weight);
        let encoded = font.encode(s);
        self.page
            .begin_text()
            .set_font(Name(font.resource.as_bytes()), size)
            .set_fill_rgb(color.0, color.1, color.2)
            .next_line(x, baseline)
            .show(Str(&encoded))
            .end_text();
    }

    pub(super) fn rule(&mut self, x1: f32, x2: f32, y: f32, color: Rgb, width: f32) {
        self.page
            .set_stroke_rgb(color.0, color.1, color.2)
            .set_line_width(width)
            .move_to(x1, y)
            .line_to(x2, y)
            .stroke();
    }

    pub(super) fn fill_rect(&mut self, x: f32, y: f32, w: f32, h: f32, color: Rgb) {
        self.page
            .set_fill_rgb(color.0, color.1, color.2)
            .rect(x, y, w, h)
            .fill_nonzero();
    }

    pub(super) fn stroke_rect(&mut self, x: f32, y: f32, w: f32, h: f32, color: Rgb) {
        self.page
            .set_stroke_rgb(color.0, color.1, color.2)
            .set_line_width(0.8)
            .rect(x, y, w, h)
            .stroke();
    }

    /// The document title and subtitle at the top of the first page.
    pub(super) fn title(&mut self, title: &str, subtitle: Option<&str>) {
        self.lines(title, Weight::Bold, TITLE_SIZE, HEADING);
        if let Some(subtitle) = subtitle {
            self.y -= 2.0;
            self.lines(subtitle, Weight::Regular, SUBTITLE_SIZE, MUTED);
        }
        self.y -= 6.0;
        self.rule(MARGIN_X, MARGIN_X + BODY_WIDTH, self.y, HEADING, 1.2);
        self.y -= 14.0;
    }

    /// Wrapped text across the full width, one line at a time (each line
    /// moves to a new page if it does not fit).
    fn lines(&mut self, text: &str, weight: Weight, size: f32, color: Rgb) {
        let leading = size * LEADING;
        for line in wrap(self.fonts.get(weight), size, text, BODY_WIDTH) {
            self.ensure(leading);
            self.text(MARGIN_X, baseline(self.y, size), weight, size, color, &line);
            self.y -= leading;
        }
    }

    /// Lays out one block; `next` is the block after it, so a heading can
    /// stay with what follows.
    pub(super) fn block(&mut self, block: &Block, next: Option<&Block>) {
        match block {
            Block::Heading { level, text } => {
                let then_heading = matches!(next, Some(Block::Heading { .. }));
                self.heading(*level, text, then_heading)
            }
            Block::Paragraph(text) => self.grid(paragraph(text)),
            Block::Bullets(items) => self.grid(bullets(items)),
            Block::KeyValue(pairs) => self.grid(key_value(pairs)),
            Block::Table(table) => self.grid(table_grid(table)),
            Block::Notice { title, text } => self.grid(notice(title, text)),
            Block::Signatures(signatures) => self.grid(signature_grid(signatures)),
            Block::PageBreak => {
                if !self.at_page_top() {
                    self.new_page();
                }
            }
        }
        if !matches!(block, Block::PageBreak) {
            self.gap(BLOCK_GAP);
        }
    }

    /// A heading is kept on the same page as the first lines after it (and
    /// as the heading after it, if one follows directly).
    fn heading(&mut self, level: HeadingLevel, text: &str, then_heading: bool) {
        let size = HEADING_SIZES[level as usize];
        let space_before = size * 0.6;
        let lines = wrap(self.fonts.get(Weight::Bold), size, text, BODY_WIDTH);
        let height = lines.len() as f32 * size * LEADING;
        let next_heading = if then_heading {
            2.0 * HEADING_SIZES[0] * LEADING
        } else {
            0.0
        };
        self.ensure(space_before + height + next_heading + 3.0 * BODY_SIZE * LEADING);
        self.gap(space_before);
        for line in &lines {
            self.text(
                MARGIN_X,
                baseline(self.y, size),
                Weight::Bold,
                size,
                HEADING,
                line,
            );
            self.y -= size * LEADING;
        }
        if level == HeadingLevel::One {
            self.rule(MARGIN_X, MARGIN_X + BODY_WIDTH, self.y + 2.0, RULE, 0.6);
            self.y -= 3.0;
        }
    }
}

/// Baseline of a line of type set at `size` whose line box starts at `top`;
/// the extra leading is split above and below the glyphs.
pub(super) fn baseline(top: f32, size: f32) -> f32 {
    top - size * 1.02
}

fn regular(text: &str) -> Cell {
    vec![(Weight::Regular, text.to_owned())]
}

fn bold(text: &str) -> Cell {
    vec![(Weight::Bold, text.to_owned())]
}

fn paragraph(text: &str) -> Grid {
    Grid {
        widths: vec![BODY_WIDTH],
        header: None,
        rows: vec![vec![regular(text)]],
        size: BODY_SIZE,
        pad_x: 0.0,
        pad_y: 0.0,
        min_row_height: 0.0,
        keep_rows_together: false,
        look: Look::plain(),
    }
}

fn bullets(items: &[String]) -> Grid {
    Grid {
        widths: vec![BULLET_INDENT, BODY_WIDTH - BULLET_INDENT],
        header: None,
        rows: items
            .iter()
            .map(|item| vec![regular("•"), regular(item)])
            .collect(),
        size: BODY_SIZE,
        pad_x: 0.0,
        pad_y: 1.5,
        min_row_height: 0.0,
        keep_rows_together: false,
        look: Look::plain(),
    }
}

fn key_value(pairs: &[(String, String)]) -> Grid {
    Grid {
        widths: vec![BODY_WIDTH * 0.3, BODY_WIDTH * 0.7],
        header: None,
        rows: pairs
            .iter()
            .map(|(k, v)| vec![bold(k), regular(v)])
            .collect(),
        size: BODY_SIZE,
        pad_x: 4.0,
        pad_y: 3.0,
        min_row_height: 0.0,
        keep_rows_together: true,
        look: Look {
            row_rules: Some(RULE),
            ..Look::plain()
        },
    }
}

fn table_grid(table: &Table) -> Grid {
    let total: f32 = table.columns.iter().map(|c| c.width).sum();
    Grid {
        widths: table
            .columns
            .iter()
            .map(|c| BODY_WIDTH * c.width / total)
            .collect(),
        header: Some(table.columns.iter().map(|c| bold(&c.title)).collect()),
        rows: table
            .rows
            .iter()
            .map(|row| row.iter().map(|cell| regular(cell)).collect())
            .collect(),
        size: TABLE_SIZE,
        pad_x: 4.0,
        pad_y: 3.0,
        min_row_height: 0.0,
        keep_rows_together: true,
        look: Look {
            header_fill: Some(TABLE_HEADER_FILL),
            row_rules: Some(RULE),
            ..Look::plain()
        },
    }
}

fn notice(title: &str, text: &str) -> Grid {
    let mut cell = bold(title);
    cell.push((Weight::Regular, text.to_owned()));
    Grid {
        widths: vec![BODY_WIDTH],
        header: None,
        rows: vec![vec![cell]],
        size: BODY_SIZE,
        pad_x: 10.0,
        pad_y: 8.0,
        min_row_height: 0.0,
        keep_rows_together: true,
        look: Look {
            fill: Some(NOTICE_FILL),
            border: Some(NOTICE_BORDER),
            ..Look::plain()
        },
    }
}

/// Unsigned rows are tall enough to sign by hand on a printout.
fn signature_grid(signatures: &[Signature]) -> Grid {
    Grid {
        widths: vec![BODY_WIDTH * 0.3, BODY_WIDTH * 0.3, BODY_WIDTH * 0.4],
        header: Some(vec![bold("Name"), bold("Role"), bold("Signature")]),
        rows: signatures
            .iter()
            .map(|s| {
                vec![
                    regular(&s.name),
                    regular(&s.role),
                    regular(s.signed.as_deref().unwrap_or("")),
                ]
            })
            .collect(),
        size: TABLE_SIZE,
        pad_x: 4.0,
        pad_y: 4.0,
        min_row_height: 30.0,
        keep_rows_together: true,
        look: Look {
            header_fill: Some(TABLE_HEADER_FILL),
            row_rules: Some(RULE),
            ..Look::plain()
        },
    }
}
