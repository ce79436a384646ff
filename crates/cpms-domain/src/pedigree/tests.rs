use proptest::prelude::*;

use super::*;

fn id(n: u32) -> IndividualId {
    IndividualId(n)
}

/// Proband (1) with parents (2, 3) and paternal grandparents (4, 5).
fn three_generations() -> Pedigree {
    let mut p = Pedigree::new(Sex::Female);
    let (_, father) = p.add_parents(id(1)).unwrap();
    p.add_parents(father).unwrap();
    p
}

#[test]
fn a_new_pedigree_holds_only_the_proband() {
    let p = Pedigree::new(Sex::Male);
    assert_eq!(p.individuals().len(), 1);
    let proband = p.proband().unwrap();
    assert_eq!((proband.id, proband.sex), (id(1), Sex::Male));
    assert!(p.validate().is_ok());
}

#[test]
fn adding_parents_creates_a_couple_in_the_right_roles() {
    let mut p = Pedigree::new(Sex::Female);
    let (mother, father) = p.add_parents(id(1)).unwrap();
    assert_eq!(p.get(mother).unwrap().sex, Sex::Female);
    assert_eq!(p.get(father).unwrap().sex, Sex::Male);
    let proband = p.get(id(1)).unwrap();
    assert_eq!(
        (proband.mother, proband.father),
        (Some(mother), Some(father))
    );
    assert!(p.partnership(mother, father).is_some());
    assert_eq!(
        p.add_parents(id(1)),
        Err(PedigreeError::AlreadyHasParents(id(1)))
    );
}

#[test]
fn a_sibling_of_someone_without_parents_gets_parents_first() {
    let mut p = Pedigree::new(Sex::Female);
    let sister = p.add_sibling(id(1), Sex::Female).unwrap();
    let proband = p.get(id(1)).unwrap();
    let sibling = p.get(sister).unwrap();
    assert!(proband.mother.is_some() && proband.father.is_some());
    assert_eq!(
        (sibling.mother, sibling.father),
        (proband.mother, proband.father)
    );
    assert_eq!(p.individuals().len(), 4);
}

#[test]
fn half_siblings_share_one_parent() {
    let mut p = Pedigree::new(Sex::Male);
    let (mother, father) = p.add_parents(id(1)).unwrap();
    let second_wife = p.add_partner(father, Sex::Female).unwrap();
    let half = p.add_child(father, Some(second_wife), Sex::Female).unwrap();
    let half = p.get(half).unwrap();
    assert_eq!(
        (half.mother, half.father),
        (Some(second_wife), Some(father))
    );
    assert_ne!(half.mother, Some(mother));
    assert_eq!(
        p.partners_of(father).collect::<Vec<_>>(),
        vec![mother, second_wife]
    );
}

#[test]
fn parent_roles_follow_sex_whichever_parent_is_named_first() {
    let mut p = Pedigree::new(Sex::Female);
    let husband = p.add_partner(id(1), Sex::Male).unwrap();
    let child = p.add_child(husband, Some(id(1)), Sex::Unknown).unwrap();
    let child = p.get(child).unwrap();
    assert_eq!((child.mother, child.father), (Some(id(1)), Some(husband)));
}

#[test]
fn two_mothers_are_refused_and_nothing_changes() {
    let mut p = Pedigree::new(Sex::Female);
    let wife = p.add_partner(id(1), Sex::Female).unwrap();
    let before = p.clone();
    assert_eq!(
        p.add_child(id(1), Some(wife), Sex::Male),
        Err(PedigreeError::IncompatibleParentSexes(id(3)))
    );
    assert_eq!(p, before);
}

#[test]
fn a_third_parent_is_refused() {
    let mut p = Pedigree::new(Sex::Female);
    let uncle = p.add_sibling(id(1), Sex::Male).unwrap();
    assert_eq!(
        p.link_parent(id(1), uncle),
        Err(PedigreeError::TooManyParents(id(1)))
    );
}

#[test]
fn the_same_parent_cannot_be_linked_twice() {
    let mut p = Pedigree::new(Sex::Female);
    let (mother, _) = p.add_parents(id(1)).unwrap();
    assert_eq!(
        p.link_parent(id(1), mother),
        Err(PedigreeError::SameParentTwice {
            child: id(1),
            parent: mother
        })
    );
}

