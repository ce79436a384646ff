//! Seeding the shipped reference data and the training environment.

mod reference;
mod training;

pub use reference::SEED_REFERENCE;
pub use training::TrainingCredential;
