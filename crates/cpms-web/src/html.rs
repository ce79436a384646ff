//! Pages for people, one module per context.

pub(crate) mod account;
pub(crate) mod account_admin;
pub(crate) mod auth;
mod form;
pub(crate) mod help;
pub(crate) mod patients;
pub(crate) mod requests;
pub(crate) mod second_factor;
pub(crate) mod signup;
pub(crate) mod template_fields;
pub(crate) mod workspace;