#[test]
fn nobody_can_become_their_own_ancestor() {
    let mut p = Pedigree::new(Sex::Female);
    let child = p.add_child(id(1), None, Sex::Male).unwrap();
    let grandchild = p.add_child(child, None, Sex::Male).unwrap();
    let before = p.clone();
    assert!(matches!(
        p.link_parent(id(1), grandchild),
        Err(PedigreeError::Cycle(_))
    ));
    assert_eq!(p, before);
}

#[test]
fn a_mother_cannot_be_made_male() {
    let mut p = Pedigree::new(Sex::Female);
    let (mother, _) = p.add_parents(id(1)).unwrap();
    let mut edit = IndividualEdit::from(p.get(mother).unwrap());
    edit.sex = Sex::Male;
    assert_eq!(
        p.edit(mother, edit),
        Err(PedigreeError::IncompatibleParentSexes(id(1)))
    );
    assert_eq!(p.get(mother).unwrap().sex, Sex::Female);
}

#[test]
fn a_single_parent_of_unknown_sex_moves_to_the_right_place_when_sex_becomes_known() {
    let mut p = Pedigree::new(Sex::Unknown);
    let child = p.add_child(id(1), None, Sex::Female).unwrap();
    assert_eq!(p.get(child).unwrap().mother, Some(id(1)));
    let mut edit = IndividualEdit::from(p.get(id(1)).unwrap());
    edit.sex = Sex::Male;
    p.edit(id(1), edit).unwrap();
    let child = p.get(child).unwrap();
    assert_eq!((child.mother, child.father), (None, Some(id(1))));
}

#[test]
fn edits_check_labels_and_birth_years() {
    let mut p = Pedigree::new(Sex::Female);
    let mut edit = IndividualEdit::from(p.get(id(1)).unwrap());
    edit.birth_year = Some(1799);
    assert_eq!(
        p.edit(id(1), edit.clone()),
        Err(PedigreeError::BirthYearOutOfRange(1799))
    );
    edit.birth_year = Some(1984);
    edit.label = Some("x".repeat(81));
    assert_eq!(
        p.edit(id(1), edit.clone()),
        Err(PedigreeError::LabelTooLong(id(1)))
    );
    edit.label = Some("a\u{7}b".into());
    assert_eq!(
        p.edit(id(1), edit.clone()),
        Err(PedigreeError::LabelControlCharacters(id(1)))
    );
    edit.label = Some("Ĳsbrand Ώμέγα Їжак".into());
    edit.affection = Affection::Affected;
    p.edit(id(1), edit.clone()).unwrap();
    assert_eq!(IndividualEdit::from(p.get(id(1)).unwrap()), edit);
}

#[test]
fn moving_the_proband_keeps_exactly_one() {
    let mut p = three_generations();
    p.set_proband(id(4)).unwrap();
    let probands: Vec<_> = p
        .individuals()
        .iter()
        .filter(|i| i.proband)
        .map(|i| i.id)
        .collect();
    assert_eq!(probands, vec![id(4)]);
    assert_eq!(
        p.set_proband(id(99)),
        Err(PedigreeError::UnknownIndividual(id(99)))
    );
}

#[test]
fn the_proband_cannot_be_removed() {
    let mut p = three_generations();
    assert_eq!(
        p.remove(id(1)),
        Err(PedigreeError::CannotRemoveProband(id(1)))
    );
}

#[test]
fn removing_a_parent_also_removes_ancestors_reached_only_through_them() {
    let mut p = three_generations();
    let removed = p.remove(id(3)).unwrap();
    assert_eq!(removed, vec![id(3), id(4), id(5)]);
    let left: Vec<_> = p.individuals().iter().map(|i| i.id).collect();
    assert_eq!(left, vec![id(1), id(2)]);
    assert_eq!(p.get(id(1)).unwrap().father, None);
    assert!(p.partnerships().is_empty());
}

