//! `cpms import-terminology DIR`: checks newer releases of hp.obo,
//! phenotype.hpoa and the ICD-10 XML by loading them exactly as the server
//! will, then keeps copies in the data directory, which the server uses
//! from its next start instead of the releases shipped in the binary. A
//! set that does not load leaves the previous import in place.

use std::path::{Path, PathBuf};

use cpms_terminology::{SourceFiles, System, Terminology};

use crate::config::Config;
use crate::data_dir;
use crate::failure::{Failure, code};

const IMPORTED: &str = "terminology";

/// Where the imported files live.
pub fn imported_dir(data_dir: &Path) -> PathBuf {
    data_dir.join(IMPORTED)
}

pub fn import(config: &Config, from: &Path) -> Result<(), Failure> {
    let sources = SourceFiles::find(from).map_err(|e| Failure::new(code::CONFIG, e.to_string()))?;
    let terminology = sources
        .load()
        .map_err(|e| Failure::new(code::TERMINOLOGY, format!("{}: {e}", from.display())))?;
    data_dir::prepare(&config.data_dir)?;
    let target = imported_dir(&config.data_dir);
    replace_with_copies(&sources, &target).map_err(|e| {
        Failure::new(
            code::DATA_DIR,
            format!("cannot write {}: {e}", target.display()),
        )
    })?;
    let versions = terminology.versions();
    println!(
        "imported HPO {} ({} terms), ORPHA and OMIM names of phenotype.hpoa {} ({} diseases), \
         ICD-10 {} ({} codes) into {}; the server uses them from its next start",
        versions.hpo,
        count(&terminology, &[System::Hpo]),
        versions.hpo_annotations,
        count(&terminology, &[System::Orpha, System::Omim]),
        versions.icd10,
        count(&terminology, &[System::Icd10]),
        target.display()
    );
    Ok(())
}

fn count(terminology: &Terminology, systems: &[System]) -> usize {
    terminology
        .concepts()
        .filter(|c| systems.contains(&c.system))
        .count()
}

/// Copies into a fresh directory beside the target, then swaps it in, so a
/// failure half-way never leaves a mixed set.
fn replace_with_copies(sources: &SourceFiles, target: &Path) -> std::io::Result<()> {
    let staging = target.with_extension("new");
    if staging.exists() {
        std::fs::remove_dir_all(&staging)?;
    }
    std::fs::create_dir_all(&staging)?;
    for source in sources.all() {
        if let Some(name) = source.file_name() {
            std::fs::copy(source, staging.join(name))?;
        }
    }
    let previous = target.with_extension("old");
    if target.exists() {
        std::fs::rename(target, &previous)?;
    }
    std::fs::rename(&staging, target)?;
    if previous.exists() {
        std::fs::remove_dir_all(&previous)?;
    }
    Ok(())
}
