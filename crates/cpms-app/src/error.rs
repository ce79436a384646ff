use std::fmt;

use cpms_store::StoreError;

/// Stable error codes: the web layer maps each once to a page, a fragment
/// and a problem+json type; clients may rely on them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    /// Sign-in failed; deliberately the same for unknown user and wrong password.
    InvalidCredentials,
    AccountSuspended,
    /// Too many failed attempts from this address or for this account.
    TooManyAttempts,
    /// No valid session (absent, expired, revoked).
    NotSignedIn,
    /// The policy refused the action.
    Forbidden,
    NotFound,
    /// Input that does not pass validation; the message names the field.
    Invalid,
    /// Something on our side failed; details are in the log under an id.
    Internal,
    /// A stored image frame cannot be decoded for display; the message
    /// says why ("preview not available: …"). Pages show a placeholder.
    PreviewUnavailable,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InvalidCredentials => "auth.invalid_credentials",
            Self::AccountSuspended => "auth.account_suspended",
            Self::TooManyAttempts => "auth.too_many_attempts",
            Self::NotSignedIn => "auth.not_signed_in",
            Self::Forbidden => "access.forbidden",
            Self::NotFound => "not_found",
            Self::Invalid => "input.invalid",
            Self::Internal => "internal",
            Self::PreviewUnavailable => "imaging.preview_unavailable",
        }
    }
}

/// A use case failure: a code and a message fit to show the user.
#[derive(Debug)]
pub struct AppError {
    pub code: ErrorCode,
    pub message: String,
}

impl AppError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }

    pub fn not_found(what: impl fmt::Display) -> Self {
        Self::new(ErrorCode::NotFound, format!("{what} was not found"))
    }

    pub fn forbidden() -> Self {
        Self::new(ErrorCode::Forbidden, "You do not have access to this page.")
    }

    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Invalid, message)
    }

    /// Logs the cause; the user sees only that something failed.
    pub fn internal(cause: impl fmt::Display) -> Self {
        tracing::error!(%cause, "internal error");
        Self::new(ErrorCode::Internal, format!("internal error: {cause}"))
    }
}

impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code.as_str(), self.message)
    }
}

impl std::error::Error for AppError {}

impl From<StoreError> for AppError {
    fn from(err: StoreError) -> Self {
        Self::internal(err)
    }
}

impl From<cpms_domain::org::InvalidValue> for AppError {
    fn from(err: cpms_domain::org::InvalidValue) -> Self {
        Self::invalid(err.to_string())
    }
}
