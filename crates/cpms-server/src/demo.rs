//! `cpms demo patients` and `cpms demo panels`: fill a database with
//! synthetic data for demonstrations and benchmarks.

use std::io::Write;

use crate::config::Config;
use crate::failure::{Failure, code};
use crate::offline::open_app;

pub async fn patients(config: &Config, owner: &str, count: usize) -> Result<(), Failure> {
    let app = open_app(config).await?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut written = Ok(());
    let outcome = app
        .demo_patients(owner, count, |pseudonym| {
            if written.is_ok() {
                written = writeln!(out, "{pseudonym}");
            }
        })
        .await;
    let flushed = out.flush();
    app.store().close().await;
    outcome?;
    written
        .and(flushed)
        .map_err(|e| Failure::new(code::OTHER, format!("cannot write the pseudonyms: {e}")))
}

/// `cpms demo panels`: creates synthetic panels across the training
/// networks, telling progress on standard error and the summary on
/// standard output.
pub async fn panels(config: &Config, count: usize) -> Result<(), Failure> {
    let app = open_app(config).await?;
    let started = std::time::Instant::now();
    let outcome = app
        .demo_panels(count, |done| {
            if done % 1000 == 0 || done == count {
                eprintln!("{done} of {count} panels stored");
            }
        })
        .await;
    app.store().close().await;
    let made = outcome?;
    let states: Vec<String> = made
        .by_state
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(state, n)| format!("{} {n}", state.as_str()))
        .collect();
    let summary = format!(
        "panels={} contributions={} other_posts={} invitations={} declined={} \
         closed_few_contributions={} outcomes={} seconds={:.1}\nstates: {}\n",
        made.panels,
        made.contributions,
        made.other_posts,
        made.invitations,
        made.declined,
        made.closed_few,
        made.outcomes,
        started.elapsed().as_secs_f64(),
        states.join(", ")
    );
    std::io::stdout()
        .lock()
        .write_all(summary.as_bytes())
        .map_err(|e| Failure::new(code::OTHER, format!("cannot write the summary: {e}")))
}
