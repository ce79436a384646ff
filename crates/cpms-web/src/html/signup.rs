//! The three sign-up pages. The draft travels in the forms (hidden fields
//! for the pages not shown), so the flow needs no session and works
//! without scripts; the password is asked for only on the overview.

use askama::Template;
use axum::body::Bytes;
use axum::response::{IntoResponse, Redirect, Response};
use cpms_app::onboarding::{SignUpChoices, SignUpDraft, SignUpStep};
use cpms_domain::onboarding::{AccessRequest, CaresFor};

use crate::error::{PageError, render};
use crate::extract::Ctx;
use crate::html::form::Fields;
use crate::shell::Shell;

#[derive(Template)]
#[template(path = "signup.html")]
struct SignUpPage {
    shell: Shell,
    step: u8,
    error: Option<String>,
    d: SignUpDraft,
    c: SignUpChoices,
    /// Draft fields of the other pages.
    hidden: Vec<(&'static str, String)>,
    cares_for: [CaresFor; 3],
}

#[derive(Template)]
#[template(path = "signup_done.html")]
struct DonePage {
    shell: Shell,
    requests: Vec<AccessRequest>,
}

/// Fields shown on each page; the others ride along hidden.
const ABOUT: &[&str] = &[
    "display_name",
    "email",
    "username",
    "category",
    "member",
    "hospital",
    "erns",
    "guest_hospital",
    "working_country",
    "inviting_ern",
];
const FOCUS: &[&str] = &["cares_for", "profession", "areas", "specialist_in"];

pub(crate) async fn start(ctx: Ctx) -> Result<Response, PageError> {
    if ctx.caller.is_some() {
        return Ok(Redirect::to("/access-requests").into_response());
    }
    page(&ctx, SignUpStep::About, SignUpDraft::default(), None).await
}

pub(crate) async fn submit(ctx: Ctx, body: Bytes) -> Result<Response, PageError> {
    let fields = Fields::parse(&body);
    let draft = draft_from(&fields);
    let app = &ctx.state.app;
    let (next, on_error) = match fields.one("go") {
        "focus" => (SignUpStep::Focus, SignUpStep::About),
        "overview" => (SignUpStep::Overview, SignUpStep::Focus),
        "submit" => {
            return match app
                .sign_up(&draft, fields.one("password"), ctx.client.clone())
                .await
            {
                Ok(requests) => Ok(render(&DonePage {
                    shell: ctx.shell("signin"),
                    requests,
                })),
                Err(err) if err.code == cpms_app::ErrorCode::Invalid => {
                    page(&ctx, SignUpStep::Overview, draft, Some(err.message)).await
                }
                Err(err) => Err(ctx.fail(err)),
            };
        }
        _ => return page(&ctx, SignUpStep::About, draft, None).await,
    };
    match app.check_sign_up(&draft, on_error).await {
        Ok(()) => page(&ctx, next, draft, None).await,
        Err(err) if err.code == cpms_app::ErrorCode::Invalid => {
            page(&ctx, on_error, draft, Some(err.message)).await
        }
        Err(err) => Err(ctx.fail(err)),
    }
}

async fn page(
    ctx: &Ctx,
    step: SignUpStep,
    d: SignUpDraft,
    error: Option<String>,
) -> Result<Response, PageError> {
    let c = ctx
        .state
        .app
        .sign_up_choices(&d)
        .await
        .map_err(|e| ctx.fail(e))?;
    let shown: &[&str] = match step {
        SignUpStep::About => ABOUT,
        SignUpStep::Focus => FOCUS,
        SignUpStep::Overview => &[],
    };
    let hidden = pairs(&d)
        .into_iter()
        .filter(|(name, _)| !shown.contains(name))
        .collect();
    let step = match step {
        SignUpStep::About => 1,
        SignUpStep::Focus => 2,
        SignUpStep::Overview => 3,
    };
    Ok(render(&SignUpPage {
        shell: ctx.shell("signup"),
        step,
        error,
        d,
        c,
        hidden,
        cares_for: CaresFor::ALL,
    }))
}

fn draft_from(f: &Fields) -> SignUpDraft {
    SignUpDraft {
        display_name: f.one("display_name").to_owned(),
        email: f.one("email").to_owned(),
        username: f.one("username").to_owned(),
        category: f.one("category").to_owned(),
        member: f.one("member").to_owned(),
        hospital: f.one("hospital").to_owned(),
        erns: f.all("erns"),
        guest_hospital: f.one("guest_hospital").to_owned(),
        working_country: f.one("working_country").to_owned(),
        inviting_ern: f.one("inviting_ern").to_owned(),
        cares_for: f.one("cares_for").to_owned(),
        profession: f.one("profession").to_owned(),
        areas: f.all("areas"),
        specialist_in: f.one("specialist_in").to_owned(),
    }
}

fn pairs(d: &SignUpDraft) -> Vec<(&'static str, String)> {
    let mut out = vec![
        ("display_name", d.display_name.clone()),
        ("email", d.email.clone()),
        ("username", d.username.clone()),
        ("category", d.category.clone()),
        ("member", d.member.clone()),
        ("hospital", d.hospital.clone()),
        ("guest_hospital", d.guest_hospital.clone()),
        ("working_country", d.working_country.clone()),
        ("inviting_ern", d.inviting_ern.clone()),
        ("cares_for", d.cares_for.clone()),
        ("profession", d.profession.clone()),
        ("specialist_in", d.specialist_in.clone()),
    ];
    out.extend(d.erns.iter().map(|e| ("erns", e.clone())));
    out.extend(d.areas.iter().map(|a| ("areas", a.clone())));
    out
}
