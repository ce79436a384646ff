/// (code, label shown to users, full name) of the 24 European Reference Networks.
pub const ERNS: &[(&str, &str, &str)] = &[
    ("BOND", "Bone Disorders", "ERN on Rare Bone Disorders"),
    (
        "CRANIO",
        "Craniofacial anomalies and ear, nose and throat disorders",
        "ERN on Rare Craniofacial Anomalies and ENT Disorders",
    ),
    (
        "Endo-ERN",
        "Endocrine Conditions",
        "ERN on Rare Endocrine Conditions",
    ),
    (
        "EpiCARE",
        "Epilepsies",
        "ERN on Rare and Complex Epilepsies",
    ),
    (
        "ERKNet",
        "Kidney Diseases",
        "European Rare Kidney Diseases Reference Network",
    ),
    (
        "ERN-RND",
        "Neurological Diseases",
        "ERN on Rare Neurological Diseases",
    ),
    (
        "ERNICA",
        "Inherited and Congenital Anomalies",
        "ERN on Rare Inherited and Congenital (digestive and gastrointestinal) Anomalies",
    ),
    (
        "ERN-LUNG",
        "Respiratory Diseases",
        "ERN on Rare Respiratory Diseases",
    ),
    (
        "ERN-SKIN",
        "Skin Disorders",
        "ERN on Rare and Undiagnosed Skin Disorders",
    ),
    (
        "EURACAN",
        "Adult Cancers",
        "ERN on Rare Adult Solid Cancers",
    ),
    (
        "EuroBloodNet",
        "Hematological Diseases",
        "ERN on Rare Haematological Diseases",
    ),
    (
        "EURO-NMD",
        "Neuromuscular Diseases",
        "ERN on Rare Neuromuscular Diseases",
    ),
    ("ERN-EYE", "Eye Diseases", "ERN on Rare Eye Diseases"),
    (
        "GENTURIS",
        "Genetic Tumour Risk Syndromes",
        "ERN on Genetic Tumour Risk Syndromes",
    ),
    (
        "GUARD-HEART",
        "Heart Diseases",
        "ERN on Rare and Low Prevalence Complex Diseases of the Heart",
    ),
    (
        "ITHACA",
        "Intellectual Disability and Congenital Malformations",
        "ERN on Rare Congenital Malformations and Rare Intellectual Disability",
    ),
    (
        "MetabERN",
        "Hereditary Metabolic Disorders",
        "ERN on Rare Hereditary Metabolic Disorders",
    ),
    (
        "PaedCan",
        "Paediatric Cancer",
        "ERN on Paediatric Cancer (haemato-oncology)",
    ),
    (
        "RARE-LIVER",
        "Hepatological Diseases",
        "ERN on Rare Hepatological Diseases",
    ),
    (
        "ReCONNET",
        "Connective Tissue and Musculoskeletal Diseases",
        "ERN on Rare Connective Tissue and Musculoskeletal Diseases",
    ),
    (
        "RITA",
        "Immunodeficiency, Autoinflammatory and Autoimmune Diseases",
        "ERN on Rare Immunodeficiency, Autoinflammatory and Autoimmune Diseases",
    ),
    (
        "TransplantChild",
        "Transplantation in Children",
        "ERN on Transplantation in Children",
    ),
    (
        "VASCERN",
        "Vascular Diseases",
        "ERN on Rare Multisystemic Vascular Diseases",
    ),
    (
        "eUROGEN",
        "Urogenital Diseases",
        "ERN on Rare Urogenital Diseases and Complex Conditions",
    ),
];
