//! Conversions between domain values and the portable column types.

use std::str::FromStr;

use jiff::Timestamp;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::StoreError;

pub(crate) fn ts(value: Timestamp) -> String {
    cpms_domain::time::format_utc(value)
}

pub(crate) fn flag(value: bool) -> i64 {
    i64::from(value)
}

/// Reads a column, naming table and column if the value is unusable.
pub(crate) struct Reader<'r> {
    row: &'r AnyRow,
    table: &'static str,
}

impl<'r> Reader<'r> {
    pub(crate) fn new(row: &'r AnyRow, table: &'static str) -> Self {
        Self { row, table }
    }

    pub(crate) fn text(&self, column: &'static str) -> Result<String, StoreError> {
        self.row
            .try_get::<String, _>(column)
            .map_err(|e| StoreError::corrupt(self.table, column, e))
    }

    pub(crate) fn opt_text(&self, column: &'static str) -> Result<Option<String>, StoreError> {
        self.row
            .try_get::<Option<String>, _>(column)
            .map_err(|e| StoreError::corrupt(self.table, column, e))
    }

    pub(crate) fn int(&self, column: &'static str) -> Result<i64, StoreError> {
        self.row
            .try_get::<i64, _>(column)
            .map_err(|e| StoreError::corrupt(self.table, column, e))
    }

    pub(crate) fn opt_int(&self, column: &'static str) -> Result<Option<i64>, StoreError> {
        self.row
            .try_get::<Option<i64>, _>(column)
            .map_err(|e| StoreError::corrupt(self.table, column, e))
    }

    pub(crate) fn flag(&self, column: &'static str) -> Result<bool, StoreError> {
        Ok(self.int(column)? != 0)
    }

    /// A column holding anything with a `FromStr`: ids, codes, timestamps.
    pub(crate) fn parsed<T>(&self, column: &'static str) -> Result<T, StoreError>
    where
        T: FromStr,
        T::Err: std::fmt::Display,
    {
        let raw = self.text(column)?;
        raw.parse()
            .map_err(|e: T::Err| StoreError::corrupt(self.table, column, e))
    }

    pub(crate) fn opt_parsed<T>(&self, column: &'static str) -> Result<Option<T>, StoreError>
    where
        T: FromStr,
        T::Err: std::fmt::Display,
    {
        self.opt_text(column)?
            .map(|raw| {
                raw.parse()
                    .map_err(|e: T::Err| StoreError::corrupt(self.table, column, e))
            })
            .transpose()
    }

    /// A column holding a value with its own validating parser.
    pub(crate) fn with<T, E: std::fmt::Display>(
        &self,
        column: &'static str,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Result<T, StoreError> {
        let raw = self.text(column)?;
        parse(&raw).map_err(|e| StoreError::corrupt(self.table, column, e))
    }
}
