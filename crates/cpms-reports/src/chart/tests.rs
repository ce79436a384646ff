use jiff::civil::date;
use proptest::prelude::*;

use super::*;

fn series(name: &str, values: &[f64]) -> Series {
    Series {
        name: name.into(),
        values: values.to_vec(),
    }
}

fn categories(names: &[&str], series: Vec<Series>) -> CategoryChart {
    CategoryChart {
        title: "Panels".into(),
        description: "Panels per quarter".into(),
        value_label: "Count".into(),
        categories: names.iter().map(|s| s.to_string()).collect(),
        series,
    }
}

/// Parses the SVG as XML (so it is well formed) and hands over the tree.
fn parse(svg: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("not well-formed XML ({e}):\n{svg}"))
}

fn elements<'a>(
    doc: &'a roxmltree::Document,
    tag: &str,
    class: &str,
) -> Vec<roxmltree::Node<'a, 'a>> {
    doc.descendants()
        .filter(|n| n.has_tag_name(tag) && n.attribute("class") == Some(class))
        .collect()
}

fn tick_values(doc: &roxmltree::Document) -> Vec<f64> {
    elements(doc, "text", "tick")
        .iter()
        .map(|n| n.text().unwrap().parse().unwrap())
        .collect()
}

#[test]
fn grouped_bars_draw_one_bar_per_value_on_a_nice_axis() {
    let chart = categories(
        &["Q1", "Q2", "Q3"],
        vec![
            series("Opened", &[42.0, 57.0, 61.0]),
            series("Closed", &[31.0, 49.0, 66.0]),
        ],
    );
    let svg = bar_chart(&chart).unwrap();
    let doc = parse(&svg);
    assert_eq!(elements(&doc, "rect", "bar").len(), 6);
    let ticks = tick_values(&doc);
    assert_eq!(ticks.first(), Some(&0.0));
    assert_eq!(ticks.last(), Some(&80.0));
    let root = doc.root_element();
    assert_eq!(root.attribute("role"), Some("img"));
    assert_eq!(
        root.first_element_child().unwrap().tag_name().name(),
        "title"
    );
    assert!(
        root.descendants()
            .any(|n| n.has_tag_name("desc") && n.text() == Some("Panels per quarter"))
    );
    // Bars are as tall as their values: 66 of 80 takes 66/80 of the axis.
    let heights: Vec<f64> = elements(&doc, "rect", "bar")
        .iter()
        .map(|n| n.attribute("height").unwrap().parse().unwrap())
        .collect();
    // Bars run category by category: Q1 opened, Q1 closed, Q2 opened, …
    let per_unit = heights[2] / 57.0;
    assert!((heights[5] / per_unit - 66.0).abs() < 0.1, "{heights:?}");
}

#[test]
fn horizontal_bars_have_one_label_per_category() {
    let chart = categories(
        &["A", "B", "C", "D"],
        vec![series("Median", &[6.5, 9.0, 4.0, 12.5])],
    );
    let svg = horizontal_bar_chart(&chart).unwrap();
    let doc = parse(&svg);
    assert_eq!(elements(&doc, "rect", "bar").len(), 4);
    assert_eq!(elements(&doc, "text", "category").len(), 4);
    assert_eq!(tick_values(&doc).last(), Some(&12.5));
}

#[test]
fn many_categories_make_a_taller_horizontal_chart() {
    let names: Vec<String> = (0..40).map(|i| format!("Hospital {i}")).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let values: Vec<f64> = (0..40).map(f64::from).collect();
    let svg = horizontal_bar_chart(&categories(&names, vec![series("Panels", &values)])).unwrap();
    let doc = parse(&svg);
    let height: f64 = doc
        .root_element()
        .attribute("height")
        .unwrap()
        .parse()
        .unwrap();
    assert!(height >= 40.0 * 24.0, "height {height}");
    let bars = elements(&doc, "rect", "bar");
    let thickness: f64 = bars[0].attribute("height").unwrap().parse().unwrap();
    assert!(thickness >= 14.0, "bars {thickness} thick");
    // The few-category chart keeps the standard height.
    let small = horizontal_bar_chart(&categories(&["a"], vec![series("s", &[1.0])])).unwrap();
    assert_eq!(
        parse(&small).root_element().attribute("height"),
        Some("380")
    );
}

#[test]
fn negative_values_extend_the_axis_below_zero() {
    let chart = categories(&["a", "b"], vec![series("change", &[-13.0, 7.0])]);
    let doc_svg = bar_chart(&chart).unwrap();
    let ticks = tick_values(&parse(&doc_svg));
    assert!(
        ticks.first().unwrap() <= &-13.0 && ticks.contains(&0.0),
        "{ticks:?}"
    );
}

#[test]
fn labels_cannot_inject_markup() {
    let evil = "</text><script>alert(1)</script><text a=\"";
    let chart = CategoryChart {
        title: evil.into(),
        description: evil.into(),
        value_label: evil.into(),
        categories: vec![evil.into(), "x\u{0}\u{8}y".into()],
        series: vec![series(evil, &[1.0, 2.0])],
    };
    for svg in [
        bar_chart(&chart).unwrap(),
        horizontal_bar_chart(&chart).unwrap(),
    ] {
        let doc = parse(&svg);
        assert!(!doc.descendants().any(|n| n.has_tag_name("script")));
        assert!(
            doc.descendants()
                .any(|n| n.has_tag_name("title") && n.text() == Some(evil))
        );
    }
    let line = line_chart(&TimeChart {
        title: evil.into(),
        description: evil.into(),
        value_label: evil.into(),
        dates: vec![date(2026, 1, 1)],
        series: vec![series(evil, &[3.0])],
    })
    .unwrap();
    assert!(!parse(&line).descendants().any(|n| n.has_tag_name("script")));
}

