/// A thematic area of an ERN; `parent` names the area a sub-area sits under.
#[derive(Debug, Clone, Copy)]
pub struct AreaSeed {
    pub ern: &'static str,
    pub parent: Option<&'static str>,
    pub name: &'static str,
}

const fn area(ern: &'static str, name: &'static str) -> AreaSeed {
    AreaSeed {
        ern,
        parent: None,
        name,
    }
}

const fn sub(ern: &'static str, parent: &'static str, name: &'static str) -> AreaSeed {
    AreaSeed {
        ern,
        parent: Some(parent),
        name,
    }
}

/// Areas known from the networks' public guides. Every ERN additionally gets
/// a "General" area when seeded (see `reference::GENERAL_AREA`).
pub const THEMATIC_AREAS: &[AreaSeed] = &[
    area(
        "ERN-RND",
        "Cerebellar ataxias and hereditary spastic paraplegias",
    ),
    area("ERN-RND", "Choreas and Huntington's disease"),
    area(
        "ERN-RND",
        "Dystonias, non-epileptic paroxysmal disorders and NBIA",
    ),
    area("ERN-RND", "Frontotemporal dementia"),
    area("ERN-RND", "Leukodystrophies"),
    area(
        "ERN-RND",
        "Atypical parkinsonian syndromes (genetic PD, MSA, PSP, CBD)",
    ),
    area("PaedCan", "Solid tumours"),
    area("PaedCan", "Haematological malignancies"),
    area("PaedCan", "Brain tumours"),
    area("PaedCan", "Haematopoietic stem cell transplantation"),
    area("eUROGEN", "Rare congenital uro-recto-genital anomalies"),
    area(
        "eUROGEN",
        "Functional urogenital conditions requiring highly specialised surgery",
    ),
    area("eUROGEN", "Rare urogenital tumours"),
    area("EuroBloodNet", "Oncological"),
    sub("EuroBloodNet", "Oncological", "Myeloid malignancies"),
    sub("EuroBloodNet", "Oncological", "Lymphoid malignancies"),
    area("EuroBloodNet", "Non-oncological"),
    sub("EuroBloodNet", "Non-oncological", "Red blood cell defects"),
    sub("EuroBloodNet", "Non-oncological", "Bone marrow failure"),
    sub(
        "EuroBloodNet",
        "Non-oncological",
        "Haemochromatosis and iron disorders",
    ),
    sub(
        "EuroBloodNet",
        "Non-oncological",
        "Bleeding and clotting disorders",
    ),
];
