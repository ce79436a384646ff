use thiserror::Error;

/// What can go wrong in storage, phrased for the operator who reads it.
#[derive(Debug, Error)]
pub enum StoreError {
    #[error("cannot reach the database at {target}: {reason}")]
    Unreachable { target: String, reason: String },
    #[error("unsupported database URL '{0}': use sqlite://PATH or postgres://USER@HOST/DB")]
    UnsupportedUrl(String),
    #[error(
        "the database schema is at version {current}, this build needs version {latest}: run `cpms migrate`"
    )]
    NeedsMigration { current: i64, latest: i64 },
    #[error(
        "the database schema is at version {current}, newer than this build knows ({latest}): upgrade cpms"
    )]
    SchemaTooNew { current: i64, latest: i64 },
    #[error("migration {version} ({name}) was changed after it was applied to this database")]
    MigrationChanged { version: i64, name: String },
    #[error("stored value in {table}.{column} cannot be read: {detail}")]
    Corrupt {
        table: &'static str,
        column: &'static str,
        detail: String,
    },
    #[error("{what} already exists")]
    Duplicate { what: String },
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

impl StoreError {
    pub(crate) fn corrupt(
        table: &'static str,
        column: &'static str,
        detail: impl ToString,
    ) -> Self {
        Self::Corrupt {
            table,
            column,
            detail: detail.to_string(),
        }
    }

    /// Turns a unique-constraint violation into `Duplicate`.
    pub(crate) fn unique(err: sqlx::Error, what: impl Into<String>) -> Self {
        match &err {
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                Self::Duplicate { what: what.into() }
            }
            _ => Self::Database(err),
        }
    }
}
