//! Rows of wrapped cells: the one drawing routine behind paragraphs, lists,
//! key–value pairs, tables, notices and signature tables. Rows that do not
//! fit the page break between lines, with the header row repeated.

use super::font::Weight;
use super::layout::{Typesetter, baseline};
use super::style::{LEADING, MARGIN_X, Rgb, TEXT};
use super::text::wrap;

/// The paragraphs of one cell, each in its own weight.
pub(super) type Cell = Vec<(Weight, String)>;

/// A cell after line breaking.
type Lines = Vec<(Weight, String)>;

pub(super) struct Grid {
    /// Column widths in points.
    pub(super) widths: Vec<f32>,
    pub(super) header: Option<Vec<Cell>>,
    pub(super) rows: Vec<Vec<Cell>>,
    pub(super) size: f32,
    pub(super) pad_x: f32,
    pub(super) pad_y: f32,
    pub(super) min_row_height: f32,
    /// Move a row that does not fit to the next page rather than split it,
    /// as long as it fits on a page of its own.
    pub(super) keep_rows_together: bool,
    pub(super) look: Look,
}

#[derive(Clone, Copy)]
pub(super) struct Look {
    pub(super) header_fill: Option<Rgb>,
    pub(super) fill: Option<Rgb>,
    pub(super) border: Option<Rgb>,
    pub(super) row_rules: Option<Rgb>,
}

impl Look {
    pub(super) fn plain() -> Self {
        Look {
            header_fill: None,
            fill: None,
            border: None,
            row_rules: None,
        }
    }
}

/// Split rows leave at least this many lines at the foot of a page.
const MIN_SPLIT_LINES: usize = 2;

impl Typesetter {
    pub(super) fn grid(&mut self, grid: Grid) {
        let leading = grid.size * LEADING;
        let header = grid
            .header
            .as_ref()
            .map(|cells| self.wrap_row(&grid, cells));
        let header_height = header
            .as_ref()
            .map_or(0.0, |h| line_count(h) as f32 * leading + 2.0 * grid.pad_y);
        let mut header_due = header.is_some();
        for row in &grid.rows {
            let cells = self.wrap_row(&grid, row);
            let total = line_count(&cells);
            let mut from = 0;
            while from < total {
                let remaining = total - from;
                let height = |lines: usize, whole: bool| {
                    let text = lines as f32 * leading;
                    let text = if whole {
                        text.max(grid.min_row_height)
                    } else {
                        text
                    };
                    text + 2.0 * grid.pad_y
                };
                let reserved = if header_due { header_height } else { 0.0 };
                let room = self.room() - reserved;
                let fitting = ((room - 2.0 * grid.pad_y) / leading).floor().max(0.0) as usize;
                let fresh_room = super::style::BODY_TOP - super::style::BODY_BOTTOM - header_height;
                let fits_fresh_page = height(remaining, from == 0) <= fresh_room;
                let whole_fits = height(remaining, from == 0) <= room;
                let move_on = !self.at_page_top()
                    && !whole_fits
                    && (fitting < MIN_SPLIT_LINES.min(remaining)
                        || (grid.keep_rows_together && fits_fresh_page));
                if move_on {
                    self.new_page();
                    header_due = header.is_some();
                    continue;
                }
                if let Some(header) = header.as_ref().filter(|_| header_due) {
                    self.fragment(
                        &grid,
                        header,
                        0..line_count(header),
                        0.0,
                        grid.look.header_fill,
                    );
                    header_due = false;
                }
                let take = if whole_fits {
                    remaining
                } else {
                    fitting.clamp(1, remaining)
                };
                let min_height = if from == 0 && take == remaining {
                    grid.min_row_height
                } else {
                    0.0
                };
                self.fragment(&grid, &cells, from..from + take, min_height, grid.look.fill);
                from += take;
                if from < total {
                    self.new_page();
                    header_due = header.is_some();
                }
            }
        }
    }

    fn wrap_row(&self, grid: &Grid, row: &[Cell]) -> Vec<Lines> {
        row.iter()
            .zip(&grid.widths)
            .map(|(cell, width)| {
                let inner = (width - 2.0 * grid.pad_x).max(1.0);
                cell.iter()
                    .flat_map(|(weight, text)| {
                        wrap(self.fonts.get(*weight), grid.size, text, inner)
                            .into_iter()
                            .map(|line| (*weight, line))
                    })
                    .collect()
            })
            .collect()
    }

    /// Draws lines `range` of every cell of a row as one band across the page.
    fn fragment(
        &mut self,
        grid: &Grid,
        cells: &[Lines],
        range: std::ops::Range<usize>,
        min_height: f32,
        fill: Option<Rgb>,
    ) {
        let leading = grid.size * LEADING;
        let height = (range.len() as f32 * leading).max(min_height) + 2.0 * grid.pad_y;
        let width: f32 = grid.widths.iter().sum();
        let top = self.y;
        let bottom = top - height;
        if let Some(fill) = fill {
            self.fill_rect(MARGIN_X, bottom, width, height, fill);
        }
        if let Some(border) = grid.look.border {
            self.stroke_rect(MARGIN_X, bottom, width, height, border);
        }
        let mut x = MARGIN_X;
        for (lines, column_width) in cells.iter().zip(&grid.widths) {
            let shown = lines.iter().skip(range.start).take(range.len());
            for (i, (weight, line)) in shown.enumerate() {
                let line_top = top - grid.pad_y - i as f32 * leading;
                self.text(
                    x + grid.pad_x,
                    baseline(line_top, grid.size),
                    *weight,
                    grid.size,
                    TEXT,
                    line,
                );
            }
            x += column_width;
        }
        if let Some(rule) = grid.look.row_rules {
            self.rule(MARGIN_X, MARGIN_X + width, bottom, rule, 0.5);
        }
        self.y = bottom;
    }
}

/// Height of a row in lines: its tallest cell (an empty row still takes one).
fn line_count(cells: &[Lines]) -> usize {
    cells.iter().map(Vec::len).max().unwrap_or(0).max(1)
}
