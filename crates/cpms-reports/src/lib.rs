//! Documents and drawings produced by ERN-CPMS: typeset PDF documents (the
//! panel outcome, activity reports, the model consent form), SVG charts for the indicator pages and
//! SVG pedigree drawings for the patient record.

pub mod chart;
pub mod consent_form;
pub mod ical;
pub mod outcome;
pub mod pdf;
pub mod pedigree;
mod svg;
pub mod video_link;
