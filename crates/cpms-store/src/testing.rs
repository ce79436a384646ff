//! Fresh, empty databases for tests, on either engine. PostgreSQL tests
//! need a server: `PG_TEST_URL` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`) names one where the user
//! may create databases; each test gets its own, dropped afterwards.

use std::path::PathBuf;

use crate::{Engine, Store, StoreOptions};

/// The administrative connection used to create and drop test databases.
pub fn postgres_admin_url() -> String {
    std::env::var("PG_TEST_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

/// A database that exists for as long as this value lives.
pub struct TestDatabase {
    pub url: String,
    pub engine: Engine,
    /// Holds the SQLite file's directory.
    pub dir: tempfile::TempDir,
    pg_name: Option<String>,
}

impl TestDatabase {
    pub async fn new(engine: Engine) -> Self {
        let dir = tempfile::tempdir().expect("a temporary directory");
        match engine {
            Engine::Sqlite => {
                let path: PathBuf = dir.path().join("cpms.sqlite3");
                Self {
                    url: format!("sqlite://{}", path.display()),
                    engine,
                    dir,
                    pg_name: None,
                }
            }
            Engine::Postgres => {
                let name = format!("cpms_test_{}", uuid::Uuid::now_v7().simple());
                let admin = Store::open(
                    &postgres_admin_url(),
                    &StoreOptions {
                        max_connections: 1,
                        ..Default::default()
                    },
                )
                .await
                .unwrap_or_else(|e| panic!("PostgreSQL for tests ({}): {e}", postgres_admin_url()));
                let mut conn = admin.read().await.expect("admin connection");
                sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                    .execute(&mut *conn)
                    .await
                    .expect("create test database");
                drop(conn);
                admin.close().await;
                let url = database_url(&postgres_admin_url(), &name);
                Self {
                    url,
                    engine,
                    dir,
                    pg_name: Some(name),
                }
            }
        }
    }

    /// Opens the database and applies every migration.
    pub async fn migrated_store(&self) -> Store {
        let store = Store::open(&self.url, &StoreOptions::default())
            .await
            .expect("open test database");
        store.migrate().await.expect("migrate test database");
        store
    }
}

/// The admin URL with its database name replaced: everything up to the
/// first `/` after the authority is kept.
fn database_url(admin: &str, name: &str) -> String {
    let authority_start = admin.find("://").map_or(0, |i| i + 3);
    let server_end = admin[authority_start..]
        .find(['/', '?'])
        .map_or(admin.len(), |i| authority_start + i);
    format!("{}/{name}", &admin[..server_end])
}

/// Declares each named `async fn(Engine)` as two tests, `<name>::sqlite`
/// and `<name>::postgres`, so one suite runs on both engines and the test
/// output shows both.
#[macro_export]
macro_rules! both_engines {
    ($($test:ident),* $(,)?) => {
        $(
            mod $test {
                #[tokio::test]
                async fn sqlite() {
                    super::$test($crate::Engine::Sqlite).await
                }
                #[tokio::test]
                async fn postgres() {
                    super::$test($crate::Engine::Postgres).await
                }
            }
        )*
    };
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let Some(name) = self.pg_name.take() else {
            return;
        };
        // Drop cannot await; a short-lived runtime on its own thread does it.
        let _ = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            rt.block_on(async move {
                let options = StoreOptions {
                    max_connections: 1,
                    ..Default::default()
                };
                if let Ok(admin) = Store::open(&postgres_admin_url(), &options).await
                    && let Ok(mut conn) = admin.read().await
                {
                    let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                    let _ = sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
                        .execute(&mut *conn)
                        .await;
                }
            });
        })
        .join();
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn test_database_urls_keep_server_and_credentials() {
        assert_eq!(
            super::database_url("postgres://postgres@127.0.0.1:5432/postgres", "t1"),
            "postgres://postgres@127.0.0.1:5432/t1"
        );
        assert_eq!(
            super::database_url("postgres://u:p@db", "t2"),
            "postgres://u:p@db/t2"
        );
    }
}
