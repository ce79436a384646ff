//! Authentication building blocks for ERN-CPMS.
//!
//! Each module is a self-contained piece the web layer composes into sign-in flows; none of them
//! touches storage or HTTP requests from browsers. Everything a caller must keep between two
//! requests (hashes, ceremony state, flow state, throttling state) is a plain serialisable value.
//!
//! - [`password`]: the password policy and Argon2id hashing in PHC strings.
//! - [`totp`]: RFC 6238 one-time codes with replay protection, enrolment URI and QR code.
//! - [`recovery`]: single-use recovery codes, stored hashed.
//! - [`passkey`]: WebAuthn passkey ceremonies on top of `webauthn-rs`.
//! - [`oidc`]: OpenID Connect relying party (authorization code flow with PKCE).
//! - [`throttle`]: per-address rate limiting and per-account lockout rules.

pub mod oidc;
pub mod passkey;
pub mod password;
pub mod recovery;
pub mod throttle;
pub mod totp;
