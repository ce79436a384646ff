//! Parsing of the shipped release files: counts, known terms, hierarchy.

mod common;

use common::shipped;
use cpms_terminology::{Concept, ORPHA_UNDIAGNOSED, System};

fn concept(code: &str) -> &'static Concept {
    shipped()
        .get(code)
        .unwrap_or_else(|| panic!("{code} is in the shipped files"))
}

fn codes<'a>(concepts: impl IntoIterator<Item = &'a Concept>) -> Vec<&'a str> {
    concepts.into_iter().map(|c| c.code.as_str()).collect()
}

fn count(system: System, keep: impl Fn(&str) -> bool) -> usize {
    shipped()
        .concepts()
        .filter(|c| c.system == system && keep(&c.code))
        .count()
}

#[test]
fn counts_match_the_releases() {
    assert_eq!(count(System::Hpo, |_| true), 19_484);
    let obsolete = shipped().concepts().filter(|c| c.obsolete).count();
    assert_eq!(obsolete, 450);
    // 4,281 diseases in the annotation file, plus the "undiagnosed" code added at load.
    assert_eq!(count(System::Orpha, |_| true), 4_282);
    assert_eq!(count(System::Omim, |_| true), 8_359);
    let has_digit = |c: &str| c.bytes().any(|b| b.is_ascii_digit());
    assert_eq!(count(System::Icd10, |c| !has_digit(c)), 22);
    assert_eq!(count(System::Icd10, |c| c.contains('-')), 274);
    assert_eq!(
        count(System::Icd10, |c| c.len() == 3 && has_digit(c)),
        2_050
    );
    assert_eq!(count(System::Icd10, |c| c.contains('.')), 10_196);
}

#[test]
fn versions_come_from_the_files() {
    let versions = shipped().versions();
    assert_eq!(versions.hpo, "2025-01-16");
    assert_eq!(versions.hpo_annotations, "2025-01-16");
    assert_eq!(versions.icd10, "2019");
}

#[test]
fn hpo_term_with_synonyms_and_parent() {
    let seizure = concept("HP:0001250");
    assert_eq!(seizure.system, System::Hpo);
    assert_eq!(seizure.name, "Seizure");
    assert_eq!(
        seizure.synonyms,
        ["Epilepsy", "Epileptic seizure", "Seizures"]
    );
    assert_eq!(seizure.parents, ["HP:0012638"]);
    assert!(!seizure.obsolete);
    // Used in thousands of disease annotations: the popularity signal for ranking.
    assert!(seizure.annotations > 1_000, "{}", seizure.annotations);

    let kidney = concept("HP:0000003");
    assert_eq!(kidney.name, "Multicystic kidney dysplasia");
    assert_eq!(kidney.parents, ["HP:0000107"]);
    // The file repeats the name as a layperson synonym on some terms; that is dropped.
    let height = concept("HP:0000002");
    assert!(height.synonyms.is_empty(), "{:?}", height.synonyms);
}

#[test]
fn obsolete_terms_keep_their_replacements() {
    let clitoromegaly = concept("HP:0000057");
    assert!(clitoromegaly.obsolete);
    assert_eq!(clitoromegaly.name, "obsolete Clitoromegaly");
    assert_eq!(clitoromegaly.replaced_by, ["HP:0008665"]);
    assert!(clitoromegaly.parents.is_empty());
    // A term split in two names both replacements.
    assert_eq!(
        concept("HP:0000535").replaced_by,
        ["HP:0045074", "HP:0045075"]
    );
}

#[test]
fn alternative_ids_resolve_to_the_merged_term() {
    assert_eq!(concept("HP:0004715").code, "HP:0000003");
    assert_eq!(concept("HP:0002279").code, "HP:0001250");
    // An alternative id that is also the id of an obsolete term names the obsolete term,
    // whose record says what replaced it.
    let withdrawn = concept("HP:0000284");
    assert!(withdrawn.obsolete);
    assert_eq!(withdrawn.replaced_by, ["HP:0000315"]);
}

