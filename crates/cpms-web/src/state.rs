use std::sync::Arc;

use cpms_app::App;

/// How the HTTP layer behaves; set from the server configuration.
#[derive(Clone)]
pub struct WebConfig {
    /// Training environment: banner on every page.
    pub training: bool,
    /// Served over TLS (directly or behind a proxy): Secure, `__Host-`
    /// cookies and HSTS.
    pub tls: bool,
    /// Key for CSRF tokens. Random per start unless configured, which
    /// several instances behind one load balancer must share.
    pub csrf_key: [u8; 32],
    /// Take the client address from `X-Forwarded-For` (set only behind a
    /// reverse proxy that overwrites it).
    pub trust_forwarded_for: bool,
}

impl std::fmt::Debug for WebConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebConfig")
            .field("training", &self.training)
            .field("tls", &self.tls)
            .field("trust_forwarded_for", &self.trust_forwarded_for)
            .finish_non_exhaustive()
    }
}

/// What every handler gets.
#[derive(Clone)]
pub(crate) struct AppState {
    pub app: App,
    pub config: Arc<WebConfig>,
}

impl AppState {
    /// The session cookie's name: `__Host-` prefixed when served over TLS
    /// (browsers then refuse it from a subdomain or without Secure).
    pub fn session_cookie(&self) -> &'static str {
        if self.config.tls {
            "__Host-cpms-session"
        } else {
            "cpms-session"
        }
    }

    /// The cookie anonymous forms (sign-in) bind their CSRF token to.
    pub fn presession_cookie(&self) -> &'static str {
        if self.config.tls {
            "__Host-cpms-pre"
        } else {
            "cpms-pre"
        }
    }

    /// Attributes common to our cookies.
    pub fn cookie_attributes(&self) -> &'static str {
        if self.config.tls {
            "; Path=/; HttpOnly; SameSite=Lax; Secure"
        } else {
            "; Path=/; HttpOnly; SameSite=Lax"
        }
    }
}
