//! Type-ahead latency over every 2- and 3-letter prefix of HPO term names, for the index
//! and for a linear scan doing the same ranking, plus load time and memory.
//!
//! `cargo run --release -p cpms-terminology --example typeahead [-- --load-only]`

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use cpms_terminology::{SearchOptions, System, Terminology, fold};

const GOAL: Duration = Duration::from_millis(5);
const LIMIT: usize = 10;
const INDEX_ROUNDS: usize = 5;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let rss_before = memory_kib("VmRSS");
    let started = Instant::now();
    let terminology = Terminology::shipped()?;
    let load = started.elapsed();
    let rss_after = memory_kib("VmRSS");
    println!(
        "profile: {}",
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        }
    );
    println!(
        "load: {:.0} ms, {} concepts",
        ms(load),
        terminology.concepts().count()
    );
    if let (Some(before), Some(after), Some(peak)) = (rss_before, rss_after, memory_kib("VmHWM")) {
        println!(
            "memory: resident {:.1} MiB after load ({:+.1} MiB for the terminology), peak {:.1} MiB",
            mib(after),
            mib(after.saturating_sub(before)),
            mib(peak)
        );
    }
    if std::env::args().any(|a| a == "--load-only") {
        return Ok(());
    }

    let prefixes = hpo_name_prefixes(&terminology);
    println!(
        "queries: {} distinct 2- and 3-letter prefixes of HPO name words, limit {LIMIT}",
        prefixes.len()
    );
    for (label, systems) in [("HPO only", vec![System::Hpo]), ("all systems", Vec::new())] {
        let options = SearchOptions::new(&systems, LIMIT);
        let mut mismatches = 0;
        for prefix in &prefixes {
            if terminology.search_with(prefix, &options)
                != terminology.search_linear(prefix, &options)
            {
                mismatches += 1;
            }
        }
        let index = time(&prefixes, INDEX_ROUNDS, |q| {
            terminology.search_with(q, &options).len()
        });
        let linear = time(&prefixes, 1, |q| {
            terminology.search_linear(q, &options).len()
        });
        println!("\n{label} (index and linear scan disagree on {mismatches} queries)");
        report("index", &index);
        report("linear scan", &linear);
        println!(
            "  linear/index: p50 {:.1}x, p99 {:.1}x",
            ratio(&linear, &index, 0.50),
            ratio(&linear, &index, 0.99)
        );
        let p99 = percentile(&index, 0.99);
        println!(
            "  index p99 is {:.1}% of the {} ms goal: {}",
            100.0 * p99.as_secs_f64() / GOAL.as_secs_f64(),
            GOAL.as_millis(),
            if p99 < GOAL { "met" } else { "NOT met" }
        );
    }
    Ok(())
}

/// Distinct folded 2- and 3-character starts of every word of current HPO term names.
fn hpo_name_prefixes(terminology: &Terminology) -> Vec<String> {
    let mut prefixes = BTreeSet::new();
    for concept in terminology
        .concepts()
        .filter(|c| c.system == System::Hpo && !c.obsolete)
    {
        for word in fold(&concept.name).split(' ') {
            let chars: Vec<char> = word.chars().collect();
            for length in [2, 3] {
                if chars.len() >= length {
                    prefixes.insert(chars[..length].iter().collect::<String>());
                }
            }
        }
    }
    prefixes.into_iter().collect()
}

/// Latency of every query, `rounds` times each, sorted; results are kept alive through
/// `black_box` so the work is not optimised away.
fn time(queries: &[String], rounds: usize, run: impl Fn(&str) -> usize) -> Vec<Duration> {
    let mut latencies = Vec::with_capacity(queries.len() * rounds);
    for _ in 0..rounds {
        for query in queries {
            let started = Instant::now();
            std::hint::black_box(run(query));
            latencies.push(started.elapsed());
        }
    }
    latencies.sort_unstable();
    latencies
}

fn percentile(sorted: &[Duration], fraction: f64) -> Duration {
    let rank = ((sorted.len() as f64 * fraction).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

fn report(label: &str, sorted: &[Duration]) {
    println!(
        "  {label:<12} p50 {:>8.3} ms  p99 {:>8.3} ms  max {:>8.3} ms  ({} timings)",
        ms(percentile(sorted, 0.50)),
        ms(percentile(sorted, 0.99)),
        ms(percentile(sorted, 1.0)),
        sorted.len()
    );
}

fn ratio(slow: &[Duration], fast: &[Duration], fraction: f64) -> f64 {
    percentile(slow, fraction).as_secs_f64() / percentile(fast, fraction).as_secs_f64()
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

/// A memory figure of this process from /proc (Linux); `None` elsewhere.
fn memory_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
