//! Configuration: defaults, then a TOML file (`--config`), then `CPMS_*`
//! environment variables, then command-line flags; each later source wins.
//! Every value is parsed into a typed field at start-up, and the first bad
//! one stops the program with a message naming the key and where the value
//! came from.

mod oidc;
mod parse;
mod settings;
mod sources;

use std::net::SocketAddr;
use std::path::PathBuf;

use jiff::SignedDuration;

pub use settings::SETTINGS;
pub use sources::{ConfigError, Origin, RawConfig, Sources};

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Human,
    Json,
}

/// How expensive password hashes are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordHashing {
    /// Argon2id at the recommended cost.
    Standard,
    /// Much cheaper; allowed only in the training environment, where every
    /// account is synthetic.
    Fast,
}

/// The validated configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub listen: SocketAddr,
    pub data_dir: PathBuf,
    /// `None`: the embedded SQLite database in the data directory.
    pub database_url: Option<String>,
    pub database_max_connections: u32,
    pub training: bool,
    /// Where users reach the server, e.g. `https://cpms.example.org`.
    pub public_url: Option<String>,
    pub trust_forwarded_for: bool,
    pub log_format: LogFormat,
    pub log_level: String,
    pub session_idle_timeout: SignedDuration,
    pub session_absolute_timeout: SignedDuration,
    /// 32 bytes; when unset a key is generated and kept in the data directory.
    pub secret_key: Option<[u8; 32]>,
    pub password_hashing: PasswordHashing,
    pub guest_period: SignedDuration,
    /// `None`: mail waits in the outbox until a server is configured.
    pub smtp: Option<crate::smtp::SmtpConfig>,
    /// Keys for identifying fields, oldest first; when unset they live in
    /// the data directory.
    pub identity_keys: Option<Vec<[u8; 32]>>,
    /// Sign-in attempts one client address may make in a row.
    pub sign_in_burst: u32,
    /// Sign-in through an external OpenID provider (`oidc.*`).
    pub oidc: Option<cpms_app::auth::OidcSettings>,
    /// Per-ERN case template fields; empty when no file is configured.
    pub case_templates: cpms_domain::case_template::CaseTemplates,
    /// Largest attachment, in bytes.
    pub attachment_max_bytes: usize,
    pub erasure: cpms_app::patients::ErasureMode,
    /// Video-conference links of panel meetings.
    pub video_link_template: cpms_app::panels::VideoLinkTemplate,
    /// Study uploads (`imaging.*`).
    pub imaging: ImagingConfig,
}

/// Study upload limits and de-identification options.
#[derive(Debug, Clone)]
pub struct ImagingConfig {
    /// `None`: derived from `secret_key`.
    pub uid_key: Option<[u8; 32]>,
    pub retain_dates: bool,
    pub retain_device_identity: bool,
    pub max_files: u32,
    pub max_upload_bytes: u64,
    pub max_file_bytes: u64,
    pub max_pixel_bytes: u64,
    pub zip_max_ratio: u32,
}

impl Config {
    /// The database URL in effect.
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(url) => url.clone(),
            None => format!("sqlite://{}", self.data_dir.join("cpms.sqlite3").display()),
        }
    }

    pub fn uses_embedded_database(&self) -> bool {
        self.database_url
            .as_deref()
            .is_none_or(|url| url.starts_with("sqlite:"))
    }

    /// Served over TLS (directly or through a proxy).
    pub fn tls(&self) -> bool {
        self.public_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://"))
    }

    /// Loads and validates configuration from all sources.
    pub fn load(sources: &Sources) -> Result<Self, ConfigError> {
        let raw = RawConfig::collect(sources)?;
        Self::from_raw(&raw)
    }

    fn from_raw(raw: &RawConfig) -> Result<Self, ConfigError> {
        let data_dir: PathBuf = raw.parse("data_dir", parse::path)?;
        let config = Self {
            listen: raw.parse("listen", parse::socket_addr)?,
            database_url: raw.parse_opt("database_url", parse::database_url)?,
            database_max_connections: raw.parse("database.max_connections", parse::positive_u32)?,
            training: raw.parse("training", parse::boolean)?,
            public_url: raw.parse_opt("public_url", parse::public_url)?,
            trust_forwarded_for: raw.parse("trust_forwarded_for", parse::boolean)?,
            log_format: raw.parse("log.format", parse::log_format)?,
            log_level: raw.parse("log.level", parse::log_level)?,
            session_idle_timeout: raw.parse("session.idle_timeout", parse::duration)?,
            session_absolute_timeout: raw.parse("session.absolute_timeout", parse::duration)?,
            secret_key: raw.parse_opt("secret_key", parse::key32)?,
            password_hashing: raw.parse("password_hashing", parse::password_hashing)?,
            guest_period: raw.parse("guest.membership_period", parse::duration)?,
            smtp: crate::smtp::SmtpConfig::from_raw(raw)?,
            identity_keys: raw.parse_opt("identity_keys", parse::key_list)?,
            sign_in_burst: raw.parse("sign_in.burst", parse::positive_u32)?,
            oidc: oidc::from_raw(raw)?,
            case_templates: raw
                .parse_opt("case_templates", parse::case_templates)?
                .unwrap_or_default(),
            attachment_max_bytes: raw.parse("attachments.max_size_mib", parse::positive_u32)?
                as usize
                * 1024
                * 1024,
            erasure: raw.parse("erasure.clinical_data", parse::erasure_mode)?,
            video_link_template: raw
                .parse("meetings.video_link_template", parse::video_link_template)?,
            imaging: ImagingConfig {
                uid_key: raw.parse_opt("imaging.uid_key", parse::key32)?,
                retain_dates: raw.parse("imaging.retain_dates", parse::boolean)?,
                retain_device_identity: raw
                    .parse("imaging.retain_device_identity", parse::boolean)?,
                max_files: raw.parse("imaging.max_files", parse::positive_u32)?,
                max_upload_bytes: mib(raw.parse("imaging.max_upload_mib", parse::positive_u32)?),
                max_file_bytes: mib(raw.parse("imaging.max_file_mib", parse::positive_u32)?),
                max_pixel_bytes: mib(raw.parse("imaging.max_pixel_mib", parse::positive_u32)?),
                zip_max_ratio: raw.parse("imaging.zip_max_ratio", parse::positive_u32)?,
            },
            data_dir,
        };
        config.check_combinations(raw)
    }

    /// Rules that involve more than one key.
    fn check_combinations(self, raw: &RawConfig) -> Result<Self, ConfigError> {
        if self.password_hashing == PasswordHashing::Fast && !self.training {
            return Err(raw.error(
                "password_hashing",
                "'fast' is allowed only in the training environment (training = true)",
            ));
        }
        if self.session_idle_timeout > self.session_absolute_timeout {
            return Err(raw.error(
                "session.idle_timeout",
                "must not be longer than session.absolute_timeout",
            ));
        }
        Ok(self)
    }
}

fn mib(value: u32) -> u64 {
    u64::from(value) << 20
}
