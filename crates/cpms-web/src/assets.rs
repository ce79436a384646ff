//! Static files, embedded in the binary and served under names that carry
//! a hash of their content, so browsers may cache them for a year and still
//! never run a stale script after an upgrade.

use std::sync::OnceLock;

use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

struct Asset {
    /// `cpms.css`
    name: &'static str,
    /// `cpms.3f2a1b9c.css`
    hashed: String,
    content_type: &'static str,
    body: &'static [u8],
}

const FILES: &[(&str, &str, &[u8])] = &[
    (
        "cpms.css",
        "text/css; charset=utf-8",
        include_bytes!("../static/cpms.css"),
    ),
    (
        "cpms.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../static/cpms.js"),
    ),
    // The image viewer, loaded by its page only.
    (
        "viewer.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../static/viewer.js"),
    ),
];

fn assets() -> &'static [Asset] {
    static ASSETS: OnceLock<Vec<Asset>> = OnceLock::new();
    ASSETS.get_or_init(|| {
        FILES
            .iter()
            .map(|(name, content_type, body)| {
                let digest = hex::encode(&Sha256::digest(body)[..4]);
                let hashed = match name.rsplit_once('.') {
                    Some((stem, ext)) => format!("{stem}.{digest}.{ext}"),
                    None => format!("{name}.{digest}"),
                };
                Asset {
                    name,
                    hashed,
                    content_type,
                    body,
                }
            })
            .collect()
    })
}

/// The URL of an asset by its plain name.
pub(crate) fn href(name: &str) -> String {
    let hashed = assets()
        .iter()
        .find(|a| a.name == name)
        .map_or(name, |a| a.hashed.as_str());
    format!("/static/{hashed}")
}

pub(crate) async fn serve(Path(file): Path<String>) -> Response {
    match assets().iter().find(|a| a.hashed == file) {
        Some(asset) => (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static(asset.content_type),
                ),
                (
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("public, max-age=31536000, immutable"),
                ),
            ],
            asset.body,
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, "no such file").into_response(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn hashed_names_change_with_content_and_keep_the_extension() {
        let css = super::href("cpms.css");
        assert!(
            css.starts_with("/static/cpms.") && css.ends_with(".css"),
            "{css}"
        );
        assert_ne!(css, "/static/cpms.css");
    }
}
