//! `cpms serve`: start-up checks in a fixed order (data directory, database,
//! schema, listening socket, reference data, training accounts), then HTTP
//! until a signal, letting requests in flight finish.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use cpms_app::imaging::ImagingSettings;
use cpms_app::{App, AppSettings, HashCost, SessionLimits, SystemClock};
use cpms_store::{Store, StoreOptions};
use cpms_web::WebConfig;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::config::{Config, PasswordHashing};
use crate::failure::{Failure, code};
use crate::{data_dir, training};

/// A server running in the background of this process.
pub struct Running {
    pub addr: SocketAddr,
    pub app: App,
    shutdown: Option<oneshot::Sender<()>>,
    task: JoinHandle<Result<(), Failure>>,
}

impl Running {
    /// Stops accepting connections, lets requests in flight finish, and
    /// closes the database.
    pub async fn stop(mut self) -> Result<(), Failure> {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        self.task
            .await
            .map_err(|e| Failure::new(code::OTHER, format!("server task failed: {e}")))?
    }
}

/// Runs start-up and begins serving; returns once the server accepts
/// connections.
pub async fn start(config: Config) -> Result<Running, Failure> {
    data_dir::prepare(&config.data_dir)?;
    let secret = data_dir::secret_key(&config.data_dir, config.secret_key)?;
    let identity_keys = data_dir::identity_keys(&config.data_dir, config.identity_keys.as_deref())?;
    let store = open_store(&config).await?;
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|e| {
            Failure::new(
                code::LISTEN,
                format!("cannot listen on {} (listen): {e}", config.listen),
            )
        })?;
    let addr = listener
        .local_addr()
        .map_err(|e| Failure::new(code::LISTEN, e.to_string()))?;
    let app = App::new(
        store.clone(),
        Arc::new(SystemClock),
        app_settings(&config, identity_keys, &secret, addr),
    )?;
    if app.seed_reference().await? {
        tracing::info!("reference data seeded");
    }
    if config.training {
        training::ensure_accounts(&app, &config.data_dir).await?;
    }
    let router = cpms_web::router(app.clone(), web_config(&config, &secret));
    let (shutdown, stopped) = oneshot::channel::<()>();
    let housekeeping = tokio::spawn(housekeeping(app.clone()));
    let mail_sender = tokio::spawn(crate::smtp::send_outbox(app.clone(), config.smtp.clone()));
    let digests = tokio::spawn(notification_digests(app.clone()));
    let reminders = tokio::spawn(panel_reminders(app.clone()));
    let live = app.clone();
    let task = tokio::spawn(async move {
        let served = axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async move {
            let _ = stopped.await;
            tracing::info!("shutting down: finishing requests in flight");
            // Live notification streams never finish by themselves.
            live.end_live_notifications();
        })
        .await;
        housekeeping.abort();
        mail_sender.abort();
        digests.abort();
        reminders.abort();
        store.close().await;
        served.map_err(|e| Failure::new(code::OTHER, format!("server error: {e}")))
    });
    tracing::info!(
        "ERN-CPMS listening on http://{addr} ({}, {} database){}",
        if config.training {
            "training environment"
        } else {
            "production mode"
        },
        app.store().engine().name(),
        if config.training {
            format!(
                "; training accounts in {}",
                training::csv_path(&config.data_dir).display()
            )
        } else {
            String::new()
        },
    );
    Ok(Running {
        addr,
        app,
        shutdown: Some(shutdown),
        task,
    })
}

/// Serves until SIGINT or SIGTERM. The handlers are installed before
/// start-up, so a signal during start-up also ends in a clean stop rather
/// than the default abrupt exit.
pub(crate) async fn until_signal(config: Config) -> Result<(), Failure> {
    use tokio::signal::unix::{SignalKind, signal};
    let listen = |kind| {
        signal(kind).map_err(|e| Failure::new(code::OTHER, format!("cannot handle signals: {e}")))
    };
    let mut interrupt = listen(SignalKind::interrupt())?;
    let mut terminate = listen(SignalKind::terminate())?;
    let running = start(config).await?;
    tokio::select! {
        _ = interrupt.recv() => {}
        _ = terminate.recv() => {}
    }
    running.stop().await
}

/// Opens the database; migrates the embedded one, and refuses a PostgreSQL
/// schema that is not exactly this build's.
pub(crate) async fn open_store(config: &Config) -> Result<Store, Failure> {
    let options = StoreOptions {
        max_connections: config.database_max_connections,
        ..Default::default()
    };
    let store = Store::open(&config.database_url(), &options).await?;
    if config.uses_embedded_database() {
        store.migrate().await?;
    } else {
        store.require_current_schema().await?;
    }
    Ok(store)
}

