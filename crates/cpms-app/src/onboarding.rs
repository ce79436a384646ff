//! Joining a network (PRODUCT.md §3): sign-up, access requests and their
//! approval, the mail that tells applicants, and clinicians' assistants.

mod approval;
mod assistants;
mod experts;
mod guests;
pub mod mail;
mod requests;
mod signup;

pub use assistants::{AssistantChoice, AssistantsView};
pub use cpms_store::repo::access_requests::QueueFilter;
pub use cpms_store::repo::assistants::AssistantLink;
pub use experts::{
    DirectoryChoices, Expert, ExpertPlace, ExpertQuery, ProfileChoices, ProfileForm,
};
pub use requests::RequestOutcome;
pub use signup::{SignUpChoices, SignUpDraft, SignUpStep};
pub(crate) use signup::{checked_email, create_account};
