//! The HTTP surface of ERN-CPMS: server-rendered pages for people (and,
//! later, the JSON API and DICOMweb). Everything here is HTTP: requests are
//! turned into calls of `cpms-app` use cases and their results into pages.
//! Storage is out of reach by construction (no dependency on it).

#[cfg(test)]
mod access;
mod api;
mod assets;
mod client;
mod csrf;
mod dicomweb;
mod error;
mod extract;
mod html;
mod ops;
mod rotation;
mod routes;
mod security;
mod shell;
mod state;

pub use api::ApiDoc;
pub use routes::router;
pub use state::WebConfig;
