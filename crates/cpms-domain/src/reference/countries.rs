use crate::org::CountryUse;

const M: CountryUse = CountryUse::Member;

/// (ISO 3166-1 alpha-2, English name, use): EU-27, the EEA states Norway,
/// Iceland and Liechtenstein, and Ukraine for patients and guest clinicians.
pub const COUNTRIES: &[(&str, &str, CountryUse)] = &[
    ("AT", "Austria", M),
    ("BE", "Belgium", M),
    ("BG", "Bulgaria", M),
    ("HR", "Croatia", M),
    ("CY", "Cyprus", M),
    ("CZ", "Czechia", M),
    ("DK", "Denmark", M),
    ("EE", "Estonia", M),
    ("FI", "Finland", M),
    ("FR", "France", M),
    ("DE", "Germany", M),
    ("GR", "Greece", M),
    ("HU", "Hungary", M),
    ("IE", "Ireland", M),
    ("IT", "Italy", M),
    ("LV", "Latvia", M),
    ("LT", "Lithuania", M),
    ("LU", "Luxembourg", M),
    ("MT", "Malta", M),
    ("NL", "Netherlands", M),
    ("PL", "Poland", M),
    ("PT", "Portugal", M),
    ("RO", "Romania", M),
    ("SK", "Slovakia", M),
    ("SI", "Slovenia", M),
    ("ES", "Spain", M),
    ("SE", "Sweden", M),
    ("NO", "Norway", M),
    ("IS", "Iceland", M),
    ("LI", "Liechtenstein", M),
    ("UA", "Ukraine", CountryUse::PatientsAndGuests),
];