#[test]
fn removing_an_in_law_keeps_the_children() {
    let mut p = Pedigree::new(Sex::Female);
    let brother = p.add_sibling(id(1), Sex::Male).unwrap();
    let wife = p.add_partner(brother, Sex::Female).unwrap();
    let nephew = p.add_child(brother, Some(wife), Sex::Male).unwrap();
    assert_eq!(p.remove(wife).unwrap(), vec![wife]);
    let nephew = p.get(nephew).unwrap();
    assert_eq!((nephew.mother, nephew.father), (None, Some(brother)));
}

#[test]
fn ids_are_never_reused() {
    let mut p = Pedigree::new(Sex::Female);
    let partner = p.add_partner(id(1), Sex::Male).unwrap();
    p.remove(partner).unwrap();
    assert_eq!(
        p.add_partner(id(1), Sex::Male).unwrap(),
        id(partner.get() + 1)
    );
}

#[test]
fn consanguinity_is_recorded_on_the_couple() {
    let mut p = three_generations();
    p.set_consanguineous(id(3), id(2), true).unwrap();
    assert!(p.partnership(id(2), id(3)).unwrap().consanguineous);
    assert_eq!(
        p.set_consanguineous(id(1), id(4), true),
        Err(PedigreeError::NotPartners(id(1), id(4)))
    );
}

#[test]
fn ped_export_uses_the_standard_columns() {
    let mut p = three_generations();
    let mut edit = IndividualEdit::from(p.get(id(1)).unwrap());
    edit.affection = Affection::Affected;
    p.edit(id(1), edit).unwrap();
    let mut edit = IndividualEdit::from(p.get(id(2)).unwrap());
    edit.affection = Affection::Unaffected;
    p.edit(id(2), edit).unwrap();
    assert_eq!(
        p.to_ped("FAM-7").unwrap(),
        "FAM-7\t1\t3\t2\t2\t2\n\
         FAM-7\t2\t0\t0\t2\t1\n\
         FAM-7\t3\t5\t4\t1\t0\n\
         FAM-7\t4\t0\t0\t2\t0\n\
         FAM-7\t5\t0\t0\t1\t0\n"
    );
}

#[test]
fn ped_family_ids_cannot_break_the_columns() {
    let p = Pedigree::new(Sex::Female);
    for bad in ["", "two words", "tab\there", &"x".repeat(65)] {
        assert_eq!(
            p.to_ped(bad),
            Err(PedigreeError::InvalidFamilyId(bad.to_owned()))
        );
    }
}

#[test]
fn json_round_trips() {
    let mut p = three_generations();
    p.set_consanguineous(id(2), id(3), true).unwrap();
    let json = serde_json::to_string(&p).unwrap();
    assert_eq!(serde_json::from_str::<Pedigree>(&json).unwrap(), p);
}

/// Stored JSON for a male proband (1) and their parents (2, 3), with the
/// father's father, the mother's sex and the partnerships set by each test.
fn stored(grandfather: &str, mother_sex: &str, partnerships: &str) -> String {
    format!(
        r#"{{"next_id": 4, "partnerships": {partnerships}, "individuals": [
        {{"id": 1, "label": null, "sex": "male", "affection": "unknown", "carrier": false,
          "deceased": false, "proband": true, "birth_year": null, "mother": 2, "father": 3}},
        {{"id": 2, "label": null, "sex": "{mother_sex}", "affection": "unknown", "carrier": false,
          "deceased": false, "proband": false, "birth_year": null, "mother": null, "father": null}},
        {{"id": 3, "label": null, "sex": "male", "affection": "unknown", "carrier": false,
          "deceased": false, "proband": false, "birth_year": null, "mother": null, "father": {grandfather}}}]}}"#
    )
}

#[test]
fn invalid_stored_pedigrees_are_rejected_on_load() {
    let couple = r#"[{"a": 2, "b": 3, "consanguineous": false}]"#;
    let load = |json: String| {
        serde_json::from_str::<Pedigree>(&json)
            .unwrap_err()
            .to_string()
    };
    // Individual 3 is both the father and a child of the proband.
    assert!(serde_json::from_str::<Pedigree>(&stored("null", "female", couple)).is_ok());
    // The proband as their own father's father.
    assert!(load(stored("1", "female", couple)).contains("would be their own ancestor"));
    assert!(
        load(stored("null", "male", couple))
            .contains("mother (2) of individual 1 is recorded as male")
    );
    assert!(load(stored("null", "female", "[]")).contains("are not recorded as partners"));
}

