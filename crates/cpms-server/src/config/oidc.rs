//! The `oidc.*` keys: sign-in through an external OpenID provider (EU
//! Login). Off unless `oidc.issuer` is set.

use cpms_app::auth::OidcSettings;

use super::sources::{ConfigError, RawConfig};

pub(super) fn from_raw(raw: &RawConfig) -> Result<Option<OidcSettings>, ConfigError> {
    let Some(issuer) = raw.parse_opt("oidc.issuer", http_url)? else {
        return Ok(None);
    };
    let client_id = raw
        .parse_opt("oidc.client_id", |id| Ok(id.trim().to_owned()))?
        .filter(|id| !id.is_empty())
        .ok_or_else(|| raw.error("oidc.client_id", "required when oidc.issuer is set"))?;
    Ok(Some(OidcSettings {
        issuer,
        client_id,
        client_secret: raw.parse_opt("oidc.client_secret", |s| Ok(s.to_owned()))?,
        redirect_url: raw.parse_opt("oidc.redirect_url", http_url)?,
        required_acr: raw
            .parse_opt("oidc.required_acr", list)?
            .unwrap_or_default(),
        required_amr: raw
            .parse_opt("oidc.required_amr", list)?
            .unwrap_or_default(),
        display_name: raw.parse("oidc.display_name", |n| Ok(n.trim().to_owned()))?,
    }))
}

fn http_url(raw: &str) -> Result<String, String> {
    if raw.starts_with("https://") || raw.starts_with("http://") {
        Ok(raw.trim_end_matches('/').to_owned())
    } else {
        Err(format!("'{raw}' is not an http(s):// URL"))
    }
}

/// `a, b c` → `[a, b, c]`.
fn list(raw: &str) -> Result<Vec<String>, String> {
    Ok(raw
        .split([',', ' '])
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
        .collect())
}
