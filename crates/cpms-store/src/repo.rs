//! Repository functions: plain async functions over a connection (a pooled
//! one for reads, a `WriteTx` for writes), taking and returning domain values.

pub mod audit;
pub mod memberships;
pub mod patients;
pub mod reference;
pub mod sessions;
pub mod users;
