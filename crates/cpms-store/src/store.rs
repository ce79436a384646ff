use std::ops::{Deref, DerefMut};
use std::sync::Arc;
use std::time::Duration;

use sqlx::AnyConnection;
use sqlx::any::AnyPoolOptions;
use sqlx::{Any, AnyPool, Transaction};
use tokio::sync::{Mutex, OwnedMutexGuard};

use crate::StoreError;

/// Which database engine a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    pub fn name(self) -> &'static str {
        match self {
            Engine::Sqlite => "SQLite",
            Engine::Postgres => "PostgreSQL",
        }
    }
}

#[derive(Debug, Clone)]
pub struct StoreOptions {
    pub max_connections: u32,
    /// How long to wait for a connection before giving up.
    pub acquire_timeout: Duration,
}

impl Default for StoreOptions {
    fn default() -> Self {
        Self {
            max_connections: 10,
            acquire_timeout: Duration::from_secs(5),
        }
    }
}

/// A pooled connection for reads.
pub type Conn = sqlx::pool::PoolConnection<Any>;

/// The database. Cheap to clone.
#[derive(Clone)]
pub struct Store {
    inner: Arc<Inner>,
}

struct Inner {
    pool: AnyPool,
    engine: Engine,
    /// SQLite allows one writer at a time and fails rather than waits when
    /// a reader's transaction tries to become a writer; taking this gate
    /// before every write transaction makes writers queue instead.
    write_gate: Option<Arc<Mutex<()>>>,
    target: String,
}

impl Store {
    /// Connects to `sqlite://PATH` or `postgres://…` and checks the
    /// connection works. Creates an SQLite file that does not exist.
    pub async fn open(url: &str, options: &StoreOptions) -> Result<Self, StoreError> {
        sqlx::any::install_default_drivers();
        let engine = engine_of(url)?;
        let target = redact(url);
        // No ping before each checkout: on PostgreSQL that is one more
        // round trip to the server per checkout (four per patient-list
        // request), each waiting for the server process to be scheduled on
        // a busy machine. A connection the server has dropped fails its
        // next statement instead, and the pool discards it.
        let mut pool_options = AnyPoolOptions::new()
            .max_connections(options.max_connections)
            .acquire_timeout(options.acquire_timeout)
            .test_before_acquire(false);
        if engine == Engine::Sqlite {
            pool_options = pool_options.after_connect(|conn, _meta| {
                Box::pin(async move {
                    sqlx::raw_sql(
                        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                         PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON; \
                         PRAGMA secure_delete = ON;",
                    )
                    .execute(conn)
                    .await
                    .map(|_| ())
                })
            });
        }
        let url = match engine {
            Engine::Sqlite if !url.contains('?') => format!("{url}?mode=rwc"),
            _ => url.to_owned(),
        };
        let pool = pool_options
            .connect(&url)
            .await
            .map_err(|e| StoreError::Unreachable {
                target: target.clone(),
                reason: describe(&e),
            })?;
        let write_gate = (engine == Engine::Sqlite).then(|| Arc::new(Mutex::new(())));
        Ok(Self {
            inner: Arc::new(Inner {
                pool,
                engine,
                write_gate,
                target,
            }),
        })
    }

    pub fn engine(&self) -> Engine {
        self.inner.engine
    }

    /// The database URL with any password hidden, for messages.
    pub fn target(&self) -> &str {
        &self.inner.target
    }

    /// A connection for reads outside a transaction.
    pub async fn read(&self) -> Result<Conn, StoreError> {
        Ok(self.inner.pool.acquire().await?)
    }

    /// Begins a write transaction; dropping it without `commit` rolls back.
    pub async fn write(&self) -> Result<WriteTx, StoreError> {
        let gate = match &self.inner.write_gate {
            Some(gate) => Some(gate.clone().lock_owned().await),
            None => None,
        };
        let tx = self.inner.pool.begin().await?;
        Ok(WriteTx {
            tx,
            _gate: gate,
            after_commit: Vec::new(),
        })
    }

