//! `cpms demo patients`: fills a database with synthetic patients for one
//! clinician, printing their pseudonyms one per line.

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
