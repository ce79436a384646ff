//! Line charts over time: one line per series, dates placed to scale so
//! uneven intervals are not hidden.

use std::fmt::Write;

use jiff::civil::Date;

use super::frame::{self, CHAR_WIDTH, FONT, INK, Plot, WIDTH, colour};
use super::{ChartError, NiceScale, TimeChart, check_series, format_value, value_range};
use crate::svg::{escape, num};

/// At most this many date labels along the time axis.
const MAX_DATE_LABELS: usize = 8;

pub fn line_chart(chart: &TimeChart) -> Result<String, ChartError> {
    check_series(chart.dates.len(), "dates", &chart.series)?;
    if let Some(index) = (1..chart.dates.len()).find(|&i| chart.dates[i] <= chart.dates[i - 1]) {
        return Err(ChartError::DatesOutOfOrder { index });
    }
    let names: Vec<&str> = chart.series.iter().map(|s| s.name.as_str()).collect();
    let mut svg = String::new();
    let (top, height) = frame::open(
        &mut svg,
        &chart.title,
        &chart.description,
        &names,
        0.0,
        40.0,
    );
    let plot = Plot {
        left: 72.0,
        top,
        right: WIDTH - 28.0,
        bottom: height - 40.0,
    };
    let (low, high) = value_range(&chart.series);
    let scale = NiceScale::new(low, high, 5);
    frame::vertical_value_axis(&mut svg, &scale, plot, &chart.value_label);

    let x_of = time_axis(&chart.dates, plot);
    date_labels(&mut svg, &chart.dates, &x_of, plot);
    frame::axis_line(&mut svg, plot.left, plot.bottom, plot.right, plot.bottom);

    for (s, series) in chart.series.iter().enumerate() {
        let points: Vec<(f32, f32)> = series
            .values
            .iter()
            .zip(&x_of)
            .map(|(v, x)| (*x, plot.bottom - scale.fraction(*v) as f32 * plot.height()))
            .collect();
        let path: Vec<String> = points
            .iter()
            .map(|(x, y)| format!("{},{}", num(*x), num(*y)))
            .collect();
        let _ = write!(
            svg,
            "<polyline class=\"series\" points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2.5\" stroke-linejoin=\"round\"/>",
            path.join(" "),
            colour(s)
        );
        for ((x, y), (value, date)) in points.iter().zip(series.values.iter().zip(&chart.dates)) {
            let _ = write!(
                svg,
                "<circle class=\"point\" cx=\"{}\" cy=\"{}\" r=\"3.5\" fill=\"{}\"><title>{} – {}: {}</title></circle>",
                num(*x),
                num(*y),
                colour(s),
                escape(&series.name),
                date_text(*date, &chart.dates),
                format_value(*value)
            );
        }
    }
    svg.push_str("</svg>");
    Ok(svg)
}

/// x of each date, proportional to the days elapsed (a single date sits in
/// the middle).
fn time_axis(dates: &[Date], plot: Plot) -> Vec<f32> {
    let (Some(first), Some(last)) = (dates.first(), dates.last()) else {
        return Vec::new();
    };
    let days = |d: &Date| {
        (d.to_zoned(jiff::tz::TimeZone::UTC)
            .map(|z| z.timestamp().as_second())
            .unwrap_or(0)
            / 86_400) as f32
    };
    let span = days(last) - days(first);
    dates
        .iter()
        .map(|d| {
            if span > 0.0 {
                plot.left + (days(d) - days(first)) / span * plot.width()
            } else {
                (plot.left + plot.right) / 2.0
            }
        })
        .collect()
}

/// Labels under evenly chosen data dates, always including the first and
/// the last.
fn date_labels(svg: &mut String, dates: &[Date], x_of: &[f32], plot: Plot) {
    let every = dates.len().div_ceil(MAX_DATE_LABELS).max(1);
    let last = dates.len() - 1;
    let min_gap = 11.0 * CHAR_WIDTH;
    let mut previous: Option<f32> = None;
    for (i, (date, x)) in dates.iter().zip(x_of).enumerate().rev() {
        if i % every != 0 && i != last {
            continue;
        }
        // Going right to left, skip labels that would collide with the one
        // already written.
        if previous.is_some_and(|p| p - x < min_gap) {
            continue;
        }
        previous = Some(*x);
        let _ = write!(
            svg,
            "<line x1=\"{x}\" y1=\"{b}\" x2=\"{x}\" y2=\"{t}\" stroke=\"{INK}\" stroke-width=\"1\"/>\
             <text class=\"date\" x=\"{x}\" y=\"{ty}\" text-anchor=\"middle\" {FONT} font-size=\"11\" fill=\"{INK}\">{d}</text>",
            x = num(*x),
            b = num(plot.bottom),
            t = num(plot.bottom + 5.0),
            ty = num(plot.bottom + 18.0),
            d = date_text(*date, dates),
        );
    }
}

/// Monthly data reads as "2026-03"; anything else shows the full date.
fn date_text(date: Date, all: &[Date]) -> String {
    if all.iter().all(|d| d.day() == 1) {
        date.strftime("%Y-%m").to_string()
    } else {
        date.strftime("%Y-%m-%d").to_string()
    }
}
