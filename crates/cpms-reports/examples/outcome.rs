//! Renders a realistic panel outcome (see `sample/outcome.rs`) through the
//! real path, `render_outcome`, and writes it as a PDF.
//!
//! `cargo run -p cpms-reports --example outcome -- out.pdf` writes the file;
//! `-- out.pdf --time 20` also renders it 20 times and prints timings (used
//! by `bench/pdf.sh`).

use std::time::{Duration, Instant};

use cpms_reports::outcome::{Issue, Letterhead, render_outcome};

#[path = "sample/outcome.rs"]
mod sample;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().unwrap_or_else(|| "outcome.pdf".into());
    let repeat = match (args.next().as_deref(), args.next()) {
        (Some("--time"), Some(n)) => Some(n.parse::<usize>()?),
        (None, _) => None,
        _ => return Err("usage: outcome [FILE.pdf] [--time N]".into()),
    };
    let outcome = sample::sample_outcome();
    let letterhead = Letterhead {
        network_name: "European Reference Network on Rare Neurological Diseases".into(),
        issuer: "ERN-CPMS".into(),
    };
    let issued = Issue::ForSignOff("2026-11-20T14:02:00Z".parse()?);
    let render = || render_outcome(&outcome, Some(&letterhead), issued);
    let bytes = render()?;
    std::fs::write(&path, &bytes)?;
    println!("wrote {path} ({} bytes)", bytes.len());
    if let Some(n) = repeat {
        time(render, &path, n.max(1))?;
    }
    Ok(())
}

/// Renders `n` times (from the domain value: building the typesetter's
/// document is part of the real path), then writes the same bytes `n` times
/// as a floor, and prints the median and 90th percentile of both in
/// milliseconds.
fn time<F>(render: F, path: &str, n: usize) -> Result<(), Box<dyn std::error::Error>>
where
    F: Fn() -> Result<Vec<u8>, cpms_reports::pdf::PdfError>,
{
    let mut render_times = Vec::with_capacity(n);
    let mut bytes = Vec::new();
    for _ in 0..n {
        let start = Instant::now();
        bytes = render()?;
        render_times.push(start.elapsed());
    }
    let mut write_times = Vec::with_capacity(n);
    for _ in 0..n {
        let start = Instant::now();
        std::fs::write(path, &bytes)?;
        write_times.push(start.elapsed());
    }
    let (median, p90) = stats(&mut render_times);
    let (floor_median, floor_p90) = stats(&mut write_times);
    println!("render_median_ms={median:.3} render_p90_ms={p90:.3}");
    println!("write_median_ms={floor_median:.3} write_p90_ms={floor_p90:.3}");
    Ok(())
}

fn stats(times: &mut [Duration]) -> (f64, f64) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    (ms(at(0.5)), ms(at(0.9)))
}
