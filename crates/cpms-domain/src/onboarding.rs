//! Joining a network: the sign-up answers, access requests and their
//! decisions, expert profiles, guests' expiry and the mail back-off
//! (PRODUCT.md §3).

mod profile;
mod request;

pub use profile::{CaresFor, Category, ExpertProfile, SPECIALIST_IN_MAX};
pub use request::{AccessRequest, EXTRA_ROLES, RequestDecision, guest_expiry, mail_retry_delay};
