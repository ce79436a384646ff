//! Pages for people, one module per context.

pub(crate) mod account;
pub(crate) mod account_admin;
pub(crate) mod auth;
pub(crate) mod help;
pub(crate) mod second_factor;
pub(crate) mod workspace;