#[test]
fn diseases_take_names_from_the_annotations() {
    let marfan = concept("ORPHA:558");
    assert_eq!(
        (marfan.system, marfan.name.as_str()),
        (System::Orpha, "Marfan syndrome")
    );
    assert!(marfan.parents.is_empty());
    assert_eq!(concept("OMIM:154700").name, "Marfan syndrome");
    // OMIM:117550 appears under two names; the more used one is preferred.
    let sotos = concept("OMIM:117550");
    let mut names = vec![sotos.name.as_str()];
    names.extend(sotos.synonyms.iter().map(String::as_str));
    names.sort_unstable();
    assert_eq!(names, ["Sotos syndrome", "Sotos syndrome 1"]);
    assert!(shipped().get("DECIPHER:1").is_none());
}

#[test]
fn undiagnosed_code_is_always_present() {
    let undiagnosed = concept(ORPHA_UNDIAGNOSED);
    assert_eq!(undiagnosed.system, System::Orpha);
    assert_eq!(
        undiagnosed.name,
        "Rare disorder without a determined diagnosis after full investigation"
    );
}

#[test]
fn icd10_hierarchy_runs_subcategory_category_block_chapter() {
    let marfan = concept("Q87.4");
    assert_eq!(marfan.name, "Marfan syndrome");
    assert_eq!(marfan.parents, ["Q87"]);
    assert_eq!(concept("Q87").parents, ["Q80-Q89"]);
    assert_eq!(concept("Q80-Q89").parents, ["XVII"]);
    assert!(concept("XVII").parents.is_empty());
    let paths = shipped().ancestors("q874").expect("known code");
    let paths: Vec<Vec<&str>> = paths.into_iter().map(codes).collect();
    assert_eq!(paths, [["XVII", "Q80-Q89", "Q87"]]);

    // Blocks nest, and a few subcategories have subcategories of their own.
    assert_eq!(concept("C00-C14").parents, ["C00-C75"]);
    assert_eq!(concept("C00-C75").parents, ["C00-C97"]);
    assert_eq!(concept("B18.00").parents, ["B18.0"]);

    let children = shipped().children("Q87").expect("known code");
    assert!(codes(children.iter().copied()).contains(&"Q87.4"));
    assert!(children.iter().all(|c| c.parents == ["Q87"]));
    assert!(
        children.windows(2).all(|w| w[0].name <= w[1].name),
        "ordered by name"
    );
}

#[test]
fn hpo_paths_lead_down_from_phenotypic_abnormality() {
    let terminology = shipped();
    let paths = terminology.ancestors("HP:0001250").expect("known term");
    assert!(!paths.is_empty());
    for path in &paths {
        assert_eq!(
            path[0].code, "HP:0000118",
            "starts at Phenotypic abnormality"
        );
        assert_eq!(path.last().map(|c| c.code.as_str()), Some("HP:0012638"));
    }
    // A term deep in the ontology with several parents has many paths; each step of each
    // path goes from a parent to one of its children.
    let paths = terminology.ancestors("HP:0010102").expect("known term");
    assert!(paths.len() > 100, "{} paths", paths.len());
    for path in &paths {
        for step in path.windows(2) {
            assert!(
                step[1].parents.contains(&step[0].code),
                "{} → {}",
                step[0].code,
                step[1].code
            );
        }
        let parent = path.last().map(|c| c.code.clone()).unwrap_or_default();
        assert!(concept("HP:0010102").parents.contains(&parent));
    }
    // Top-level terms have no path; the other top-level branches end at their own root.
    assert_eq!(
        terminology.ancestors("HP:0000118").map(|p| p.len()),
        Some(0)
    );
    let inheritance = terminology
        .ancestors("HP:0000006")
        .expect("autosomal dominant");
    assert!(
        inheritance.iter().all(|p| p[0].code == "HP:0000005"),
        "Mode of inheritance"
    );

    let children = terminology.children("HP:0001250").expect("known term");
    assert!(children.len() > 5);
    assert!(
        children
            .iter()
            .all(|c| c.parents.contains(&"HP:0001250".to_owned()))
    );
    assert!(terminology.ancestors("HP:9999999").is_none());
    assert!(terminology.children("not a code").is_none());
}
