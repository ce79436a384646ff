//! The three source files found in one directory by their usual names, as
//! released or as `cpms import-terminology` keeps them: `hp.obo`,
//! `phenotype.hpoa` and an ICD-10 XML file (`icd10….xml`), each plain or
//! gzip-compressed (`.gz`).

use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use crate::{SourceFile, Terminology, TerminologyError};

/// Where each source file of a directory is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFiles {
    pub hp_obo: PathBuf,
    pub hpoa: PathBuf,
    pub icd10: PathBuf,
}

/// A directory that does not hold exactly one of each source file.
#[derive(Debug, thiserror::Error)]
#[error("{dir}: {problem}")]
pub struct SourceDirError {
    pub dir: String,
    pub problem: String,
}

impl SourceFiles {
    pub fn find(dir: &Path) -> Result<Self, SourceDirError> {
        let fail = |problem: String| SourceDirError {
            dir: dir.display().to_string(),
            problem,
        };
        let names: Vec<String> = std::fs::read_dir(dir)
            .map_err(|e| fail(format!("cannot list the directory: {e}")))?
            .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
            .collect();
        let one = |file: SourceFile, matches: &dyn Fn(&str) -> bool| {
            let found: Vec<&String> = names.iter().filter(|n| matches(n)).collect();
            match found.as_slice() {
                [name] => Ok(dir.join(name)),
                [] => Err(fail(format!("no {file} file ({})", expected(file)))),
                _ => Err(fail(format!(
                    "more than one {file} file: {}",
                    found
                        .iter()
                        .map(|n| n.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ))),
            }
        };
        Ok(Self {
            hp_obo: one(SourceFile::HpoObo, &|n| n == "hp.obo" || n == "hp.obo.gz")?,
            hpoa: one(SourceFile::Hpoa, &|n| {
                n == "phenotype.hpoa" || n == "phenotype.hpoa.gz"
            })?,
            icd10: one(SourceFile::Icd10, &|n| {
                let n = n.to_ascii_lowercase();
                n.starts_with("icd10") && (n.ends_with(".xml") || n.ends_with(".xml.gz"))
            })?,
        })
    }

    /// Parses the three files; any error in any of them fails the load.
    pub fn load(&self) -> Result<Terminology, TerminologyError> {
        let open = |file: SourceFile, path: &Path| {
            File::open(path)
                .map(BufReader::new)
                .map_err(|source| TerminologyError::Read { file, source })
        };
        Terminology::from_sources(
            open(SourceFile::HpoObo, &self.hp_obo)?,
            open(SourceFile::Hpoa, &self.hpoa)?,
            open(SourceFile::Icd10, &self.icd10)?,
        )
    }

    pub fn all(&self) -> [&Path; 3] {
        [&self.hp_obo, &self.hpoa, &self.icd10]
    }
}

fn expected(file: SourceFile) -> &'static str {
    match file {
        SourceFile::HpoObo => "hp.obo or hp.obo.gz",
        SourceFile::Hpoa => "phenotype.hpoa or phenotype.hpoa.gz",
        SourceFile::Icd10 => "a name like icd10-2019.xml or icd10.xml.gz",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_each_file_once_and_names_what_is_missing_or_doubled() {
        let dir = std::env::temp_dir().join(format!("cpms-source-dir-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for name in ["hp.obo.gz", "phenotype.hpoa", "ICD10-2019.xml", "README.md"] {
            std::fs::write(dir.join(name), b"").unwrap();
        }
        let found = SourceFiles::find(&dir).unwrap();
        assert_eq!(found.hp_obo, dir.join("hp.obo.gz"));
        assert_eq!(found.icd10, dir.join("ICD10-2019.xml"));
        std::fs::write(dir.join("icd10.xml.gz"), b"").unwrap();
        let err = SourceFiles::find(&dir).unwrap_err().to_string();
        assert!(err.contains("more than one ICD-10 XML file"), "{err}");
        std::fs::remove_file(dir.join("phenotype.hpoa")).unwrap();
        let err = SourceFiles::find(&dir).unwrap_err().to_string();
        assert!(err.contains("no phenotype.hpoa file"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
