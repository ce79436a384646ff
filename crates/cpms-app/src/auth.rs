//! Signing in and out, and resolving a request's session.

mod session;
mod sign_in;

pub use session::{SessionToken, token_hash};
pub use sign_in::SignedIn;
