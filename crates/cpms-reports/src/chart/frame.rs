//! What all charts share: the SVG root with its accessible name, the visible
//! title, the legend, the value axis with grid lines, and the colours.

use std::fmt::Write;

use super::NiceScale;
use super::format_value;
use crate::svg::{escape, num, shorten};

/// Series colours, each with a contrast ratio of at least 4.5:1 against
/// white (WCAG AA for text, so also for bars and lines).
pub const PALETTE: [&str; 8] = [
    "#1d4ed8", "#b45309", "#047857", "#7e22ce", "#b91c1c", "#0e7490", "#4b5563", "#a21caf",
];

pub(super) const WIDTH: f32 = 640.0;
/// Standard chart height; horizontal bar charts grow with their categories.
const HEIGHT: f32 = 380.0;
pub(super) const FONT: &str = "font-family=\"DejaVu Sans, Verdana, Arial, sans-serif\"";
pub(super) const INK: &str = "#1f2937";
const GRID: &str = "#d1d5db";
const AXIS: &str = "#374151";
/// Rough advance width of a character at 11–12 px, for fitting labels.
pub(super) const CHAR_WIDTH: f32 = 6.6;

pub(super) fn colour(series: usize) -> &'static str {
    PALETTE[series % PALETTE.len()]
}

/// The plotting area, in SVG user units.
#[derive(Clone, Copy, Debug)]
pub(super) struct Plot {
    pub(super) left: f32,
    pub(super) top: f32,
    pub(super) right: f32,
    pub(super) bottom: f32,
}

impl Plot {
    pub(super) fn width(&self) -> f32 {
        self.right - self.left
    }

    pub(super) fn height(&self) -> f32 {
        self.bottom - self.top
    }
}

/// Starts the document: root element, accessible title and description,
/// white background, visible title and the legend. The chart is the
/// standard height unless the plot needs `plot_needs` plus `below_plot`
/// for its labels. Returns the top of the plot area and the chart height.
pub(super) fn open(
    svg: &mut String,
    title: &str,
    description: &str,
    series: &[&str],
    plot_needs: f32,
    below_plot: f32,
) -> (f32, f32) {
    let mut legend_markup = String::new();
    let plot_top = legend(&mut legend_markup, series, 46.0) + 8.0;
    let height = HEIGHT.max(plot_top + plot_needs + below_plot);
    let _ = write!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\">\
         <title>{t}</title><desc>{d}</desc><rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\
         <text x=\"16\" y=\"26\" {FONT} font-size=\"15\" font-weight=\"bold\" fill=\"{INK}\">{short}</text>",
        w = num(WIDTH),
        h = num(height),
        t = escape(title),
        d = escape(description),
        short = escape(&shorten(title, 80)),
    );
    svg.push_str(&legend_markup);
    (plot_top, height)
}

/// One swatch and name per series, wrapping onto more rows when needed.
fn legend(svg: &mut String, names: &[&str], top: f32) -> f32 {
    let (mut x, mut y) = (16.0, top);
    for (i, name) in names.iter().enumerate() {
        let label = shorten(name, 40);
        let width = 18.0 + label.chars().count() as f32 * CHAR_WIDTH + 16.0;
        if x + width > WIDTH - 16.0 && x > 16.0 {
            x = 16.0;
            y += 20.0;
        }
        let _ = write!(
            svg,
            "<rect x=\"{}\" y=\"{}\" width=\"12\" height=\"12\" fill=\"{}\"/>\
             <text x=\"{}\" y=\"{}\" {FONT} font-size=\"12\" fill=\"{INK}\">{}</text>",
            num(x),
            num(y - 10.0),
            colour(i),
            num(x + 18.0),
            num(y),
            escape(&label)
        );
        x += width;
    }
    y + 18.0
}

/// Grid lines and labels for a value axis running up the left of `plot`,
/// with the axis name written vertically beside it.
pub(super) fn vertical_value_axis(svg: &mut String, scale: &NiceScale, plot: Plot, label: &str) {
    for tick in scale.ticks() {
        let y = plot.bottom - scale.fraction(tick) as f32 * plot.height();
        let _ = write!(
            svg,
            "<line x1=\"{l}\" y1=\"{y}\" x2=\"{r}\" y2=\"{y}\" stroke=\"{GRID}\" stroke-width=\"1\"/>\
             <text class=\"tick\" x=\"{tx}\" y=\"{ty}\" text-anchor=\"end\" {FONT} font-size=\"11\" fill=\"{INK}\">{v}</text>",
            l = num(plot.left),
            r = num(plot.right),
            y = num(y),
            tx = num(plot.left - 6.0),
            ty = num(y + 4.0),
            v = format_value(tick),
        );
    }
    let middle = (plot.top + plot.bottom) / 2.0;
    let _ = write!(
        svg,
        "<text x=\"16\" y=\"{m}\" transform=\"rotate(-90 16 {m})\" text-anchor=\"middle\" {FONT} font-size=\"12\" fill=\"{INK}\">{}</text>",
        escape(&shorten(label, 40)),
        m = num(middle),
    );
    axis_line(svg, plot.left, plot.top, plot.left, plot.bottom);
}

/// Grid lines and labels for a value axis along the bottom of `plot`, with
/// the axis name centred below.
pub(super) fn horizontal_value_axis(svg: &mut String, scale: &NiceScale, plot: Plot, label: &str) {
    for tick in scale.ticks() {
        let x = plot.left + scale.fraction(tick) as f32 * plot.width();
        let _ = write!(
            svg,
            "<line x1=\"{x}\" y1=\"{t}\" x2=\"{x}\" y2=\"{b}\" stroke=\"{GRID}\" stroke-width=\"1\"/>\
             <text class=\"tick\" x=\"{x}\" y=\"{ty}\" text-anchor=\"middle\" {FONT} font-size=\"11\" fill=\"{INK}\">{v}</text>",
            x = num(x),
            t = num(plot.top),
            b = num(plot.bottom),
            ty = num(plot.bottom + 16.0),
            v = format_value(tick),
        );
    }
    let _ = write!(
        svg,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" {FONT} font-size=\"12\" fill=\"{INK}\">{}</text>",
        num((plot.left + plot.right) / 2.0),
        num(plot.bottom + 36.0),
        escape(&shorten(label, 60))
    );
    axis_line(svg, plot.left, plot.bottom, plot.right, plot.bottom);
}

pub(super) fn axis_line(svg: &mut String, x1: f32, y1: f32, x2: f32, y2: f32) {
    let _ = write!(
        svg,
        "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{AXIS}\" stroke-width=\"1.5\"/>",
        num(x1),
        num(y1),
        num(x2),
        num(y2)
    );
}

/// A label along the category axis, shortened to `max_width`, with the full
/// text as a tooltip.
pub(super) fn category_label(
    svg: &mut String,
    x: f32,
    y: f32,
    anchor: &str,
    text: &str,
    max_width: f32,
) {
    let max_chars = ((max_width / CHAR_WIDTH).floor() as usize).max(3);
    let _ = write!(
        svg,
        "<text class=\"category\" x=\"{}\" y=\"{}\" text-anchor=\"{anchor}\" {FONT} font-size=\"11\" fill=\"{INK}\"><title>{}</title>{}</text>",
        num(x),
        num(y),
        escape(text),
        escape(&shorten(text, max_chars))
    );
}