/// An edit chosen at random; individuals are picked by position so every
/// index hits someone in the pedigree at the time.
#[derive(Clone, Debug)]
enum Op {
    AddParents(usize),
    AddSibling(usize, Sex),
    AddChild(usize, Option<usize>, Sex),
    AddPartner(usize, Sex),
    LinkParent(usize, usize),
    LinkPartners(usize, usize),
    Consanguineous(usize, usize),
    Edit(usize, Sex, Affection, bool),
    SetProband(usize),
    Remove(usize),
}

fn sex() -> impl Strategy<Value = Sex> {
    prop_oneof![Just(Sex::Male), Just(Sex::Female), Just(Sex::Unknown)]
}

fn op() -> impl Strategy<Value = Op> {
    let i = 0usize..64;
    prop_oneof![
        i.clone().prop_map(Op::AddParents),
        (i.clone(), sex()).prop_map(|(a, s)| Op::AddSibling(a, s)),
        (i.clone(), proptest::option::of(i.clone()), sex())
            .prop_map(|(a, b, s)| Op::AddChild(a, b, s)),
        (i.clone(), sex()).prop_map(|(a, s)| Op::AddPartner(a, s)),
        (i.clone(), i.clone()).prop_map(|(a, b)| Op::LinkParent(a, b)),
        (i.clone(), i.clone()).prop_map(|(a, b)| Op::LinkPartners(a, b)),
        (i.clone(), i.clone()).prop_map(|(a, b)| Op::Consanguineous(a, b)),
        (
            i.clone(),
            sex(),
            prop_oneof![
                Just(Affection::Affected),
                Just(Affection::Unaffected),
                Just(Affection::Unknown)
            ],
            any::<bool>()
        )
            .prop_map(|(a, s, f, d)| Op::Edit(a, s, f, d)),
        i.clone().prop_map(Op::SetProband),
        i.prop_map(Op::Remove),
    ]
}

fn run(p: &mut Pedigree, op: &Op) -> Result<(), PedigreeError> {
    let ids: Vec<IndividualId> = p.individuals().iter().map(|i| i.id).collect();
    let pick = |n: usize| ids[n % ids.len()];
    match *op {
        Op::AddParents(a) => p.add_parents(pick(a)).map(drop),
        Op::AddSibling(a, s) => p.add_sibling(pick(a), s).map(drop),
        Op::AddChild(a, b, s) => p.add_child(pick(a), b.map(pick), s).map(drop),
        Op::AddPartner(a, s) => p.add_partner(pick(a), s).map(drop),
        Op::LinkParent(a, b) => p.link_parent(pick(a), pick(b)),
        Op::LinkPartners(a, b) => p.link_partners(pick(a), pick(b)),
        Op::Consanguineous(a, b) => p.set_consanguineous(pick(a), pick(b), true),
        Op::Edit(a, sex, affection, deceased) => {
            let mut edit = IndividualEdit::from(p.get(pick(a)).unwrap());
            (edit.sex, edit.affection, edit.deceased) = (sex, affection, deceased);
            p.edit(pick(a), edit)
        }
        Op::SetProband(a) => p.set_proband(pick(a)),
        Op::Remove(a) => p.remove(pick(a)).map(drop),
    }
}

proptest! {
    #[test]
    fn random_edit_sequences_keep_the_pedigree_valid(ops in proptest::collection::vec(op(), 1..60)) {
        let mut p = Pedigree::new(Sex::Female);
        for op in &ops {
            let before = p.clone();
            let outcome = run(&mut p, op);
            prop_assert_eq!(p.validate(), Ok(()), "after {:?}", op);
            if outcome.is_err() {
                prop_assert_eq!(&p, &before, "a refused {:?} changed the pedigree", op);
            }
        }
        let json = serde_json::to_string(&p).unwrap();
        prop_assert_eq!(serde_json::from_str::<Pedigree>(&json).unwrap(), p.clone());
        prop_assert_eq!(p.to_ped("F1").unwrap().lines().count(), p.individuals().len());
    }
}
