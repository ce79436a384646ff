//! Helpers for the end-to-end tests: a real server on a fresh SQLite or
//! PostgreSQL database, an HTTP client that signs in the way a browser does,
//! and a small WebDriver client that drives Debian's Chromium.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test support: failing loudly is the point

pub mod browser;
pub mod client;
pub mod identity;
pub mod oidc;
pub mod server;
pub mod smtp_sink;

pub use cpms_store::Engine;
pub use cpms_store::both_engines;
