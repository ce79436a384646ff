//! A real `cpms` server in this process, on a fresh database of either
//! engine and a temporary data directory, configured through the same
//! configuration path as the binary.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use cpms_server::config::{Config, Sources};
use cpms_server::{Running, start};
use cpms_store::Engine;
use cpms_store::testing::TestDatabase;

pub struct TestServer {
    pub addr: SocketAddr,
    pub running: Option<Running>,
    pub data_dir: tempfile::TempDir,
    pub db: TestDatabase,
    options: Options,
}

/// What to start.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub training: bool,
    /// More `CPMS_*` settings.
    pub env: Vec<(String, String)>,
}

impl Options {
    /// The training environment, sending its mail over SMTP to a sink on
    /// 127.0.0.1:`smtp_port`.
    pub fn training_with_mail(smtp_port: u16) -> Self {
        Self {
            training: true,
            env: vec![
                ("CPMS_SMTP_HOST".into(), "127.0.0.1".into()),
                ("CPMS_SMTP_PORT".into(), smtp_port.to_string()),
            ],
        }
    }
}

impl TestServer {
    pub async fn start(engine: Engine, options: Options) -> Self {
        let db = TestDatabase::new(engine).await;
        if engine == Engine::Postgres {
            // PostgreSQL is migrated explicitly, as in production.
            db.migrated_store().await.close().await;
        }
        let data_dir = tempfile::tempdir().expect("data directory");
        let config = config_for(&db, data_dir.path(), &options);
        let running = start(config)
            .await
            .unwrap_or_else(|f| panic!("test server failed to start: {f}"));
        Self {
            addr: running.addr,
            running: Some(running),
            data_dir,
            db,
            options,
        }
    }

    /// Stops the server and starts it again on the same database and data
    /// directory, as an operator's restart would.
    pub async fn restart(&mut self) {
        if let Some(running) = self.running.take() {
            running.stop().await.expect("clean shutdown");
        }
        let config = config_for(&self.db, self.data_dir.path(), &self.options);
        let running = start(config)
            .await
            .unwrap_or_else(|f| panic!("test server failed to restart: {f}"));
        self.addr = running.addr;
        self.running = Some(running);
    }

    /// What the sign-up form offers, and a hospital of `ern` among them.
    pub async fn sign_up_choices_in(
        &self,
        ern: &str,
    ) -> (cpms_app::onboarding::SignUpChoices, cpms_domain::org::Hcp) {
        let choices = self
            .app()
            .sign_up_choices(&cpms_app::onboarding::SignUpDraft::default())
            .await
            .expect("sign-up choices");
        let hospital = choices
            .hospitals
            .iter()
            .find(|h| h.erns.iter().any(|e| e.as_str() == ern))
            .unwrap_or_else(|| panic!("a hospital of {ern}"))
            .clone();
        (choices, hospital)
    }

    /// A training-environment server (synthetic hospitals, 192 accounts).
    pub async fn training(engine: Engine) -> Self {
        Self::start(
            engine,
            Options {
                training: true,
                env: vec![],
            },
        )
        .await
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// The URL under the name the server's origin uses (`localhost`, not
    /// the address): WebAuthn needs a domain.
    pub fn localhost_url(&self, path: &str) -> String {
        format!("http://localhost:{}{path}", self.addr.port())
    }

    pub fn app(&self) -> &cpms_app::App {
        &self.running.as_ref().expect("server running").app
    }

    pub fn data_path(&self) -> PathBuf {
        self.data_dir.path().to_owned()
    }

    /// The password of a training account, from the credentials file.
    pub fn training_password(&self, username: &str) -> String {
        let csv = std::fs::read_to_string(self.data_dir.path().join("training-accounts.csv"))
            .expect("credentials file");
        csv.lines()
            .find_map(|line| {
                let fields: Vec<&str> = line.split(',').collect();
                (fields.first() == Some(&username)).then(|| fields[1].to_owned())
            })
            .unwrap_or_else(|| panic!("no training account {username}"))
    }

    pub async fn stop(mut self) {
        if let Some(running) = self.running.take() {
            running.stop().await.expect("clean shutdown");
        }
    }
}

/// The configuration a test server runs with: only environment variables,
/// as an operator would set them.
pub fn config_for(db: &TestDatabase, data_dir: &Path, options: &Options) -> Config {
    let mut env = vec![
        ("CPMS_DATABASE_URL".to_owned(), db.url.clone()),
        ("CPMS_DATA_DIR".to_owned(), data_dir.display().to_string()),
        ("CPMS_LISTEN".to_owned(), "127.0.0.1:0".to_owned()),
        ("CPMS_LOG_LEVEL".to_owned(), "warn".to_owned()),
    ];
    if options.training {
        env.push(("CPMS_TRAINING".to_owned(), "true".to_owned()));
        env.push(("CPMS_PASSWORD_HASHING".to_owned(), "fast".to_owned()));
    }
    env.extend(options.env.iter().cloned());
    Config::load(&Sources {
        file: None,
        env,
        flags: vec![],
    })
    .unwrap_or_else(|e| panic!("test configuration: {e}"))
}