    /// After an erasure: makes sure deleted rows survive nowhere on disk.
    /// SQLite (with `secure_delete`) zeroes freed space in the pages it
    /// writes, but older copies of those pages stay in the write-ahead log
    /// until it is checkpointed and truncated. PostgreSQL keeps dead rows
    /// until vacuum; its autovacuum reclaims them.
    pub async fn purge_deleted(&self) -> Result<(), StoreError> {
        if self.inner.engine == Engine::Sqlite {
            let _gate = match &self.inner.write_gate {
                Some(gate) => Some(gate.clone().lock_owned().await),
                None => None,
            };
            sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .execute(&self.inner.pool)
                .await?;
        }
        Ok(())
    }

    /// Checks that the database answers (the readiness probe).
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.inner.pool).await?;
        Ok(())
    }

    /// Waits for connections to be returned and closes them.
    pub async fn close(&self) {
        self.inner.pool.close().await;
    }
}

/// Work to do once a transaction's changes are visible to others.
type AfterCommit = Box<dyn FnOnce() + Send>;

/// A write transaction. Derefs to the connection repositories take.
pub struct WriteTx {
    tx: Transaction<'static, Any>,
    _gate: Option<OwnedMutexGuard<()>>,
    after_commit: Vec<AfterCommit>,
}

impl WriteTx {
    /// Commits, then runs what was registered with
    /// [`WriteTx::after_commit`] (after the write gate is released).
    pub async fn commit(self) -> Result<(), StoreError> {
        let WriteTx {
            tx,
            _gate: gate,
            after_commit,
        } = self;
        tx.commit().await?;
        drop(gate);
        for run in after_commit {
            run();
        }
        Ok(())
    }

    /// Registers `run` to happen only if and once this transaction commits:
    /// telling other parts of the process about a change (live
    /// notifications) must not announce what a rollback takes back, nor
    /// come before readers can see it.
    pub fn after_commit(&mut self, run: impl FnOnce() + Send + 'static) {
        self.after_commit.push(Box::new(run));
    }
}

impl Deref for WriteTx {
    type Target = AnyConnection;
    fn deref(&self) -> &AnyConnection {
        &self.tx
    }
}

impl DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        &mut self.tx
    }
}

fn engine_of(url: &str) -> Result<Engine, StoreError> {
    if url.starts_with("sqlite:") {
        Ok(Engine::Sqlite)
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Engine::Postgres)
    } else {
        Err(StoreError::UnsupportedUrl(redact(url)))
    }
}

/// Hides the password of `scheme://user:password@host/...`.
fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let Some((credentials, host)) = rest.split_once('@') else {
        return url.to_owned();
    };
    match credentials.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_owned(),
    }
}

/// The useful part of a connection error: the OS or server message.
fn describe(err: &sqlx::Error) -> String {
    match err {
        sqlx::Error::Io(io) => io.to_string(),
        sqlx::Error::PoolTimedOut => "timed out waiting for a connection".to_owned(),
        sqlx::Error::Database(db) => db.message().to_owned(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_reach_messages() {
        assert_eq!(
            redact("postgres://cpms:s3cret@db:5432/cpms"),
            "postgres://cpms:***@db:5432/cpms"
        );
        assert_eq!(redact("postgres://cpms@db/cpms"), "postgres://cpms@db/cpms");
        assert_eq!(
            redact("sqlite:///data/cpms.sqlite3"),
            "sqlite:///data/cpms.sqlite3"
        );
    }

    #[test]
    fn only_the_two_engines_are_accepted() {
        assert_eq!(engine_of("sqlite:///x").unwrap(), Engine::Sqlite);
        assert_eq!(engine_of("postgresql://h/db").unwrap(), Engine::Postgres);
        let err = engine_of("mysql://root:pw@h/db").unwrap_err();
        assert!(err.to_string().contains("mysql://root:***@h/db"), "{err}");
    }
}
