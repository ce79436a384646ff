//! One migration source for both engines: numbered portable SQL files,
//! applied in order, each in its own transaction, recorded with a checksum
//! so an edited migration is caught rather than silently diverging.
//!
//! Each work stream numbers its migrations in its own range (foundation
//! 0001, identity 01xx, patients 02xx, panels 03xx, imaging 04xx), so what
//! was applied is a set: any known migration not yet applied is applied, in
//! version order, and an applied version this build does not know means the
//! database is newer than the build.

use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::codec::ts;
use crate::{Engine, Store, StoreError};

pub struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sql: &'static str,
}

pub static MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "foundation",
        sql: include_str!("../migrations/0001_foundation.sql"),
    },
    Migration {
        version: 101,
        name: "second_factors",
        sql: include_str!("../migrations/0101_second_factors.sql"),
    },
    Migration {
        version: 102,
        name: "passkeys",
        sql: include_str!("../migrations/0102_passkeys.sql"),
    },
    Migration {
        version: 103,
        name: "identities",
        sql: include_str!("../migrations/0103_identities.sql"),
    },
    Migration {
        version: 104,
        name: "session_roles",
        sql: include_str!("../migrations/0104_session_roles.sql"),
    },
    Migration {
        version: 151,
        name: "onboarding",
        sql: include_str!("../migrations/0151_onboarding.sql"),
    },
    Migration {
        version: 152,
        name: "acting_for",
        sql: include_str!("../migrations/0152_acting_for.sql"),
    },
    Migration {
        version: 201,
        name: "patients",
        sql: include_str!("../migrations/0201_patients.sql"),
    },
    Migration {
        version: 202,
        name: "attachments",
        sql: include_str!("../migrations/0202_attachments.sql"),
    },
    Migration {
        version: 250,
        name: "patient_list_indexes",
        sql: include_str!("../migrations/0250_patient_list_indexes.sql"),
    },
    Migration {
        version: 251,
        name: "patient_search_keys",
        sql: include_str!("../migrations/0251_patient_search_keys.sql"),
    },
    Migration {
        version: 301,
        name: "panels",
        sql: include_str!("../migrations/0301_panels.sql"),
    },
    Migration {
        version: 302,
        name: "notifications",
        sql: include_str!("../migrations/0302_notifications.sql"),
    },
    Migration {
        version: 303,
        name: "mail_calendar",
        sql: include_str!("../migrations/0303_mail_calendar.sql"),
    },
    Migration {
        version: 304,
        name: "panel_meetings",
        sql: include_str!("../migrations/0304_panel_meetings.sql"),
    },
    Migration {
        version: 305,
        name: "panel_outcomes",
        sql: include_str!("../migrations/0305_panel_outcomes.sql"),
    },
    Migration {
        version: 306,
        name: "panel_guests_groups",
        sql: include_str!("../migrations/0306_panel_guests_groups.sql"),
    },
    Migration {
        version: 310,
        name: "panel_reminders",
        sql: include_str!("../migrations/0310_panel_reminders.sql"),
    },
    Migration {
        version: 401,
        name: "imaging",
        sql: include_str!("../migrations/0401_imaging.sql"),
    },
    Migration {
        version: 402,
        name: "api_tokens",
        sql: include_str!("../migrations/0402_api_tokens.sql"),
    },
    Migration {
        version: 403,
        name: "imaging_annotations",
        sql: include_str!("../migrations/0403_imaging_annotations.sql"),
    },
];

/// Where a database stands relative to this build. `current` is the
/// highest applied version, `latest` the highest this build knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemaState {
    Current,
    Behind { current: i64, latest: i64 },
    Ahead { current: i64, latest: i64 },
}

fn latest() -> i64 {
    MIGRATIONS.last().map_or(0, |m| m.version)
}

/// Known migrations not yet applied, in version order.
fn pending(applied: &[(i64, String, String)]) -> impl Iterator<Item = &'static Migration> + '_ {
    MIGRATIONS
        .iter()
        .filter(|m| !applied.iter().any(|(v, _, _)| *v == m.version))
}

/// The highest applied version this build does not know, if any.
fn unknown_applied(applied: &[(i64, String, String)]) -> Option<i64> {
    applied
        .iter()
        .map(|(v, _, _)| *v)
        .filter(|v| !MIGRATIONS.iter().any(|m| m.version == *v))
        .max()
}

