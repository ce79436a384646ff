//! Writes the three chart kinds with indicator-like data as SVG files.
//!
//! `cargo run -p cpms-reports --example charts -- OUTPUT_DIR`

use cpms_reports::chart::{
    CategoryChart, Series, TimeChart, bar_chart, horizontal_bar_chart, line_chart,
};
use jiff::civil::date;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::path::PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| ".".into()));
    let panels = CategoryChart {
        title: "Panels per quarter, 2026".into(),
        description: "Panels opened and closed per quarter in ERN-RND in 2026; closures caught up with openings in Q3.".into(),
        value_label: "Panels".into(),
        categories: vec!["Q1".into(), "Q2".into(), "Q3".into(), "Q4".into()],
        series: vec![
            Series { name: "Opened".into(), values: vec![42.0, 57.0, 61.0, 38.0] },
            Series { name: "Closed".into(), values: vec![31.0, 49.0, 66.0, 35.0] },
            Series { name: "Cross-ERN".into(), values: vec![4.0, 9.0, 7.0, 5.0] },
        ],
    };
    std::fs::write(dir.join("bars.svg"), bar_chart(&panels)?)?;

    let areas = CategoryChart {
        title: "Median days from submission to first contribution".into(),
        description:
            "Median and 90th percentile of days to the first expert contribution, by thematic area."
                .into(),
        value_label: "Days".into(),
        categories: vec![
            "Ataxias and hereditary spastic paraplegias".into(),
            "Dystonia, paroxysmal disorders and NBIA".into(),
            "Huntington's disease and chorea".into(),
            "Leukodystrophies".into(),
            "Frontotemporal dementia".into(),
        ],
        series: vec![
            Series {
                name: "Median".into(),
                values: vec![6.5, 9.0, 4.0, 12.5, 7.0],
            },
            Series {
                name: "90th percentile".into(),
                values: vec![19.0, 28.0, 11.0, 41.0, 22.0],
            },
        ],
    };
    std::fs::write(dir.join("horizontal.svg"), horizontal_bar_chart(&areas)?)?;

    let months: Vec<_> = (1..=12).map(|m| date(2026, m, 1)).collect();
    let active = TimeChart {
        title: "Active users per month".into(),
        description: "Users who signed in at least once per month, 2026.".into(),
        value_label: "Users".into(),
        dates: months,
        series: vec![
            Series {
                name: "Clinicians".into(),
                values: vec![
                    310.0, 325.0, 342.0, 338.0, 360.0, 371.0, 355.0, 298.0, 380.0, 402.0, 415.0,
                    409.0,
                ],
            },
            Series {
                name: "Guests".into(),
                values: vec![
                    12.0, 15.0, 14.0, 19.0, 22.0, 25.0, 21.0, 17.0, 28.0, 31.0, 30.0, 36.0,
                ],
            },
        ],
    };
    std::fs::write(dir.join("line.svg"), line_chart(&active)?)?;
    println!(
        "wrote bars.svg, horizontal.svg and line.svg to {}",
        dir.display()
    );
    Ok(())
}
