use cpms_domain::pedigree::{Affection, IndividualEdit, IndividualId, Pedigree, Sex};
use proptest::prelude::*;

use super::position::fit_in_order;
use super::*;

/// Four generations: great-grandparents whose son and daughter are the
/// proband's paternal grandfather and maternal grandmother (so the parents
/// are consanguineous cousins), a paternal half-brother, and the proband's
/// brother with a wife and daughter.
fn family() -> (Pedigree, Vec<IndividualId>) {
    let mut p = Pedigree::new(Sex::Female);
    let proband = p.proband().unwrap().id;
    let (mother, father) = p.add_parents(proband).unwrap();
    p.set_consanguineous(mother, father, true).unwrap();
    let brother = p.add_sibling(proband, Sex::Male).unwrap();
    let first_partner = p.add_partner(father, Sex::Female).unwrap();
    let half_brother = p.add_child(father, Some(first_partner), Sex::Male).unwrap();
    let (_, grandfather) = p.add_parents(father).unwrap();
    let (grandmother, _) = p.add_parents(mother).unwrap();
    let (ggm, ggf) = p.add_parents(grandfather).unwrap();
    p.link_parent(grandmother, ggm).unwrap();
    p.link_parent(grandmother, ggf).unwrap();
    let wife = p.add_partner(brother, Sex::Female).unwrap();
    let niece = p.add_child(brother, Some(wife), Sex::Female).unwrap();
    (
        p,
        vec![proband, mother, father, brother, half_brother, ggm, niece],
    )
}

fn node(layout: &PedigreeLayout, id: IndividualId) -> &Node {
    layout.nodes.iter().find(|n| n.id == id).unwrap()
}

/// The geometric rules every drawing must keep.
fn check_geometry(pedigree: &Pedigree, layout: &PedigreeLayout) -> Result<(), String> {
    if layout.nodes.len() != pedigree.individuals().len() {
        return Err("not everyone is drawn".into());
    }
    for (i, a) in layout.nodes.iter().enumerate() {
        for b in &layout.nodes[i + 1..] {
            let apart_x = (a.x - b.x).abs() >= SPACING - 0.01;
            let apart_y = (a.y - b.y).abs() >= GENERATION_HEIGHT - 0.01;
            if !(apart_x || apart_y) {
                return Err(format!("{} and {} overlap", a.reference(), b.reference()));
            }
        }
    }
    for individual in pedigree.individuals() {
        let child = node(layout, individual.id);
        for parent in individual.parents() {
            if node(layout, parent).y >= child.y {
                return Err(format!("{} is not below their parent", child.reference()));
            }
        }
    }
    for couple in &layout.couples {
        let (l, r) = (node(layout, couple.left), node(layout, couple.right));
        let attached = (couple.x1 - (l.x + SYMBOL / 2.0)).abs() < 0.01
            && (couple.x2 - (r.x - SYMBOL / 2.0)).abs() < 0.01;
        if !attached || pedigree.partnership(couple.left, couple.right).is_none() {
            return Err(format!(
                "partner line {}–{} is misplaced",
                l.reference(),
                r.reference()
            ));
        }
    }
    for sibship in &layout.sibships {
        for &child in &sibship.children {
            let c = node(layout, child);
            if !(sibship.from.1 < sibship.y && sibship.y < c.y - SYMBOL / 2.0) {
                return Err(format!(
                    "sibship line of {} is not between parents and child",
                    c.reference()
                ));
            }
            let parents: Vec<_> = pedigree.get(child).unwrap().parents().collect();
            if !same_set(&parents, &sibship.parents) {
                return Err(format!("{} hangs from the wrong parents", c.reference()));
            }
        }
    }
    Ok(())
}