pub(crate) fn app_settings(
    config: &Config,
    identity_keys: Vec<[u8; 32]>,
    secret: &[u8; 32],
    addr: SocketAddr,
) -> AppSettings {
    AppSettings {
        sessions: SessionLimits {
            idle: config.session_idle_timeout,
            absolute: config.session_absolute_timeout,
        },
        password_cost: match config.password_hashing {
            PasswordHashing::Standard => HashCost::PRODUCTION,
            PasswordHashing::Fast => HashCost::TESTING,
        },
        training: config.training,
        guest_period: config.guest_period,
        public_url: config.public_url.clone(),
        origin: origin(config, addr),
        identity_keys,
        sign_in_burst: config.sign_in_burst,
        oidc: config.oidc.clone(),
        terminology_dir: crate::terminology::imported_dir(&config.data_dir),
        case_templates: config.case_templates.clone(),
        attachments_dir: config.data_dir.join("attachments"),
        attachment_max_bytes: config.attachment_max_bytes,
        erasure: config.erasure,
        video_link_template: config.video_link_template.clone(),
        imaging: imaging_settings(config, secret),
    }
}

fn imaging_settings(config: &Config, secret: &[u8; 32]) -> ImagingSettings {
    let c = &config.imaging;
    let mut settings = ImagingSettings::new(
        c.uid_key
            .unwrap_or_else(|| derive_key(secret, "imaging-uid")),
        config.data_dir.join("imaging-staging"),
    );
    settings.retain_dates = c.retain_dates;
    settings.retain_device_identity = c.retain_device_identity;
    settings.max_files = c.max_files as usize;
    settings.max_total_bytes = c.max_upload_bytes;
    settings.limits.max_file_bytes = c.max_file_bytes;
    settings.limits.max_pixel_bytes = c.max_pixel_bytes;
    settings.zip.max_ratio = u64::from(c.zip_max_ratio);
    settings.zip.max_total_bytes = c.max_upload_bytes;
    settings.zip.max_entries = c.max_files as usize;
    settings
}

/// The origin browsers use: the public URL, else this machine by name
/// (passkeys need a domain, not an address) on the port bound.
fn origin(config: &Config, addr: SocketAddr) -> String {
    match &config.public_url {
        Some(url) => url.trim_end_matches('/').to_owned(),
        None => format!("http://localhost:{}", addr.port()),
    }
}

fn web_config(config: &Config, secret: &[u8; 32]) -> WebConfig {
    WebConfig {
        training: config.training,
        tls: config.tls(),
        csrf_key: derive_key(secret, "csrf"),
        trust_forwarded_for: config.trust_forwarded_for,
    }
}

/// One secret, separate keys per purpose.
fn derive_key(secret: &[u8; 32], purpose: &str) -> [u8; 32] {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret)
        .unwrap_or_else(|_| unreachable!("HMAC takes any key length"));
    mac.update(purpose.as_bytes());
    mac.finalize().into_bytes().into()
}

/// The daily notification digests. Looking every few minutes is cheap (an
/// index of what waits), and the job itself sends each person at most one
/// digest per day, so several instances running it send nothing twice:
/// each person's digest is written and marked in one transaction.
async fn notification_digests(app: App) {
    let mut tick = tokio::time::interval(Duration::from_secs(300));
    loop {
        tick.tick().await;
        match app.send_due_digests(jiff::Timestamp::now()).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(digests = n, "notification digests written to the outbox"),
            Err(err) => tracing::warn!(%err, "notification digests failed"),
        }
    }
}

/// Reminders about overdue urgent panels. The job records each panel's
/// reminder day, so looking every few minutes tells people once a day,
/// and soon after the date passes, whatever the restarts and instances.
async fn panel_reminders(app: App) {
    let mut tick = tokio::time::interval(Duration::from_secs(300));
    loop {
        tick.tick().await;
        match app.send_due_reminders(jiff::Timestamp::now()).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(panels = n, "reminders about overdue urgent panels sent"),
            Err(err) => tracing::warn!(%err, "reminders about overdue urgent panels failed"),
        }
    }
}

/// Periodic clean-up while the server runs.
/// An imaging upload whose journal was not touched for this long has
/// failed or crashed (a running upload touches it at every batch).
const UPLOAD_IDLE: jiff::SignedDuration = jiff::SignedDuration::from_mins(10);

async fn housekeeping(app: App) {
    let mut tick = tokio::time::interval(Duration::from_secs(600));
    loop {
        tick.tick().await;
        match app.purge_expired_sessions().await {
            Ok(0) => {}
            Ok(n) => tracing::info!(sessions = n, "removed expired sessions"),
            Err(err) => tracing::warn!(%err, "session clean-up failed"),
        }
        // The first tick is at start-up: what a crash left is swept then.
        if let Err(err) = app.sweep_imaging_uploads(UPLOAD_IDLE).await {
            tracing::warn!(%err, "imaging upload sweep failed");
        }
    }
}
