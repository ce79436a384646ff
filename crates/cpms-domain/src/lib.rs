//! Pure types and rules of ERN-CPMS: identifiers, the organisation model,
//! the access policy and the audit chain. No IO, no async: everything here
//! is decided from values passed in, which keeps it testable exhaustively.

pub mod audit;
pub mod case_template;
pub mod ids;
pub mod mail;
pub mod notification;
pub mod onboarding;
pub mod org;
pub mod panel;
pub mod patient;
pub mod pedigree;
pub mod policy;
pub mod record;
pub mod reference;
pub mod session;
pub mod time;
pub mod training;
pub mod user;
