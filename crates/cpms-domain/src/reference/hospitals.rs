/// A member hospital as named in the public registration guides.
#[derive(Debug, Clone, Copy)]
pub struct HospitalSeed {
    pub code: &'static str,
    pub name: &'static str,
    pub city: &'static str,
    pub country: &'static str,
    pub erns: &'static [&'static str],
}

const fn h(
    code: &'static str,
    name: &'static str,
    city: &'static str,
    erns: &'static [&'static str],
) -> HospitalSeed {
    // The country is the code's two-letter prefix.
    let country = match code.as_bytes() {
        [b'I', b'T', ..] => "IT",
        [b'D', b'E', ..] => "DE",
        [b'A', b'T', ..] => "AT",
        _ => "??",
    };
    HospitalSeed {
        code,
        name,
        city,
        country,
        erns,
    }
}

const RECONNET: &[&str] = &["ReCONNET"];
const RECONNET_PAEDCAN: &[&str] = &["ReCONNET", "PaedCan"];
const PAEDCAN: &[&str] = &["PaedCan"];
const RND: &[&str] = &["ERN-RND"];

pub const HOSPITALS: &[HospitalSeed] = &[
    h("IT04", "Civil Hospital", "Brescia", RECONNET),
    h(
        "IT07",
        "University Hospital of Padova",
        "Padova",
        RECONNET_PAEDCAN,
    ),
    h("IT08", "AOU Pisana", "Pisa", RECONNET),
    h("IT13", "AOU Careggi", "Florence", RECONNET),
    h(
        "IT34",
        "Foundation IRCCS Ca' Granda Ospedale Maggiore Policlinico",
        "Milan",
        RECONNET,
    ),
    h(
        "IT37",
        "Foundation IRCCS Polyclinic San Matteo",
        "Pavia",
        RECONNET_PAEDCAN,
    ),
    h("IT42", "IRCCS AOU San Martino", "Genoa", RECONNET),
    h("IT61", "AO San Camillo Forlanini", "Rome", RECONNET),
    h("IT18", "AOU Siena", "Siena", PAEDCAN),
    h("IT20", "AO City of Health and Science", "Turin", PAEDCAN),
    h("IT21", "AOU Perugia", "Perugia", PAEDCAN),
    h("IT50", "IRCCS Institute Giannina Gaslini", "Genoa", PAEDCAN),
    h("IT53", "AOU Meyer", "Florence", PAEDCAN),
    h("IT58", "Paediatric Hospital Bambino Gesù", "Rome", PAEDCAN),
    h(
        "IT67",
        "MBBM Foundation S. Gerardo Hospital",
        "Monza",
        PAEDCAN,
    ),
    h("DE03", "Klinikum der Universität München", "Munich", RND),
    h("DE22", "Universitätsklinikum Tübingen", "Tübingen", RND),
    h("DE30", "Universitätsklinikum Bonn", "Bonn", RND),
    h("DE36", "Universitätsklinikum Ulm", "Ulm", RND),
    h(
        "DE42",
        "Universitätsklinikum Schleswig-Holstein",
        "Kiel",
        RND,
    ),
    // The guides name this hospital without a code; AT01 is ours.
    h(
        "AT01",
        "St. Anna Children's Hospital (St. Anna Kinderspital)",
        "Vienna",
        &["PaedCan", "RITA"],
    ),
];