#[test]
fn a_four_generation_family_is_laid_out_cleanly() {
    let (p, ids) = family();
    let layout = layout(&p);
    check_geometry(&p, &layout).unwrap();
    assert_eq!(layout.generations, 5);
    let [
        proband,
        mother,
        father,
        brother,
        half_brother,
        great_grandmother,
        niece,
    ] = ids[..]
    else {
        unreachable!()
    };
    assert_eq!(node(&layout, great_grandmother).generation, 0);
    assert_eq!(node(&layout, father).generation, 2);
    assert_eq!(node(&layout, proband).generation, 3);
    assert_eq!(node(&layout, half_brother).generation, 3);
    assert_eq!(node(&layout, niece).generation, 4);
    // The father sits between his two partners.
    let father_x = node(&layout, father).x;
    let mother_x = node(&layout, mother).x;
    let first_partner = p.partners_of(father).find(|&x| x != mother).unwrap();
    let first_x = node(&layout, first_partner).x;
    assert!(
        (first_x < father_x && father_x < mother_x) || (mother_x < father_x && father_x < first_x)
    );
    // No partner line runs through a third symbol.
    for couple in &layout.couples {
        let y = couple.y;
        let crossed = layout
            .nodes
            .iter()
            .any(|n| (n.y - y).abs() < 1.0 && n.x > couple.x1 && n.x < couple.x2);
        assert!(!crossed, "a partner line crosses a symbol");
    }
    // Full siblings hang from one sibship line, and half-siblings from another.
    let proband_sibship = layout
        .sibships
        .iter()
        .find(|s| s.children.contains(&proband))
        .unwrap();
    assert!(proband_sibship.children.contains(&brother));
    assert!(!proband_sibship.children.contains(&half_brother));
    let consanguineous: Vec<_> = layout.couples.iter().filter(|c| c.consanguineous).collect();
    assert_eq!(consanguineous.len(), 1);
    assert!(same_set(
        &[consanguineous[0].left, consanguineous[0].right],
        &[mother, father]
    ));
}

#[test]
fn siblings_and_partners_share_a_generation_when_one_side_goes_back_further() {
    let mut p = Pedigree::new(Sex::Male);
    let proband = p.proband().unwrap().id;
    let (mother, father) = p.add_parents(proband).unwrap();
    let (grandmother, _) = p.add_parents(mother).unwrap();
    p.add_parents(grandmother).unwrap();
    p.add_parents(father).unwrap();
    let uncle = p.add_sibling(father, Sex::Male).unwrap();
    let layout = layout(&p);
    check_geometry(&p, &layout).unwrap();
    let generation = |id| node(&layout, id).generation;
    assert_eq!(generation(mother), 2);
    assert_eq!(generation(father), 2);
    assert_eq!(generation(uncle), 2);
    // The father's parents sit just above him, not up among the great-grandparents.
    let paternal = p.get(father).unwrap().mother.unwrap();
    assert_eq!(generation(paternal), 1);
}

#[test]
fn parents_are_centred_over_an_only_sibship() {
    let mut p = Pedigree::new(Sex::Male);
    let proband = p.proband().unwrap().id;
    let (mother, father) = p.add_parents(proband).unwrap();
    p.add_sibling(proband, Sex::Female).unwrap();
    p.add_sibling(proband, Sex::Female).unwrap();
    let layout = layout(&p);
    let couple_centre = (node(&layout, mother).x + node(&layout, father).x) / 2.0;
    let xs: Vec<f32> = p
        .children_of(mother)
        .map(|c| node(&layout, c.id).x)
        .collect();
    let sibship_centre = (xs.iter().copied().fold(f32::MAX, f32::min)
        + xs.iter().copied().fold(f32::MIN, f32::max))
        / 2.0;
    assert!(
        (couple_centre - sibship_centre).abs() < 1.0,
        "{couple_centre} vs {sibship_centre}"
    );
}

#[test]
fn fitting_in_order_keeps_gaps_and_stays_close() {
    assert_eq!(fit_in_order(&[0.0, 200.0], &[90.0]), vec![0.0, 200.0]);
    // Two symbols that want the same spot share the difference.
    assert_eq!(fit_in_order(&[100.0, 100.0], &[90.0]), vec![55.0, 145.0]);
    let placed = fit_in_order(&[50.0, 0.0, 10.0], &[90.0, 90.0]);
    assert!(
        placed.windows(2).all(|w| w[1] - w[0] >= 90.0 - 1e-3),
        "{placed:?}"
    );
}

