//! Pure types and rules of ERN-CPMS. No IO, no async.

pub mod pedigree;
