//! Grouped bar charts, vertical and horizontal. Bars start at zero, so
//! negative values point the other way.

use std::fmt::Write;

use super::frame::{self, Plot, WIDTH, colour};
use super::{CategoryChart, ChartError, NiceScale, check_series, format_value, value_range};
use crate::svg::{escape, num};

/// Share of each category's band taken by its bars.
const GROUP_FILL: f32 = 0.8;
/// Horizontal bars are at least this thick, so many categories make a
/// taller chart rather than unreadable labels.
const MIN_BAR: f32 = 14.0;
const MIN_BAND: f32 = 24.0;

/// Vertical bars, one group per category and one bar per series.
pub fn bar_chart(chart: &CategoryChart) -> Result<String, ChartError> {
    grouped_bars(chart, Orientation::Vertical)
}

/// Horizontal bars, categories listed down the left; suits long category
/// names such as hospitals or thematic areas.
pub fn horizontal_bar_chart(chart: &CategoryChart) -> Result<String, ChartError> {
    grouped_bars(chart, Orientation::Horizontal)
}

#[derive(Clone, Copy, PartialEq)]
enum Orientation {
    Vertical,
    Horizontal,
}

fn grouped_bars(chart: &CategoryChart, orientation: Orientation) -> Result<String, ChartError> {
    check_series(chart.categories.len(), "categories", &chart.series)?;
    let vertical = orientation == Orientation::Vertical;
    let mut svg = String::new();
    let (plot_needs, below_plot) = if vertical {
        (0.0, 40.0)
    } else {
        let band = MIN_BAND.max(chart.series.len() as f32 * MIN_BAR / GROUP_FILL);
        (chart.categories.len() as f32 * band, 48.0)
    };
    let (top, height) = frame::open(
        &mut svg,
        &chart.title,
        &chart.description,
        &names(chart),
        plot_needs,
        below_plot,
    );
    let (low, high) = value_range(&chart.series);
    let scale = NiceScale::new(low, high, 5);
    // Horizontal charts keep room on the left for category names.
    let (left, right) = if vertical {
        (72.0, WIDTH - 16.0)
    } else {
        (170.0, WIDTH - 24.0)
    };
    let plot = Plot {
        left,
        top,
        right,
        bottom: height - below_plot,
    };
    if vertical {
        frame::vertical_value_axis(&mut svg, &scale, plot, &chart.value_label);
    } else {
        frame::horizontal_value_axis(&mut svg, &scale, plot, &chart.value_label);
    }

    // Each category gets a band along the category axis; values map to a
    // coordinate along the other axis.
    let (band_start, band_length) = if vertical {
        (plot.left, plot.width())
    } else {
        (plot.top, plot.height())
    };
    let value_at = |value: f64| {
        let fraction = scale.fraction(value) as f32;
        if vertical {
            plot.bottom - fraction * plot.height()
        } else {
            plot.left + fraction * plot.width()
        }
    };
    let band = band_length / chart.categories.len() as f32;
    let thickness = band * GROUP_FILL / chart.series.len() as f32;
    let zero = value_at(0.0);
    for (c, category) in chart.categories.iter().enumerate() {
        let start = band_start + c as f32 * band;
        for (s, series) in chart.series.iter().enumerate() {
            let value = series.values[c];
            let along = start + band * (1.0 - GROUP_FILL) / 2.0 + s as f32 * thickness;
            let end = value_at(value);
            let (from, length) = (end.min(zero), (end - zero).abs());
            let (x, y, w, h) = if vertical {
                (along, from, thickness, length)
            } else {
                (from, along, length, thickness)
            };
            Bar {
                x,
                y,
                w,
                h,
                series: s,
                category,
                name: &series.name,
                value,
            }
            .draw(&mut svg);
        }
        if vertical {
            frame::category_label(
                &mut svg,
                start + band / 2.0,
                plot.bottom + 16.0,
                "middle",
                category,
                band - 4.0,
            );
        } else {
            frame::category_label(
                &mut svg,
                plot.left - 8.0,
                start + band / 2.0 + 4.0,
                "end",
                category,
                plot.left - 24.0,
            );
        }
    }
    if vertical {
        frame::axis_line(&mut svg, plot.left, zero, plot.right, zero);
    } else {
        frame::axis_line(&mut svg, zero, plot.top, zero, plot.bottom);
    }
    svg.push_str("</svg>");
    Ok(svg)
}

fn names(chart: &CategoryChart) -> Vec<&str> {
    chart.series.iter().map(|s| s.name.as_str()).collect()
}

/// One bar, with its category, series and value as a tooltip.
struct Bar<'a> {
    x: f32,
    y: f32,
    w: f32,
    h: f32,
    series: usize,
    category: &'a str,
    name: &'a str,
    value: f64,
}

impl Bar<'_> {
    fn draw(&self, svg: &mut String) {
        let _ = write!(
            svg,
            "<rect class=\"bar\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"><title>{} – {}: {}</title></rect>",
            num(self.x),
            num(self.y),
            num(self.w),
            num(self.h),
            colour(self.series),
            escape(self.category),
            escape(self.name),
            format_value(self.value)
        );
    }
}