#[test]
fn the_svg_is_accessible_and_draws_the_standard_symbols() {
    let (mut p, ids) = family();
    let proband = ids[0];
    let mut edit = IndividualEdit::from(p.get(proband).unwrap());
    edit.affection = Affection::Affected;
    edit.label = Some("<b>&\"x\"</b>".into());
    p.edit(proband, edit).unwrap();
    let mut edit = IndividualEdit::from(p.get(ids[1]).unwrap());
    edit.carrier = true;
    edit.deceased = true;
    p.edit(ids[1], edit).unwrap();

    let svg = render_svg(&p, "Family <of> case & co");
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\""));
    // The title and description come first, so they name the image (no ids,
    // which could clash when a page shows several drawings).
    assert!(svg.contains("viewBox=\"0 0 ") && !svg.contains(" id=\""));
    assert!(svg.contains("\"><title>Family &lt;of&gt; case &amp; co</title><desc>Pedigree of 14 individuals in 5 generations."));
    assert!(svg.contains("Proband: IV-"));
    let doc = roxmltree::Document::parse(&svg).unwrap();
    assert!(
        !doc.descendants()
            .any(|n| n.has_tag_name("script") || n.has_tag_name("b"))
    );
    assert!(svg.contains("&lt;b&gt;&amp;&quot;x&quot;&lt;/b&gt;"));
    let count = |needle: &str| svg.matches(needle).count();
    let males = p
        .individuals()
        .iter()
        .filter(|i| i.sex == Sex::Male)
        .count();
    assert_eq!(count("<rect x="), males);
    // Circles: one per female, plus the carrier dot.
    let females = p
        .individuals()
        .iter()
        .filter(|i| i.sex == Sex::Female)
        .count();
    assert_eq!(count("<circle"), females + 1);
    assert_eq!(count("fill=\"#1f2937\""), 1, "one affected individual");
    for numeral in [">I<", ">II<", ">III<", ">IV<", ">V<"] {
        assert!(svg.contains(numeral), "{numeral} missing");
    }
}

/// An edit chosen at random, with individuals picked by position.
#[derive(Clone, Debug)]
enum Op {
    Parents(usize),
    Sibling(usize, bool),
    Child(usize, Option<usize>),
    Partner(usize),
    LinkParent(usize, usize),
}

fn op() -> impl Strategy<Value = Op> {
    let i = 0usize..40;
    prop_oneof![
        i.clone().prop_map(Op::Parents),
        (i.clone(), any::<bool>()).prop_map(|(a, m)| Op::Sibling(a, m)),
        (i.clone(), proptest::option::of(i.clone())).prop_map(|(a, b)| Op::Child(a, b)),
        i.clone().prop_map(Op::Partner),
        (i.clone(), i).prop_map(|(a, b)| Op::LinkParent(a, b)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn random_families_keep_the_geometric_rules(ops in proptest::collection::vec(op(), 1..30)) {
        let mut p = Pedigree::new(Sex::Female);
        for op in ops {
            let ids: Vec<IndividualId> = p.individuals().iter().map(|i| i.id).collect();
            let pick = |n: usize| ids[n % ids.len()];
            let sex = |male: bool| if male { Sex::Male } else { Sex::Female };
            // Refused edits are fine here; only the resulting family matters.
            let _ = match op {
                Op::Parents(a) => p.add_parents(pick(a)).map(drop),
                Op::Sibling(a, m) => p.add_sibling(pick(a), sex(m)).map(drop),
                Op::Child(a, b) => p.add_child(pick(a), b.map(pick), Sex::Unknown).map(drop),
                Op::Partner(a) => {
                    let opposite = p.get(pick(a)).map(|i| i.sex != Sex::Male).unwrap_or(true);
                    p.add_partner(pick(a), sex(opposite)).map(drop)
                }
                Op::LinkParent(a, b) => p.link_parent(pick(a), pick(b)),
            };
        }
        let layout = layout(&p);
        prop_assert_eq!(check_geometry(&p, &layout), Ok(()));
        let svg = render_svg(&p, "random");
        prop_assert!(roxmltree::Document::parse(&svg).is_ok(), "not well-formed XML");
    }
}
