//! Parsers for configuration values. Each returns a message that completes
//! "configuration error in `key` (from …): ".

use std::net::SocketAddr;
use std::path::PathBuf;

use jiff::SignedDuration;

use cpms_domain::case_template::{CaseTemplate, CaseTemplates};

use super::{LogFormat, PasswordHashing};

pub fn socket_addr(raw: &str) -> Result<SocketAddr, String> {
    raw.parse()
        .map_err(|_| format!("'{raw}' is not an address and port like 127.0.0.1:8080"))
}

pub fn path(raw: &str) -> Result<PathBuf, String> {
    if raw.is_empty() {
        Err("must not be empty".to_owned())
    } else {
        Ok(PathBuf::from(raw))
    }
}

pub fn database_url(raw: &str) -> Result<String, String> {
    let known = ["sqlite:", "postgres://", "postgresql://"];
    if known.iter().any(|p| raw.starts_with(p)) {
        Ok(raw.to_owned())
    } else {
        Err("must start with postgres:// (or sqlite: for an explicit SQLite file)".to_owned())
    }
}

pub fn public_url(raw: &str) -> Result<String, String> {
    let ok = (raw.starts_with("https://") || raw.starts_with("http://"))
        && raw.len() > "http://".len() + 1;
    if ok {
        Ok(raw.trim_end_matches('/').to_owned())
    } else {
        Err(format!("'{raw}' is not an http(s):// URL"))
    }
}

pub fn boolean(raw: &str) -> Result<bool, String> {
    match raw.to_ascii_lowercase().as_str() {
        "true" | "yes" | "1" | "on" => Ok(true),
        "false" | "no" | "0" | "off" => Ok(false),
        _ => Err(format!("'{raw}' is not true or false")),
    }
}

pub fn positive_u32(raw: &str) -> Result<u32, String> {
    match raw.parse::<u32>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(format!("'{raw}' is not a positive whole number")),
    }
}

/// `90s`, `30m`, `12h`, `2d`.
pub fn duration(raw: &str) -> Result<SignedDuration, String> {
    let fail = || format!("'{raw}' is not a duration like 90s, 30m, 12h or 2d");
    let split = raw.find(|c: char| !c.is_ascii_digit()).ok_or_else(fail)?;
    let (number, unit) = raw.split_at(split);
    let n: i64 = number.parse().map_err(|_| fail())?;
    let seconds = match unit.trim() {
        "s" => n,
        "m" => n.checked_mul(60).ok_or_else(fail)?,
        "h" => n.checked_mul(3600).ok_or_else(fail)?,
        "d" => n.checked_mul(86_400).ok_or_else(fail)?,
        _ => return Err(fail()),
    };
    if seconds <= 0 {
        return Err("must be longer than zero".to_owned());
    }
    Ok(SignedDuration::from_secs(seconds))
}

pub fn log_format(raw: &str) -> Result<LogFormat, String> {
    match raw {
        "human" => Ok(LogFormat::Human),
        "json" => Ok(LogFormat::Json),
        _ => Err(format!("'{raw}' is not human or json")),
    }
}

pub fn video_link_template(raw: &str) -> Result<cpms_app::panels::VideoLinkTemplate, String> {
    cpms_app::panels::VideoLinkTemplate::parse(raw).map_err(|e| e.message)
}

pub fn erasure_mode(raw: &str) -> Result<cpms_app::patients::ErasureMode, String> {
    match raw {
        "delete" => Ok(cpms_app::patients::ErasureMode::Delete),
        "anonymise" => Ok(cpms_app::patients::ErasureMode::Anonymise),
        _ => Err(format!("'{raw}' is not delete or anonymise")),
    }
}

pub fn log_level(raw: &str) -> Result<String, String> {
    tracing_subscriber::EnvFilter::try_new(raw)
        .map(|_| raw.to_owned())
        .map_err(|e| format!("'{raw}' is not a log level or filter: {e}"))
}

pub fn key32(raw: &str) -> Result<[u8; 32], String> {
    let bytes = hex::decode(raw).map_err(|_| "must be 64 hexadecimal digits".to_owned())?;
    bytes
        .try_into()
        .map_err(|_| "must be 64 hexadecimal digits (32 bytes)".to_owned())
}

/// Comma-separated keys, oldest first.
pub fn key_list(raw: &str) -> Result<Vec<[u8; 32]>, String> {
    raw.split(',').map(|k| key32(k.trim())).collect()
}

/// Reads and checks a case template file (see the README).
pub fn case_templates(raw: &str) -> Result<CaseTemplates, String> {
    #[derive(serde::Deserialize)]
    struct TemplateFile {
        #[serde(default)]
        template: Vec<CaseTemplate>,
    }
    let text = std::fs::read_to_string(raw).map_err(|e| format!("cannot read {raw}: {e}"))?;
    let file: TemplateFile = toml::from_str(&text).map_err(|e| format!("{raw}: {e}"))?;
    CaseTemplates::new(file.template).map_err(|e| format!("{raw}: {}", e.message))
}

pub fn password_hashing(raw: &str) -> Result<PasswordHashing, String> {
    match raw {
        "standard" => Ok(PasswordHashing::Standard),
        "fast" => Ok(PasswordHashing::Fast),
        _ => Err(format!("'{raw}' is not standard or fast")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(duration("30m"), Ok(SignedDuration::from_mins(30)));
        assert_eq!(duration("2d"), Ok(SignedDuration::from_hours(48)));
        for bad in [
            "",
            "m",
            "30",
            "30 minutes",
            "-5m",
            "0s",
            "99999999999999999999d",
        ] {
            assert!(duration(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn values_with_their_messages() {
        assert!(
            socket_addr("localhost")
                .unwrap_err()
                .contains("127.0.0.1:8080")
        );
        assert_eq!(boolean("Yes"), Ok(true));
        assert!(boolean("maybe").is_err());
        assert!(positive_u32("0").is_err());
        assert!(database_url("mysql://x").is_err());
        assert_eq!(
            public_url("https://cpms.example.org/").unwrap(),
            "https://cpms.example.org"
        );
        assert!(key32("ab").is_err());
        assert_eq!(key32(&"ab".repeat(32)).unwrap(), [0xab; 32]);
        assert!(log_level("info,cpms_web=debug").is_ok());
        assert!(log_level("[[[").is_err());
    }
}