#[test]
fn lines_have_a_point_per_date_placed_to_scale() {
    let chart = TimeChart {
        title: "Users".into(),
        description: "Active users".into(),
        value_label: "Users".into(),
        // Two weeks, then ten weeks: the gaps must differ fivefold.
        dates: vec![date(2026, 1, 5), date(2026, 1, 19), date(2026, 3, 30)],
        series: vec![
            series("Clinicians", &[310.0, 325.0, 342.0]),
            series("Guests", &[12.0, 15.0, 14.0]),
        ],
    };
    let svg = line_chart(&chart).unwrap();
    let doc = parse(&svg);
    assert_eq!(elements(&doc, "polyline", "series").len(), 2);
    let points = elements(&doc, "circle", "point");
    assert_eq!(points.len(), 6);
    let xs: Vec<f64> = points[..3]
        .iter()
        .map(|n| n.attribute("cx").unwrap().parse().unwrap())
        .collect();
    let ratio = (xs[2] - xs[1]) / (xs[1] - xs[0]);
    assert!((ratio - 5.0).abs() < 0.01, "{xs:?}");
    assert_eq!(tick_values(&doc).last(), Some(&400.0));
    let labels: Vec<&str> = elements(&doc, "text", "date")
        .iter()
        .map(|n| n.text().unwrap())
        .collect();
    assert!(
        labels.contains(&"2026-01-05") && labels.contains(&"2026-03-30"),
        "{labels:?}"
    );
}

#[test]
fn bad_data_is_refused_with_a_reason() {
    let ragged = categories(&["a", "b"], vec![series("s", &[1.0])]);
    assert_eq!(
        bar_chart(&ragged),
        Err(ChartError::Length {
            series: "s".into(),
            expected: 2,
            found: 1
        })
    );
    let nan = categories(&["a"], vec![series("s", &[f64::NAN])]);
    assert_eq!(
        bar_chart(&nan),
        Err(ChartError::NotFinite {
            series: "s".into(),
            index: 0
        })
    );
    assert_eq!(
        horizontal_bar_chart(&categories(&[], vec![])),
        Err(ChartError::Empty("categories"))
    );
    assert_eq!(
        bar_chart(&categories(&["a"], vec![])),
        Err(ChartError::Empty("series"))
    );
    let backwards = TimeChart {
        title: "t".into(),
        description: "d".into(),
        value_label: "v".into(),
        dates: vec![date(2026, 2, 1), date(2026, 1, 1)],
        series: vec![series("s", &[1.0, 2.0])],
    };
    assert_eq!(
        line_chart(&backwards),
        Err(ChartError::DatesOutOfOrder { index: 1 })
    );
}

/// WCAG relative luminance and contrast ratio.
fn contrast_with_white(hex: &str) -> f64 {
    let channel = |i: usize| {
        let c = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap()) / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    let luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
    1.05 / (luminance + 0.05)
}

#[test]
fn every_series_colour_meets_aa_contrast_on_white() {
    for colour in PALETTE {
        let ratio = contrast_with_white(colour);
        assert!(ratio >= 4.5, "{colour} has contrast {ratio:.2}");
    }
}

#[test]
fn values_print_without_needless_decimals() {
    assert_eq!(format_value(40.0), "40");
    assert_eq!(format_value(2.5), "2.5");
    assert_eq!(format_value(0.126), "0.13");
    assert_eq!(format_value(-3.0), "-3");
}

proptest! {
    #[test]
    fn nice_scales_cover_the_data_with_round_steps(a in -1e6f64..1e6, b in -1e6f64..1e6, ticks in 2usize..10) {
        let (low, high) = (a.min(b).min(0.0), a.max(b).max(0.0));
        let scale = NiceScale::new(low, high, ticks);
        prop_assert!(scale.min <= low && scale.max >= high);
        let magnitude = 10f64.powf(scale.step.log10().floor());
        let mantissa = scale.step / magnitude;
        prop_assert!([1.0, 2.0, 2.5, 5.0, 10.0].iter().any(|m| (mantissa - m).abs() < 1e-9), "step {}", scale.step);
        let intervals = (scale.max - scale.min) / scale.step;
        prop_assert!((intervals - intervals.round()).abs() < 1e-6);
        // Not wastefully loose: at most about twice the requested ticks.
        prop_assert!(intervals <= (2 * ticks + 2) as f64, "{} intervals", intervals);
    }

    #[test]
    fn any_labels_give_well_formed_svg(labels in proptest::collection::vec(any::<String>(), 1..6)) {
        let values: Vec<f64> = (0..labels.len()).map(|i| i as f64).collect();
        let chart = CategoryChart {
            title: labels[0].clone(),
            description: labels.concat(),
            value_label: labels[0].clone(),
            categories: labels.clone(),
            series: vec![Series { name: labels[0].clone(), values }],
        };
        let svg = bar_chart(&chart).unwrap();
        prop_assert!(roxmltree::Document::parse(&svg).is_ok());
    }
}
