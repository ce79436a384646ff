//! Pages for people, one module per context.

pub(crate) mod account;
pub(crate) mod account_admin;
pub(crate) mod assistants;
pub(crate) mod attachments;
pub(crate) mod auth;
pub(crate) mod erasure;
pub(crate) mod experts;
mod form;
pub(crate) mod guests;
pub(crate) mod help;
pub(crate) mod oidc;
pub(crate) mod passkeys;
pub(crate) mod patients;
pub(crate) mod pedigree;
pub(crate) mod requests;
pub(crate) mod second_factor;
pub(crate) mod signup;
pub(crate) mod workspace;
