//! The reference data the system ships (shared/spec/reference-data.md):
//! the 24 ERNs, countries, hospitals named in the public registration
//! guides, thematic areas and professions. Seeding is idempotent and keyed by
//! these natural codes; administrators may edit the rows afterwards.

mod countries;
mod erns;
mod hospitals;
mod professions;
mod thematic_areas;

pub use countries::COUNTRIES;
pub use erns::ERNS;
pub use hospitals::{HOSPITALS, HospitalSeed};
pub use professions::PROFESSIONS;
pub use thematic_areas::{AreaSeed, THEMATIC_AREAS};

/// Name of the thematic area every ERN has, so expert search works
/// everywhere before a network configures its own areas.
pub const GENERAL_AREA: &str = "General";

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::org::{CountryCode, CountryUse, ErnCode, HcpCode};

    #[test]
    fn there_are_24_distinct_valid_erns() {
        assert_eq!(ERNS.len(), 24);
        let codes: HashSet<_> = ERNS
            .iter()
            .map(|(code, _, _)| ErnCode::parse(code).unwrap())
            .collect();
        assert_eq!(codes.len(), 24);
    }

    #[test]
    fn countries_are_eu_eea_plus_ukraine_for_patients_and_guests() {
        let members = COUNTRIES
            .iter()
            .filter(|(_, _, usage)| *usage == CountryUse::Member)
            .count();
        assert_eq!(members, 30, "EU-27 plus Norway, Iceland and Liechtenstein");
        let ua = COUNTRIES.iter().find(|(code, _, _)| *code == "UA").unwrap();
        assert_eq!(ua.2, CountryUse::PatientsAndGuests);
        for (code, _, _) in COUNTRIES {
            CountryCode::parse(code).unwrap();
        }
    }

    #[test]
    fn hospitals_have_valid_codes_known_countries_and_erns() {
        let erns: HashSet<&str> = ERNS.iter().map(|(code, _, _)| *code).collect();
        let countries: HashSet<&str> = COUNTRIES.iter().map(|(code, _, _)| *code).collect();
        for h in HOSPITALS {
            HcpCode::parse(h.code).unwrap();
            assert!(countries.contains(h.country), "{}", h.code);
            assert!(
                h.code.starts_with(h.country),
                "{} starts with its country",
                h.code
            );
            assert!(!h.erns.is_empty(), "{}", h.code);
            assert!(h.erns.iter().all(|e| erns.contains(e)), "{}", h.code);
        }
    }

    #[test]
    fn every_thematic_area_belongs_to_a_known_ern_and_parents_exist() {
        let erns: HashSet<&str> = ERNS.iter().map(|(code, _, _)| *code).collect();
        for area in THEMATIC_AREAS {
            assert!(erns.contains(area.ern), "{}", area.ern);
            if let Some(parent) = area.parent {
                assert!(
                    THEMATIC_AREAS
                        .iter()
                        .any(|p| p.ern == area.ern && p.name == parent && p.parent.is_none()),
                    "parent {parent} of {}",
                    area.name
                );
            }
        }
    }
}
