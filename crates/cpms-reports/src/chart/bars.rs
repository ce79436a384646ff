//! Grouped bar charts, vertical and horizontal. Bars start at zero, so
//! negative values point the other way.

use std::fmt::Write;

use super::frame::{self, HEIGHT, Plot, WIDTH, colour};
use super::{CategoryChart, ChartError, NiceScale, check_series, format_value, value_range};
use crate::svg::{escape, num};

/// Share of each category's band taken by its bars.
const GROUP_FILL: f32 = 0.8;

/// Vertical bars, one group per category and one bar per series.
pub fn bar_chart(chart: &CategoryChart) -> Result<String, ChartError> {
    check_series(chart.categories.len(), "categories", &chart.series)?;
    let mut svg = String::new();
    let top = frame::open(&mut svg, &chart.title, &chart.description, &names(chart));
    let plot = Plot {
        left: 72.0,
        top: top + 8.0,
        right: WIDTH - 16.0,
        bottom: HEIGHT - 40.0,
    };
    let (low, high) = value_range(&chart.series);
    let scale = NiceScale::new(low, high, 5);
    frame::vertical_value_axis(&mut svg, &scale, plot, &chart.value_label);

    let band = plot.width() / chart.categories.len() as f32;
    let bar = band * GROUP_FILL / chart.series.len() as f32;
    let zero = plot.bottom - scale.fraction(0.0) as f32 * plot.height();
    for (c, category) in chart.categories.iter().enumerate() {
        let band_left = plot.left + c as f32 * band;
        for (s, series) in chart.series.iter().enumerate() {
            let value = series.values[c];
            let y = plot.bottom - scale.fraction(value) as f32 * plot.height();
            let x = band_left + band * (1.0 - GROUP_FILL) / 2.0 + s as f32 * bar;
            Bar {
                x,
                y: y.min(zero),
                w: bar,
                h: (zero - y).abs(),
                series: s,
                category,
                name: &series.name,
                value,
            }
            .draw(&mut svg);
        }
        frame::category_label(
            &mut svg,
            band_left + band / 2.0,
            plot.bottom + 16.0,
            "middle",
            category,
            band - 4.0,
        );
    }
    frame::axis_line(&mut svg, plot.left, zero, plot.right, zero);
    svg.push_str("</svg>");
    Ok(svg)
}

/// Horizontal bars, categories listed down the left; suits long category
/// names such as hospitals or thematic areas.
pub fn horizontal_bar_chart(chart: &CategoryChart) -> Result<String, ChartError> {
    check_series(chart.categories.len(), "categories", &chart.series)?;
    let mut svg = String::new();
    let top = frame::open(&mut svg, &chart.title, &chart.description, &names(chart));
    let plot = Plot {
        left: 170.0,
        top: top + 4.0,
        right: WIDTH - 24.0,
        bottom: HEIGHT - 48.0,
    };
    let (low, high) = value_range(&chart.series);
    let scale = NiceScale::new(low, high, 5);
    frame::horizontal_value_axis(&mut svg, &scale, plot, &chart.value_label);

    let band = plot.height() / chart.categories.len() as f32;
    let bar = band * GROUP_FILL / chart.series.len() as f32;
    let zero = plot.left + scale.fraction(0.0) as f32 * plot.width();
    for (c, category) in chart.categories.iter().enumerate() {
        let band_top = plot.top + c as f32 * band;
        for (s, series) in chart.series.iter().enumerate() {
            let value = series.values[c];
            let x = plot.left + scale.fraction(value) as f32 * plot.width();
            let y = band_top + band * (1.0 - GROUP_FILL) / 2.0 + s as f32 * bar;
            Bar {
                x: x.min(zero),
                y,
                w: (x - zero).abs(),
                h: bar,
                series: s,
                category,
                name: &series.name,
                value,
            }
            .draw(&mut svg);
        }
        frame::category_label(
            &mut svg,
            plot.left - 8.0,
            band_top + band / 2.0 + 4.0,
            "end",
            category,
            plot.left - 24.0,
        );
    }
    frame::axis_line(&mut svg, zero, plot.top, zero, plot.bottom);
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
