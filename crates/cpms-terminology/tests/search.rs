//! Ranked type-ahead search over the shipped files.

mod common;

use common::shipped;
use cpms_terminology::{Hit, Matched, Rank, SearchOptions, System, fold};

fn first(query: &str, systems: &[System]) -> Hit<'static> {
    shipped()
        .search(query, systems, 10)
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("{query:?} finds something"))
}

fn marked<'a>(hit: &Hit<'a>) -> Vec<&'a str> {
    hit.highlights
        .iter()
        .map(|r| &hit.text[r.clone()])
        .collect()
}

#[test]
fn seiz_finds_seizure_first() {
    let hit = first("seiz", &[System::Hpo]);
    assert_eq!(hit.concept.code, "HP:0001250");
    assert_eq!((hit.rank, hit.matched), (Rank::NamePrefix, Matched::Name));
    assert_eq!(marked(&hit), ["Seiz"]);
}

#[test]
fn ranks_go_code_then_name_prefix_then_name_words_then_synonyms() {
    // "47" is ORPHA:47, starts the name "47,XYY syndrome" and is a word of others.
    let hits = shipped().search("47", &[], 40);
    assert_eq!(hits[0].rank, Rank::ExactCode);
    assert_eq!(hits[0].concept.code, "ORPHA:47");
    assert_eq!(hits[1].rank, Rank::NamePrefix);
    assert_eq!(hits[1].concept.name, "47,XYY syndrome");
    assert_eq!(hits[2].rank, Rank::NameWords);

    // Names containing both words come before the term whose synonym starts with them.
    let hits = shipped().search("epileptic seiz", &[System::Hpo], 50);
    let seizure = hits
        .iter()
        .position(|h| h.concept.code == "HP:0001250")
        .expect("Seizure has the synonym Epileptic seizure");
    assert_eq!(hits[seizure].rank, Rank::SynonymPrefix);
    assert_eq!(hits[seizure].matched, Matched::Synonym(1));
    assert_eq!(hits[seizure].text, "Epileptic seizure");
    assert!(seizure > 0 && hits[..seizure].iter().all(|h| h.rank == Rank::NameWords));

    // Marfan: the names that start with it, then names that contain it, then synonyms.
    let hits = shipped().search("marfan", &[], 30);
    let ranks: Vec<Rank> = hits.iter().map(|h| h.rank).collect();
    assert!(ranks.windows(2).all(|w| w[0] <= w[1]), "{ranks:?}");
    for rank in [Rank::NamePrefix, Rank::NameWords, Rank::SynonymPrefix] {
        assert!(ranks.contains(&rank), "{rank:?} missing from {ranks:?}");
    }
    let neonatal = hits.iter().find(|h| h.concept.code == "ORPHA:284979");
    assert_eq!(neonatal.map(|h| h.rank), Some(Rank::NameWords));
}

#[test]
fn shorter_and_more_used_names_come_first_within_a_rank() {
    let hits = shipped().search("hyp", &[System::Hpo], 10);
    assert_eq!(hits[0].concept.name, "Hypotonia");
    assert!(hits.iter().all(|h| h.rank == Rank::NamePrefix));
    // "Seizure cluster" (rarely used) still comes before longer names starting "Seiz".
    let hits = shipped().search("seiz", &[System::Hpo], 3);
    let names: Vec<&str> = hits.iter().map(|h| h.concept.name.as_str()).collect();
    assert_eq!(names[..2], ["Seizure", "Seizure cluster"]);
}

#[test]
fn case_and_accents_are_ignored_and_highlights_use_the_original_text() {
    let hit = first("GUILLAIN barre", &[System::Icd10]);
    assert_eq!(hit.concept.code, "G61.0");
    assert_eq!(hit.rank, Rank::NamePrefix);
    assert_eq!(marked(&hit), ["Guillain", "Barré"]);

    let hit = first("sezary dis", &[System::Icd10]);
    assert_eq!(hit.concept.name, "Sézary disease");
    assert_eq!(marked(&hit), ["Sézary", "dis"]);
    // Accents typed by the user fold too.
    assert_eq!(first("Sézary", &[System::Orpha]).concept.code, "ORPHA:3162");
}

#[test]
fn multi_word_queries_need_every_word() {
    let hits = shipped().search("card hyp", &[System::Hpo], 20);
    assert_eq!(hits[0].concept.name, "Hypertrophic cardiomyopathy");
    assert_eq!(marked(&hits[0]), ["Hyp", "card"]);
    for hit in &hits {
        let words: Vec<String> = fold(hit.text).split(' ').map(str::to_owned).collect();
        assert!(words.iter().any(|w| w.starts_with("card")), "{}", hit.text);
        assert!(words.iter().any(|w| w.starts_with("hyp")), "{}", hit.text);
    }
}

