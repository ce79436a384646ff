//! Repository functions: plain async functions over a connection (a pooled
//! one for reads, a `WriteTx` for writes), taking and returning domain values.

pub mod access_requests;
pub mod assistants;
pub mod attachments;
pub mod audit;
pub mod ceremonies;
pub mod identities;
pub mod lockouts;
pub mod memberships;
pub mod outbox;
pub mod passkeys;
pub mod patients;
pub mod profiles;
pub mod reference;
pub mod second_factors;
pub mod sessions;
pub mod users;
