//! SVG charts for the indicator pages: grouped vertical bars, horizontal
//! bars and lines over time. Pure functions from data to a standalone SVG
//! string with an accessible name and description; the page that shows a
//! chart also shows the numbers as a table.

mod axis;
mod bars;
mod frame;
mod line;

use serde::{Deserialize, Serialize};

pub use axis::NiceScale;
pub use bars::{bar_chart, horizontal_bar_chart};
pub use frame::PALETTE;
pub use line::line_chart;

/// One named set of values, one per category or time point.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Series {
    pub name: String,
    pub values: Vec<f64>,
}

/// Values per category, for bar charts (several series make grouped bars).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CategoryChart {
    pub title: String,
    /// A sentence or two for screen readers: what is shown and the main
    /// finding.
    pub description: String,
    /// What the values measure, e.g. "Panels closed".
    pub value_label: String,
    pub categories: Vec<String>,
    pub series: Vec<Series>,
}

/// Values at dates, for line charts; dates are placed to scale.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TimeChart {
    pub title: String,
    pub description: String,
    pub value_label: String,
    /// Strictly increasing.
    pub dates: Vec<jiff::civil::Date>,
    pub series: Vec<Series>,
}

#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ChartError {
    #[error("the chart has no {0}")]
    Empty(&'static str),
    #[error("series {series:?} has {found} values for {expected} points")]
    Length {
        series: String,
        expected: usize,
        found: usize,
    },
    #[error("series {series:?} value {index} is not a finite number")]
    NotFinite { series: String, index: usize },
    #[error("date {index} is not after the date before it")]
    DatesOutOfOrder { index: usize },
}

/// Checks that every series has one finite value per point.
fn check_series(points: usize, what: &'static str, series: &[Series]) -> Result<(), ChartError> {
    if points == 0 {
        return Err(ChartError::Empty(what));
    }
    if series.is_empty() {
        return Err(ChartError::Empty("series"));
    }
    for s in series {
        if s.values.len() != points {
            return Err(ChartError::Length {
                series: s.name.clone(),
                expected: points,
                found: s.values.len(),
            });
        }
        if let Some(index) = s.values.iter().position(|v| !v.is_finite()) {
            return Err(ChartError::NotFinite {
                series: s.name.clone(),
                index,
            });
        }
    }
    Ok(())
}

/// The value range every chart's axis must cover: the data and zero.
fn value_range(series: &[Series]) -> (f64, f64) {
    series
        .iter()
        .flat_map(|s| s.values.iter().copied())
        .fold((0.0, 0.0), |(lo, hi), v| (f64::min(lo, v), f64::max(hi, v)))
}

/// Numbers as people read them: no needless decimals.
pub(crate) fn format_value(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{value:.0}")
    } else {
        let s = format!("{value:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    }
}

#[cfg(test)]
mod tests;