#[test]
fn code_forms_find_the_concept() {
    for (query, code) in [
        ("HP:0001250", "HP:0001250"),
        ("hp:1250", "HP:0001250"),
        ("0001250", "HP:0001250"),
        ("ORPHA:558", "ORPHA:558"),
        ("Orphanet:558", "ORPHA:558"),
        ("OMIM:154700", "OMIM:154700"),
        ("Q87.4", "Q87.4"),
        ("q874", "Q87.4"),
        ("HP:0004715", "HP:0000003"),
    ] {
        let hit = first(query, &[]);
        assert_eq!(
            (hit.concept.code.as_str(), hit.rank),
            (code, Rank::ExactCode),
            "{query}"
        );
        assert_eq!(hit.text, code);
        assert_eq!(marked(&hit), [code], "the whole code is highlighted");
    }
    // A bare number is tried in every system it fits, limited to the systems asked for.
    assert_eq!(first("154700", &[System::Omim]).concept.code, "OMIM:154700");
    assert_eq!(first("558", &[]).concept.code, "ORPHA:558");
    assert!(
        shipped()
            .search("558", &[System::Omim], 5)
            .iter()
            .all(|h| h.rank != Rank::ExactCode)
    );
}

#[test]
fn letters_alone_are_never_taken_for_icd10_chapters() {
    let hits = shipped().search("vi", &[], 10);
    assert!(
        hits.iter().all(|h| h.rank == Rank::NamePrefix),
        "no exact code for chapter VI"
    );
    assert!(hits.iter().all(|h| h.concept.code != "VI"));
}

#[test]
fn obsolete_terms_are_left_out_unless_asked_for() {
    let terminology = shipped();
    for query in ["obsolete clitoromegaly", "HP:0000057"] {
        let default = terminology.search(query, &[System::Hpo], 20);
        assert!(default.iter().all(|h| !h.concept.obsolete), "{query}");
        let mut options = SearchOptions::new(&[System::Hpo], 20);
        options.include_obsolete = true;
        let all = terminology.search_with(query, &options);
        assert!(
            all.iter().any(|h| h.concept.code == "HP:0000057"),
            "{query}"
        );
    }
    // Current terms whose synonyms mention the word are still found.
    assert!(
        !terminology
            .search("clitoromegaly", &[System::Hpo], 5)
            .is_empty()
    );
}

#[test]
fn systems_filter_and_limit_are_respected() {
    let hits = shipped().search("marfan", &[System::Icd10], 10);
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].concept.code, "Q87.4");
    let hits = shipped().search("syndrome", &[System::Orpha, System::Omim], 7);
    assert_eq!(hits.len(), 7);
    assert!(
        hits.iter()
            .all(|h| matches!(h.concept.system, System::Orpha | System::Omim))
    );
    assert!(shipped().search("syndrome", &[], 0).is_empty());
    assert!(shipped().search("", &[], 10).is_empty());
    assert!(shipped().search(" -- ", &[], 10).is_empty());
    assert!(shipped().search("zzzzqqq", &[], 10).is_empty());
}

#[test]
fn undiagnosed_is_found_by_name() {
    let hit = first("rare disorder without", &[System::Orpha]);
    assert_eq!(hit.concept.code, "ORPHA:616874");
}

/// The index must return exactly what checking every concept returns. A sample of
/// queries keeps this fast unoptimised; the benchmark compares all 2- and 3-letter prefixes.
#[test]
fn index_agrees_with_a_linear_scan() {
    let terminology = shipped();
    let mut queries: Vec<String> = [
        "ab",
        "abn",
        "hyp",
        "card hyp",
        "sy",
        "syn",
        "x li",
        "47",
        "3-m",
        "barré",
        "Q87",
        "q87.4",
        "hp:1250",
        "558",
        "of the",
        "e",
        "zz",
        "micro ceph",
        "ataxi",
    ]
    .map(str::to_owned)
    .to_vec();
    let names = terminology.concepts().step_by(997).map(|c| c.name.clone());
    queries.extend(names.map(|name| name.chars().take(6).collect()));
    for query in &queries {
        for systems in [vec![System::Hpo], vec![]] {
            let mut options = SearchOptions::new(&systems, 15);
            for include_obsolete in [false, true] {
                options.include_obsolete = include_obsolete;
                assert_eq!(
                    terminology.search_with(query, &options),
                    terminology.search_linear(query, &options),
                    "{query:?} {options:?}"
                );
            }
        }
    }
}
