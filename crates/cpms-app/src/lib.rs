//! Use cases of ERN-CPMS. Each public function is one user intention and
//! follows the same steps: authorise through the domain policy, load, apply
//! the domain rule, save, audit, all in one transaction. The web layer calls
//! only these; it never touches storage.

mod access;
pub mod attachments;
pub mod audit;
pub mod auth;
mod clock;
mod context;
mod error;
pub mod imaging;
pub mod notifications;
pub mod onboarding;
pub mod panels;
pub mod patients;
pub mod seed;
pub mod workspace;

use std::sync::{Arc, Mutex};

pub use clock::{Clock, SystemClock};
pub use context::{Caller, ClientInfo, OnBehalfOf};
pub use cpms_auth::password::HashCost;
pub use cpms_domain::session::SessionLimits;
pub use error::{AppError, ErrorCode};

use cpms_auth::password::PasswordHasher;
use cpms_auth::throttle::SignInThrottle;
use cpms_store::Store;

/// Settings the use cases need, taken from the server configuration.
#[derive(Debug, Clone)]
pub struct AppSettings {
    pub sessions: SessionLimits,
    pub password_cost: HashCost,
    /// Training environment: synthetic data, no second factor for the
    /// training accounts.
    pub training: bool,
    /// How long a guest membership lasts from approval or extension.
    pub guest_period: jiff::SignedDuration,
    /// Where users reach the server, for links in e-mail.
    pub public_url: Option<String>,
    /// The origin pages are served from (`public_url`, or the local address
    /// after binding): passkeys are bound to its host.
    pub origin: String,
    /// Keys for patients' identifying fields, oldest first; the last seals.
    pub identity_keys: Vec<[u8; 32]>,
    /// Sign-in attempts one client address may make in a row before it is
    /// slowed down (see [`auth::throttle_limits`]).
    pub sign_in_burst: u32,
    /// Sign-in through an external OpenID provider, when configured.
    pub oidc: Option<auth::OidcSettings>,
    /// Terminology written by `cpms import-terminology`; the shipped
    /// releases are used while it does not exist.
    pub terminology_dir: std::path::PathBuf,
    /// Per-ERN case template fields.
    pub case_templates: cpms_domain::case_template::CaseTemplates,
    /// Where attachments are kept (encrypted), and the largest accepted.
    pub attachments_dir: std::path::PathBuf,
    pub attachment_max_bytes: usize,
    /// What erasure does with the clinical part of a record.
    pub erasure: patients::ErasureMode,
    /// Video-conference links of panel meetings.
    pub video_link_template: cpms_reports::video_link::VideoLinkTemplate,
    /// Study uploads: limits and de-identification options.
    pub imaging: imaging::ImagingSettings,
}

/// The application: the store, the side-effect ports and the settings.
/// Cheap to clone.
#[derive(Clone)]
pub struct App {
    inner: Arc<Inner>,
}

struct Inner {
    store: Store,
    clock: Arc<dyn Clock>,
    passwords: PasswordHasher,
    identity: Arc<patients::IdentityCipher>,
    blobs: attachments::SealedBlobs,
    terminology: std::sync::OnceLock<cpms_terminology::Terminology>,
    /// Per-address attempt counters; per instance, which bounds guessing
    /// per instance (the per-account lockout is shared in the database).
    throttle: Mutex<SignInThrottle>,
    passkeys: cpms_auth::passkey::Passkeys,
    oidc: auth::OidcProvider,
    /// Live notification signals to pages open in this process.
    hub: Arc<notifications::NotificationHub>,
    settings: AppSettings,
}

impl App {
    pub fn new(
        store: Store,
        clock: Arc<dyn Clock>,
        settings: AppSettings,
    ) -> Result<Self, AppError> {
        let passwords = PasswordHasher::new(settings.password_cost).map_err(AppError::internal)?;
        let identity = Arc::new(patients::IdentityCipher::new(&settings.identity_keys)?);
        let store_dir = attachments::FsBlobStore::open(&settings.attachments_dir)?;
        let blobs = attachments::SealedBlobs::new(Arc::new(store_dir), identity.clone());
        let passkeys = auth::relying_party(&settings.origin)?;
        Ok(Self {
            inner: Arc::new(Inner {
                store,
                clock,
                passwords,
                identity,
                blobs,
                terminology: std::sync::OnceLock::new(),
                throttle: Mutex::new(SignInThrottle::new(auth::throttle_limits(
                    settings.sign_in_burst,
                ))),
                passkeys,
                oidc: auth::OidcProvider::new(settings.oidc.clone()),
                hub: Arc::default(),
                settings,
            }),
        })
    }

    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    pub fn settings(&self) -> &AppSettings {
        &self.inner.settings
    }

    fn now(&self) -> jiff::Timestamp {
        self.inner.clock.now()
    }

    fn passwords(&self) -> &PasswordHasher {
        &self.inner.passwords
    }

    fn identity_cipher(&self) -> &patients::IdentityCipher {
        &self.inner.identity
    }

    fn blobs(&self) -> &attachments::SealedBlobs {
        &self.inner.blobs
    }

    fn terminology_cell(&self) -> &std::sync::OnceLock<cpms_terminology::Terminology> {
        &self.inner.terminology
    }

    fn throttle(&self) -> &Mutex<SignInThrottle> {
        &self.inner.throttle
    }

    fn passkeys(&self) -> &cpms_auth::passkey::Passkeys {
        &self.inner.passkeys
    }

    fn oidc_provider(&self) -> &auth::OidcProvider {
        &self.inner.oidc
    }

    fn hub(&self) -> Arc<notifications::NotificationHub> {
        self.inner.hub.clone()
    }

    /// Whether the database answers (readiness).
    pub async fn ready(&self) -> Result<(), AppError> {
        self.inner.store.ping().await.map_err(AppError::from)
    }
}
