//! Joining a network (PRODUCT.md §3): sign-up, access requests and their
//! approval, and the mail that tells applicants.

mod approval;
mod experts;
mod guests;
pub mod mail;
mod requests;
mod signup;

pub use cpms_store::repo::access_requests::QueueFilter;
pub use experts::{
    DirectoryChoices, Expert, ExpertPlace, ExpertQuery, ProfileChoices, ProfileForm,
};
pub use requests::RequestOutcome;
pub use signup::{SignUpChoices, SignUpDraft, SignUpStep};
