use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use super::settings::{SETTINGS, env_name, find};

/// Where a value came from, for error messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Default,
    File(PathBuf),
    Env(String),
    Flag(&'static str),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Default => f.write_str("default"),
            Origin::File(path) => write!(f, "file {}", path.display()),
            Origin::Env(name) => write!(f, "environment variable {name}"),
            Origin::Flag(flag) => write!(f, "command-line flag {flag}"),
        }
    }
}

/// A configuration problem: which key, from where, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub key: Option<String>,
    pub origin: Option<Origin>,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.key, &self.origin) {
            (Some(key), Some(origin)) => write!(
                f,
                "configuration error in `{key}` (from {origin}): {}",
                self.message
            ),
            (Some(key), None) => write!(f, "configuration error in `{key}`: {}", self.message),
            _ => write!(f, "configuration error: {}", self.message),
        }
    }
}

impl std::error::Error for ConfigError {}

/// What to read configuration from.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    pub file: Option<PathBuf>,
    /// The process environment (all of it; only `CPMS_*` is looked at).
    pub env: Vec<(String, String)>,
    /// Command-line overrides: (key, flag name, value).
    pub flags: Vec<(&'static str, &'static str, String)>,
}

/// Every key with its winning value and origin.
#[derive(Debug, Clone)]
pub struct RawConfig {
    values: BTreeMap<&'static str, (String, Origin)>,
}

impl RawConfig {
    pub fn collect(sources: &Sources) -> Result<Self, ConfigError> {
        let mut values = BTreeMap::new();
        for setting in SETTINGS {
            if let Some(default) = setting.default {
                values.insert(setting.key, (default.to_owned(), Origin::Default));
            }
        }
        if let Some(path) = &sources.file {
            for (key, value) in read_file(path)? {
                values.insert(key, (value, Origin::File(path.clone())));
            }
        }
        for (name, value) in &sources.env {
            if !name.starts_with("CPMS_") {
                continue;
            }
            let setting = SETTINGS.iter().find(|s| env_name(s.key) == *name).ok_or_else(|| ConfigError {
                key: None,
                origin: Some(Origin::Env(name.clone())),
                message: format!("unknown environment variable {name}; known settings are listed by `cpms config check --help`"),
            })?;
            if value.is_empty() {
                values.remove(setting.key);
            } else {
                values.insert(setting.key, (value.clone(), Origin::Env(name.clone())));
            }
        }
        for (key, flag, value) in &sources.flags {
            let setting = find(key).ok_or_else(|| ConfigError {
                key: Some((*key).to_owned()),
                origin: None,
                message: "not a known setting".to_owned(),
            })?;
            values.insert(setting.key, (value.clone(), Origin::Flag(flag)));
        }
        Ok(Self { values })
    }

    /// Parses a key that always has a value (it has a default).
    pub fn parse<T>(
        &self,
        key: &'static str,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Result<T, ConfigError> {
        match self.parse_opt(key, parse)? {
            Some(value) => Ok(value),
            None => Err(self.error(key, "is required")),
        }
    }

    pub fn parse_opt<T>(
        &self,
        key: &'static str,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Result<Option<T>, ConfigError> {
        match self.values.get(key) {
            None => Ok(None),
            Some((raw, origin)) => parse(raw.trim()).map(Some).map_err(|message| ConfigError {
                key: Some(key.to_owned()),
                origin: Some(origin.clone()),
                message,
            }),
        }
    }

    pub fn error(&self, key: &'static str, message: &str) -> ConfigError {
        ConfigError {
            key: Some(key.to_owned()),
            origin: self.values.get(key).map(|(_, origin)| origin.clone()),
            message: message.to_owned(),
        }
    }

    /// Each key with its effective value (secrets hidden) and origin.
    pub fn describe(&self) -> Vec<(&'static str, String, String)> {
        SETTINGS
            .iter()
            .map(|setting| match self.values.get(setting.key) {
                Some((_, origin)) if setting.secret => {
                    (setting.key, "***".to_owned(), origin.to_string())
                }
                Some((value, origin)) => (setting.key, value.clone(), origin.to_string()),
                None => (setting.key, "(unset)".to_owned(), "default".to_owned()),
            })
            .collect()
    }
}

