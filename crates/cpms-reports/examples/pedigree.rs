//! Draws a four-generation example family as SVG: a consanguineous couple
//! (second cousins), half-siblings, carriers, deceased relatives.
//!
//! `cargo run -p cpms-reports --example pedigree -- family.svg`

use cpms_domain::pedigree::{
    Affection, IndividualEdit, IndividualId, Pedigree, PedigreeError, Sex,
};
use cpms_reports::pedigree::render_svg;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "pedigree.svg".into());
    let pedigree = example_family()?;
    std::fs::write(
        &path,
        render_svg(&pedigree, "Family history of case RND-7Q2K-93XD"),
    )?;
    println!("wrote {path}");
    println!("{}", pedigree.to_ped("RND-7Q2K-93XD")?);
    Ok(())
}

fn example_family() -> Result<Pedigree, PedigreeError> {
    let mut p = Pedigree::new(Sex::Female);
    let proband = p.proband().map(|i| i.id).ok_or(PedigreeError::NoProband)?;
    set(
        &mut p,
        proband,
        Some("proband"),
        Affection::Affected,
        false,
        false,
        Some(2017),
    )?;
    let (mother, father) = p.add_parents(proband)?;
    set(
        &mut p,
        mother,
        None,
        Affection::Unaffected,
        true,
        false,
        Some(1986),
    )?;
    set(
        &mut p,
        father,
        None,
        Affection::Unaffected,
        true,
        false,
        Some(1983),
    )?;
    p.set_consanguineous(mother, father, true)?;
    let brother = p.add_sibling(proband, Sex::Male)?;
    set(
        &mut p,
        brother,
        None,
        Affection::Unaffected,
        false,
        false,
        Some(2012),
    )?;
    let sibling = p.add_sibling(proband, Sex::Unknown)?;
    set(
        &mut p,
        sibling,
        Some("stillbirth"),
        Affection::Unknown,
        false,
        true,
        None,
    )?;

    // The father's first partner and their son: the proband's half-brother.
    let first_partner = p.add_partner(father, Sex::Female)?;
    let half_brother = p.add_child(father, Some(first_partner), Sex::Male)?;
    set(
        &mut p,
        half_brother,
        Some("half-brother"),
        Affection::Affected,
        false,
        false,
        Some(2006),
    )?;

    // Grandparents on both sides; the paternal grandfather and the maternal
    // grandmother are siblings, so the parents are first cousins.
    let (_, paternal_grandfather) = p.add_parents(father)?;
    let (maternal_grandmother, _) = p.add_parents(mother)?;
    let (great_grandmother, great_grandfather) = p.add_parents(paternal_grandfather)?;
    p.link_parent(maternal_grandmother, great_grandmother)?;
    p.link_parent(maternal_grandmother, great_grandfather)?;
    set(
        &mut p,
        great_grandfather,
        None,
        Affection::Unaffected,
        false,
        true,
        Some(1921),
    )?;
    set(
        &mut p,
        great_grandmother,
        None,
        Affection::Unaffected,
        false,
        true,
        Some(1925),
    )?;

    let aunt = p.add_sibling(mother, Sex::Female)?;
    set(
        &mut p,
        aunt,
        Some("maternal aunt"),
        Affection::Affected,
        false,
        true,
        Some(1979),
    )?;

    // The brother's daughter, fourth generation from the great-grandparents.
    let sister_in_law = p.add_partner(brother, Sex::Female)?;
    let niece = p.add_child(brother, Some(sister_in_law), Sex::Female)?;
    set(
        &mut p,
        niece,
        None,
        Affection::Unknown,
        true,
        false,
        Some(2034),
    )?;
    Ok(p)
}

fn set(
    p: &mut Pedigree,
    id: IndividualId,
    label: Option<&str>,
    affection: Affection,
    carrier: bool,
    deceased: bool,
    birth_year: Option<i32>,
) -> Result<(), PedigreeError> {
    let mut edit = IndividualEdit::from(p.get(id).ok_or(PedigreeError::UnknownIndividual(id))?);
    edit.label = label.map(str::to_owned);
    (edit.affection, edit.carrier, edit.deceased, edit.birth_year) =
        (affection, carrier, deceased, birth_year);
    p.edit(id, edit)
}
