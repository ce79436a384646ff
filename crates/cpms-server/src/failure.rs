//! Why the program stops, with the exit code operators can script on.

/// Exit codes, documented in the README.
pub mod code {
    pub const OTHER: u8 = 1;
    pub const CONFIG: u8 = 2;
    pub const DATABASE: u8 = 3;
    pub const LISTEN: u8 = 4;
    pub const DATA_DIR: u8 = 5;
    pub const AUDIT_BROKEN: u8 = 6;
    /// Identity keys missing or unable to open stored values.
    pub const KEYS: u8 = 7;
}

#[derive(Debug)]
pub struct Failure {
    pub code: u8,
    pub message: String,
}

impl Failure {
    pub fn new(code: u8, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} (exit code {})", self.message, self.code)
    }
}

impl From<crate::config::ConfigError> for Failure {
    fn from(err: crate::config::ConfigError) -> Self {
        Self::new(code::CONFIG, err.to_string())
    }
}

impl From<cpms_store::StoreError> for Failure {
    fn from(err: cpms_store::StoreError) -> Self {
        Self::new(code::DATABASE, format!("{err} (database_url)"))
    }
}

impl From<cpms_app::AppError> for Failure {
    fn from(err: cpms_app::AppError) -> Self {
        Self::new(code::OTHER, err.to_string())
    }
}
