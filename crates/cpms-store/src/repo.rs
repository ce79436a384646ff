//! Repository functions: plain async functions over a connection (a pooled
//! one for reads, a `WriteTx` for writes), taking and returning domain values.

pub mod access_requests;
pub mod api_tokens;
pub mod assistants;
pub mod attachments;
pub mod audit;
pub mod ceremonies;
pub mod expert_groups;
pub mod identities;
pub mod imaging;
pub mod imaging_annotations;
pub mod imaging_search;
pub mod lockouts;
pub mod memberships;
pub mod notifications;
pub mod outbox;
pub mod panel_guests;
pub mod panel_meetings;
pub mod panel_outcomes;
pub mod panel_people;
pub mod panels;
pub mod passkeys;
pub mod patients;
pub mod profiles;
pub mod reference;
pub mod second_factors;
pub mod sessions;
pub mod users;
