//! Pages for people, one module per context.

pub(crate) mod auth;
pub(crate) mod help;
pub(crate) mod patients;
pub(crate) mod workspace;
