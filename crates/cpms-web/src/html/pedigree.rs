//! The family history editor: the drawing (cpms-reports), a form to add
//! relatives, one form per individual and one per couple, and the PED
//! download for linkage tools.

use askama::Template;
use axum::body::Bytes;
use axum::extract::Path;
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use cpms_app::patients::PedigreeEdit;
use cpms_app::{AppError, ErrorCode};
use cpms_domain::pedigree::{Affection, Individual, IndividualEdit, IndividualId, Pedigree, Sex};
use cpms_reports::pedigree::{layout, render_svg};

use crate::error::{PageError, render, with_status};
use crate::extract::Ctx;
use crate::html::form::Fields;
use crate::shell::Shell;

/// The drawing for a page: standard symbols, with the pseudonym as its name.
pub(crate) fn drawing(pedigree: &Pedigree, pseudonym: &str) -> String {
    render_svg(pedigree, &format!("Pedigree of {pseudonym}"))
}

/// An individual with the reference a clinician reads off the drawing.
struct Row {
    reference: String,
    i: Individual,
}

/// A couple, by references, with its consanguinity.
struct Couple {
    a: IndividualId,
    b: IndividualId,
    names: String,
    consanguineous: bool,
}

#[derive(Template)]
#[template(path = "patient_pedigree.html")]
struct EditorPage {
    shell: Shell,
    pseudonym: String,
    svg: String,
    rows: Vec<Row>,
    couples: Vec<Couple>,
    error: Option<String>,
}

impl Row {
    fn sex(&self) -> &'static str {
        sex_name(self.i.sex)
    }

    fn affection(&self) -> &'static str {
        match self.i.affection {
            Affection::Affected => "affected",
            Affection::Unaffected => "unaffected",
            Affection::Unknown => "unknown",
        }
    }

    fn birth_year(&self) -> String {
        self.i.birth_year.map(|y| y.to_string()).unwrap_or_default()
    }

    fn label(&self) -> &str {
        self.i.label.as_deref().unwrap_or_default()
    }
}

fn sex_name(sex: Sex) -> &'static str {
    match sex {
        Sex::Male => "male",
        Sex::Female => "female",
        Sex::Unknown => "unknown",
    }
}

pub(crate) async fn editor(ctx: Ctx, Path(pseudonym): Path<String>) -> Result<Response, PageError> {
    editor_page(&ctx, &pseudonym, None).await
}

async fn editor_page(
    ctx: &Ctx,
    pseudonym: &str,
    error: Option<String>,
) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let pedigree = ctx
        .state
        .app
        .pedigree(caller, pseudonym, "patient.read_pedigree")
        .await
        .map_err(|e| ctx.fail(e))?;
    let drawn = layout(&pedigree);
    let reference = |id: IndividualId| {
        drawn
            .nodes
            .iter()
            .find(|n| n.id == id)
            .map_or_else(|| id.to_string(), |n| n.reference())
    };
    let mut rows: Vec<Row> = pedigree
        .individuals()
        .iter()
        .map(|i| Row {
            reference: reference(i.id),
            i: i.clone(),
        })
        .collect();
    rows.sort_by_key(|r| {
        drawn
            .nodes
            .iter()
            .find(|n| n.id == r.i.id)
            .map(|n| (n.generation, n.number))
    });
    let couples = pedigree
        .partnerships()
        .iter()
        .map(|p| Couple {
            a: p.a,
            b: p.b,
            names: format!("{} and {}", reference(p.a), reference(p.b)),
            consanguineous: p.consanguineous,
        })
        .collect();
    let page = render(&EditorPage {
        shell: ctx.shell("centre"),
        pseudonym: pseudonym.to_owned(),
        svg: drawing(&pedigree, pseudonym),
        rows,
        couples,
        error: error.clone(),
    });
    Ok(match error {
        Some(_) => with_status(axum::http::StatusCode::UNPROCESSABLE_ENTITY, page),
        None => page,
    })
}

pub(crate) async fn edit(
    ctx: Ctx,
    Path(pseudonym): Path<String>,
    body: Bytes,
) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let fields = Fields::parse(&body);
    let result = match parse_edit(&fields) {
        Ok(edit) => ctx.state.app.edit_pedigree(caller, &pseudonym, edit).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/patients/{pseudonym}/pedigree")).into_response()),
        Err(err) if err.code == ErrorCode::Invalid => {
            editor_page(&ctx, &pseudonym, Some(err.message)).await
        }
        Err(err) => Err(ctx.fail(err)),
    }
}

/// Reads the edit a form asks for; the button pressed names it (`op`).
fn parse_edit(f: &Fields) -> Result<PedigreeEdit, AppError> {
    let id = |name: &str| {
        f.one(name)
            .parse::<u32>()
            .map(IndividualId::from)
            .map_err(|_| AppError::invalid(format!("{name}: choose someone in the family")))
    };
    let sex = || match f.one("sex") {
        "male" => Sex::Male,
        "female" => Sex::Female,
        _ => Sex::Unknown,
    };
    Ok(match f.one("op") {
        "add" => {
            let of = id("of")?;
            match f.one("relation") {
                "parents" => PedigreeEdit::AddParents(of),
                "sibling" => PedigreeEdit::AddSibling(of, sex()),
                "child" => PedigreeEdit::AddChild(of, sex()),
                "partner" => PedigreeEdit::AddPartner(of, sex()),
                _ => return Err(AppError::invalid("relation: choose one")),
            }
        }
        "change" => PedigreeEdit::Change(id("id")?, individual_edit(f, sex())?),
        "proband" => PedigreeEdit::SetProband(id("id")?),
        "remove" => PedigreeEdit::Remove(id("id")?),
        "consanguinity" => {
            PedigreeEdit::Consanguineous(id("a")?, id("b")?, !f.one("consanguineous").is_empty())
        }
        _ => return Err(AppError::invalid("Choose what to change.")),
    })
}

fn individual_edit(f: &Fields, sex: Sex) -> Result<IndividualEdit, AppError> {
    let birth_year = match f.one("birth_year").trim() {
        "" => None,
        year => Some(
            year.parse()
                .map_err(|_| AppError::invalid("Year of birth: a year such as 1984"))?,
        ),
    };
    let label = f.one("label").trim();
    Ok(IndividualEdit {
        label: (!label.is_empty()).then(|| label.to_owned()),
        sex,
        affection: match f.one("affection") {
            "affected" => Affection::Affected,
            "unaffected" => Affection::Unaffected,
            _ => Affection::Unknown,
        },
        carrier: !f.one("carrier").is_empty(),
        deceased: !f.one("deceased").is_empty(),
        birth_year,
    })
}

pub(crate) async fn ped(ctx: Ctx, Path(pseudonym): Path<String>) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let pedigree = ctx
        .state
        .app
        .pedigree(caller, &pseudonym, "patient.export_pedigree")
        .await
        .map_err(|e| ctx.fail(e))?;
    ped_download(&pedigree, &pseudonym).map_err(|e| ctx.fail(e))
}

/// The pedigree as a PED file to download. The pseudonym is the family id:
/// PED files leave the record, names don't. The API answers the same way.
pub(crate) fn ped_download(pedigree: &Pedigree, pseudonym: &str) -> Result<Response, AppError> {
    let text = pedigree
        .to_ped(pseudonym)
        .map_err(|e| AppError::invalid(e.to_string()))?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{pseudonym}.ped\""),
            ),
        ],
        text,
    )
        .into_response())
}