fn checksum(sql: &str) -> String {
    hex::encode(Sha256::digest(sql.as_bytes()))
}

const CREATE_LEDGER: &str = "CREATE TABLE IF NOT EXISTS schema_migrations (
    version BIGINT PRIMARY KEY,
    name TEXT NOT NULL,
    checksum TEXT NOT NULL,
    applied_at TEXT NOT NULL
)";

impl Store {
    /// Applied migrations as (version, name, checksum); empty when the
    /// database has never been migrated.
    async fn applied(&self) -> Result<Vec<(i64, String, String)>, StoreError> {
        let exists_sql = match self.engine() {
            Engine::Sqlite => {
                "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
            }
            Engine::Postgres => {
                "SELECT COUNT(*) AS n FROM information_schema.tables \
                 WHERE table_schema = current_schema() AND table_name = 'schema_migrations'"
            }
        };
        let mut conn = self.read().await?;
        let exists: i64 = sqlx::query(exists_sql)
            .fetch_one(&mut *conn)
            .await?
            .try_get("n")?;
        if exists == 0 {
            return Ok(Vec::new());
        }
        let rows =
            sqlx::query("SELECT version, name, checksum FROM schema_migrations ORDER BY version")
                .fetch_all(&mut *conn)
                .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get("version")?,
                    r.try_get("name")?,
                    r.try_get("checksum")?,
                ))
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    /// The schema version of the database (0 when unmigrated).
    pub async fn schema_version(&self) -> Result<i64, StoreError> {
        Ok(self.applied().await?.last().map_or(0, |(v, _, _)| *v))
    }

    pub async fn schema_state(&self) -> Result<SchemaState, StoreError> {
        let applied = self.applied().await?;
        verify_checksums(&applied)?;
        let current = applied.last().map_or(0, |(v, _, _)| *v);
        let latest = latest();
        Ok(if let Some(unknown) = unknown_applied(&applied) {
            SchemaState::Ahead {
                current: unknown,
                latest,
            }
        } else if pending(&applied).next().is_some() {
            SchemaState::Behind { current, latest }
        } else {
            SchemaState::Current
        })
    }

    /// Refuses a database this build cannot run on, saying what to do.
    pub async fn require_current_schema(&self) -> Result<(), StoreError> {
        match self.schema_state().await? {
            SchemaState::Current => Ok(()),
            SchemaState::Behind { current, latest } => {
                Err(StoreError::NeedsMigration { current, latest })
            }
            SchemaState::Ahead { current, latest } => {
                Err(StoreError::SchemaTooNew { current, latest })
            }
        }
    }

    /// Applies every migration not yet applied; returns their versions.
    pub async fn migrate(&self) -> Result<Vec<i64>, StoreError> {
        let applied = self.applied().await?;
        verify_checksums(&applied)?;
        let current = applied.last().map_or(0, |(v, _, _)| *v);
        if current > latest() {
            return Err(StoreError::SchemaTooNew {
                current,
                latest: latest(),
            });
        }
        let mut done = Vec::new();
        for migration in MIGRATIONS.iter().filter(|m| m.version > current) {
            let mut tx = self.write().await?;
            sqlx::raw_sql(CREATE_LEDGER).execute(&mut *tx).await?;
            sqlx::raw_sql(migration.sql).execute(&mut *tx).await?;
            sqlx::query("INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES ($1, $2, $3, $4)")
                .bind(migration.version)
                .bind(migration.name)
                .bind(checksum(migration.sql))
                .bind(ts(jiff::Timestamp::now()))
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            tracing::info!(
                version = migration.version,
                name = migration.name,
                "applied migration"
            );
            done.push(migration.version);
        }
        Ok(done)
    }
}

fn verify_checksums(applied: &[(i64, String, String)]) -> Result<(), StoreError> {
    for (version, name, sum) in applied {
        if let Some(known) = MIGRATIONS.iter().find(|m| m.version == *version)
            && checksum(known.sql) != *sum
        {
            return Err(StoreError::MigrationChanged {
                version: *version,
                name: name.clone(),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_strictly_increase() {
        assert_eq!(MIGRATIONS.first().map(|m| m.version), Some(1));
        for pair in MIGRATIONS.windows(2) {
            assert!(
                pair[0].version < pair[1].version,
                "{} before {}",
                pair[0].name,
                pair[1].name
            );
        }
    }
}
