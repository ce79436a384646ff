//! DICOMweb (PS3.18) for imaging tools: QIDO-RS searches, WADO-RS
//! retrieval (instances, metadata, rendered frames, thumbnails) and STOW-RS.
//! Every patient record is a root, `/dicomweb/patients/{pseudonym}`; the
//! global root `/dicomweb` searches and retrieves every study the caller may
//! see and refuses stores. Callers are API callers: a bearer token or a
//! session cookie. The routes are listed in `routes.rs`; the same handlers
//! serve both roots and read the record, when there is one, from the path.

mod qido;
mod respond;
mod stow;
mod wado;

pub(crate) use qido::{search_instances, search_series, search_studies};
pub(crate) use stow::{refuse_global_store, store};
pub(crate) use wado::{instance, metadata, rendered, thumbnail};

use std::collections::BTreeMap;

use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;

use crate::api::Problem;
use crate::state::AppState;

/// The path's parameters: `pseudonym` (record root), `study`, `series`,
/// `instance`, `frame`.
pub(crate) struct Target {
    params: BTreeMap<String, String>,
    /// `scheme://host` as the client addressed us.
    origin: String,
}

impl Target {
    pub fn pseudonym(&self) -> Option<&str> {
        self.get("pseudonym")
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.params.get(name).map(String::as_str)
    }

    /// The root URL this request was made under, for retrieve URLs.
    pub fn root(&self) -> String {
        match self.pseudonym() {
            Some(p) => format!("{}/dicomweb/patients/{p}", self.origin),
            None => format!("{}/dicomweb", self.origin),
        }
    }
}

impl FromRequestParts<AppState> for Target {
    type Rejection = Problem;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Path(map) = Path::<BTreeMap<String, String>>::from_request_parts(parts, state)
            .await
            .map_err(|e| Problem::from(cpms_app::AppError::invalid(e.body_text())))?;
        let host = parts
            .headers
            .get(axum::http::header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("localhost");
        let scheme = if state.config.tls { "https" } else { "http" };
        Ok(Target {
            params: map,
            origin: format!("{scheme}://{host}"),
        })
    }
}