/// Reads a TOML file into dotted keys, refusing unknown keys and values
/// that are not single strings, numbers or booleans.
fn read_file(path: &Path) -> Result<Vec<(&'static str, String)>, ConfigError> {
    let file_error = |message: String| ConfigError {
        key: None,
        origin: Some(Origin::File(path.to_owned())),
        message,
    };
    let text = std::fs::read_to_string(path).map_err(|e| {
        file_error(format!(
            "cannot read configuration file {}: {e}",
            path.display()
        ))
    })?;
    let table: toml::Table = text
        .parse()
        .map_err(|e: toml::de::Error| file_error(format!("not valid TOML: {e}")))?;
    let mut out = Vec::new();
    flatten("", &table, path, &mut out)?;
    Ok(out)
}

fn flatten(
    prefix: &str,
    table: &toml::Table,
    path: &Path,
    out: &mut Vec<(&'static str, String)>,
) -> Result<(), ConfigError> {
    for (name, value) in table {
        let key = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}.{name}")
        };
        let fail = |message: &str| ConfigError {
            key: Some(key.clone()),
            origin: Some(Origin::File(path.to_owned())),
            message: message.to_owned(),
        };
        let text = match value {
            toml::Value::Table(inner) => {
                flatten(&key, inner, path, out)?;
                continue;
            }
            toml::Value::String(s) => s.clone(),
            toml::Value::Integer(i) => i.to_string(),
            toml::Value::Boolean(b) => b.to_string(),
            toml::Value::Float(f) => f.to_string(),
            _ => return Err(fail("must be a string, number or boolean")),
        };
        let setting = find(&key).ok_or_else(|| fail("unknown setting"))?;
        out.push((setting.key, text));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn later_sources_win_and_remember_their_origin() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("cpms.toml");
        std::fs::write(
            &file,
            "listen = \"0.0.0.0:9000\"\n[log]\nformat = \"json\"\n",
        )
        .unwrap();
        let sources = Sources {
            file: Some(file.clone()),
            env: env(&[("CPMS_LISTEN", "127.0.0.1:9001"), ("PATH", "/bin")]),
            flags: vec![],
        };
        let raw = RawConfig::collect(&sources).unwrap();
        let listen = raw.parse("listen", |v| Ok(v.to_owned())).unwrap();
        assert_eq!(listen, "127.0.0.1:9001");
        let err = raw
            .parse("log.format", |_| Err::<(), _>("nope".into()))
            .unwrap_err();
        assert_eq!(err.origin, Some(Origin::File(file)));
    }

    #[test]
    fn unknown_keys_and_variables_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("cpms.toml");
        std::fs::write(&file, "[sesion]\nidle_timeout = \"5m\"\n").unwrap();
        let err = RawConfig::collect(&Sources {
            file: Some(file),
            ..Default::default()
        })
        .unwrap_err();
        assert_eq!(err.key.as_deref(), Some("sesion.idle_timeout"));
        let err = RawConfig::collect(&Sources {
            env: env(&[("CPMS_LISTN", "x")]),
            ..Default::default()
        })
        .unwrap_err();
        assert!(err.to_string().contains("CPMS_LISTN"), "{err}");
    }

    #[test]
    fn broken_files_say_so() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("cpms.toml");
        std::fs::write(&file, "listen = \n").unwrap();
        let err = RawConfig::collect(&Sources {
            file: Some(file.clone()),
            ..Default::default()
        })
        .unwrap_err();
        assert!(err.message.starts_with("not valid TOML"), "{err}");
        let missing = dir.path().join("absent.toml");
        let err = RawConfig::collect(&Sources {
            file: Some(missing),
            ..Default::default()
        })
        .unwrap_err();
        assert!(
            err.message.contains("cannot read configuration file"),
            "{err}"
        );
    }
}
