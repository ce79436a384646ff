//! Panel pages: the consultation request form (new and draft), the panel
//! page (request, shared record, members, discussion, log) and the forms
//! posted from it. Every action goes through one use case; the page only
//! shows the buttons the use cases would allow.

use askama::Template;
use axum::body::Bytes;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use cpms_app::panels::{ConsultationForm, PanelView, RequestChoices};
use cpms_app::{AppError, ErrorCode};
use cpms_domain::panel::mention::{self, Piece};
use cpms_domain::panel::{PanelType, PostKind, SharedSection, Transition};

use crate::error::{PageError, render, with_status};
use crate::extract::Ctx;
use crate::html::form::Fields;
use crate::shell::Shell;

#[derive(Template)]
#[template(path = "panel_request.html")]
struct RequestPage {
    shell: Shell,
    form: ConsultationForm,
    c: RequestChoices,
    types: [PanelType; 3],
    sections: [SharedSection; 7],
    error: Option<String>,
}

impl RequestPage {
    fn action(&self) -> String {
        match &self.c.reference {
            Some(reference) => format!("/panels/{reference}/request"),
            None => format!("/patients/{}/consultation", self.c.pseudonym),
        }
    }

    fn shares_section(&self, s: &SharedSection) -> bool {
        self.form.sections.iter().any(|x| x == s.as_str())
    }

    fn shares_attachment(&self, id: &str) -> bool {
        self.form.attachments.iter().any(|x| x == id)
    }

    fn shares_study(&self, uid: &str) -> bool {
        self.form.studies.iter().any(|x| x == uid)
    }
}

fn request_page(
    ctx: &Ctx,
    form: ConsultationForm,
    c: RequestChoices,
    error: Option<String>,
) -> Response {
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let page = render(&RequestPage {
        shell: ctx.shell("centre"),
        form,
        c,
        types: PanelType::ALL,
        sections: SharedSection::ALL,
        error,
    });
    with_status(status, page)
}

/// The request form as posted, and whether to submit it.
fn posted_request(body: &[u8]) -> (ConsultationForm, bool) {
    let f = Fields::parse(body);
    let form = ConsultationForm {
        ern: f.one("ern").to_owned(),
        area: f.one("area").to_owned(),
        panel_type: f.one("panel_type").to_owned(),
        questions: f.one("questions").to_owned(),
        urgency: f.one("urgency").to_owned(),
        answer_by: f.one("answer_by").to_owned(),
        sections: f.all("sections"),
        attachments: f.all("attachments"),
        studies: f.all("studies"),
        ern_help: !f.one("ern_help").is_empty(),
    };
    (form, f.one("action") == "submit")
}

/// `GET /patients/{pseudonym}/consultation`: a new request.
pub(crate) async fn new_request(
    ctx: Ctx,
    Path(pseudonym): Path<String>,
) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let c = ctx
        .state
        .app
        .consultation_choices(caller, &pseudonym)
        .await
        .map_err(|e| ctx.fail(e))?;
    let form = ConsultationForm {
        ern: c
            .erns
            .first()
            .map(|e| e.code.to_string())
            .unwrap_or_default(),
        panel_type: PanelType::Diagnosis.as_str().to_owned(),
        urgency: "routine".to_owned(),
        sections: vec![SharedSection::Summary.as_str().to_owned()],
        ..ConsultationForm::default()
    };
    Ok(request_page(&ctx, form, c, None))
}

/// `POST /patients/{pseudonym}/consultation`: save as draft or submit.
pub(crate) async fn create_request(
    ctx: Ctx,
    Path(pseudonym): Path<String>,
    body: Bytes,
) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let (form, submit) = posted_request(&body);
    let app = &ctx.state.app;
    match app
        .request_consultation(caller, &pseudonym, &form, submit)
        .await
    {
        Ok((reference, _events)) => {
            Ok(Redirect::to(&format!("/panels/{reference}")).into_response())
        }
        Err(err) if err.code == ErrorCode::Invalid => {
            let c = app
                .consultation_choices(caller, &pseudonym)
                .await
                .map_err(|e| ctx.fail(e))?;
            Ok(request_page(&ctx, form, c, Some(err.message)))
        }
        Err(err) => Err(ctx.fail(err)),
    }
}

/// `GET /panels/{reference}/request`: the draft request.
pub(crate) async fn edit_request(
    ctx: Ctx,
    Path(reference): Path<String>,
) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let (form, c) = ctx
        .state
        .app
        .consultation_draft(caller, &reference)
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(request_page(&ctx, form, c, None))
}

/// `POST /panels/{reference}/request`: save the draft, or submit it.
pub(crate) async fn save_request(
    ctx: Ctx,
    Path(reference): Path<String>,
    body: Bytes,
) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let (form, submit) = posted_request(&body);
    let app = &ctx.state.app;
    match app
        .save_consultation(caller, &reference, &form, submit)
        .await
    {
        Ok(_events) => Ok(to_panel(&reference)),
        Err(err) if err.code == ErrorCode::Invalid => {
            let (_, c) = app
                .consultation_draft(caller, &reference)
                .await
                .map_err(|e| ctx.fail(e))?;
            Ok(request_page(&ctx, form, c, Some(err.message)))
        }
        Err(err) => Err(ctx.fail(err)),
    }
}

#[derive(Template)]
#[template(path = "panel.html")]
struct PanelPage {
    shell: Shell,
    v: PanelView,
    pedigree_svg: Option<String>,
    kinds: Vec<PostKind>,
    error: Option<String>,
    /// What was typed in the message box when posting failed.
    draft: String,
}

impl PanelPage {
    fn step_label(&self, t: &Transition) -> &'static str {
        match t {
            Transition::StartOutcome => "Start the outcome",
            Transition::RequestSignOff => "Send the outcome for sign-off",
            Transition::ReviseOutcome => "Revise the outcome",
            Transition::Close => "Close the panel",
            Transition::Archive => "Archive",
            Transition::Reopen => "Reopen",
            Transition::Cancel => "Cancel the panel",
            _ => "",
        }
    }

    /// A meeting's time as its organiser chose it.
    fn when(&self, m: &cpms_app::panels::StoredMeeting) -> String {
        cpms_app::panels::meeting_when(m)
    }

    fn is_close(&self, t: &Transition) -> bool {
        *t == Transition::Close
    }

    /// Requests for information the lead has not answered yet.
    fn open_requests(&self) -> Vec<&cpms_app::panels::Post> {
        self.v
            .posts
            .iter()
            .filter(|q| {
                q.kind == PostKind::InfoRequest
                    && !self.v.posts.iter().any(|a| a.reply_to == Some(q.id))
            })
            .collect()
    }

    /// A message split into text and `@username` mentions, to highlight.
    fn pieces<'a>(&self, body: &'a str) -> Vec<Piece<'a>> {
        mention::pieces(body)
    }

    fn author_of(&self, id: &cpms_domain::ids::PostId) -> String {
        self.v
            .posts
            .iter()
            .find(|p| p.id == *id)
            .map(|p| p.author_name.clone())
            .unwrap_or_default()
    }
}

/// The panel page, with an error and the typed message when an action
/// from it failed.
async fn panel_page(
    ctx: &Ctx,
    reference: &str,
    failed: Option<(AppError, String)>,
) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let v = ctx
        .state
        .app
        .panel(caller, reference)
        .await
        .map_err(|e| ctx.fail(e))?;
    let pedigree_svg = v.shared.as_ref().and_then(|s| {
        s.record
            .pedigree
            .as_ref()
            .map(|p| crate::html::pedigree::drawing(p, &s.pseudonym))
    });
    let kinds = if v.may.as_lead {
        vec![PostKind::Comment, PostKind::Contribution]
    } else {
        vec![
            PostKind::Contribution,
            PostKind::Comment,
            PostKind::InfoRequest,
        ]
    };
    let (error, draft, status) = match failed {
        Some((err, draft)) => (Some(err.message), draft, StatusCode::UNPROCESSABLE_ENTITY),
        None => (None, String::new(), StatusCode::OK),
    };
    let page = render(&PanelPage {
        shell: ctx.shell("panels"),
        v,
        pedigree_svg,
        kinds,
        error,
        draft,
    });
    Ok(with_status(status, page))
}

fn to_panel(reference: &str) -> Response {
    Redirect::to(&format!("/panels/{reference}")).into_response()
}

/// After an action: back to the panel, or the panel with the reason it was
/// refused (input problems and read-only states); other failures are
/// error pages.
async fn after(
    ctx: &Ctx,
    reference: &str,
    result: Result<(), AppError>,
    draft: String,
) -> Result<Response, PageError> {
    match result {
        Ok(()) => Ok(to_panel(reference)),
        Err(err) if err.code == ErrorCode::Invalid => {
            panel_page(ctx, reference, Some((err, draft))).await
        }
        Err(err) => Err(ctx.fail(err)),
    }
}

/// `GET /panels/{reference}`.
pub(crate) async fn page(ctx: Ctx, Path(reference): Path<String>) -> Result<Response, PageError> {
    panel_page(&ctx, &reference, None).await
}

/// `POST /panels/{reference}/submit`.
pub(crate) async fn submit(ctx: Ctx, Path(reference): Path<String>) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let result = ctx
        .state
        .app
        .submit_consultation(caller, &reference)
        .await
        .map(drop);
    after(&ctx, &reference, result, String::new()).await
}

/// `POST /panels/{reference}/answer`: accept, or decline with a reason.
pub(crate) async fn answer(
    ctx: Ctx,
    Path(reference): Path<String>,
    body: Bytes,
) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let f = Fields::parse(&body);
    let accept = f.one("answer") == "accept";
    let result = ctx
        .state
        .app
        .answer_invitation(caller, &reference, accept, f.one("reason"))
        .await;
    match result {
        // Who declined has no access left: back to their list.
        Ok(_) if !accept => Ok(Redirect::to("/panels").into_response()),
        other => after(&ctx, &reference, other.map(drop), String::new()).await,
    }
}

/// `POST /panels/{reference}/posts`.
pub(crate) async fn post(
    ctx: Ctx,
    Path(reference): Path<String>,
    body: Bytes,
) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let f = Fields::parse(&body);
    let reply_to = Some(f.one("reply_to")).filter(|r| !r.is_empty());
    let result = ctx
        .state
        .app
        .post_to_panel(caller, &reference, f.one("kind"), f.one("body"), reply_to)
        .await
        .map(drop);
    after(&ctx, &reference, result, f.one("body").to_owned()).await
}

/// `POST /panels/{reference}/steps`.
pub(crate) async fn step(
    ctx: Ctx,
    Path(reference): Path<String>,
    body: Bytes,
) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let f = Fields::parse(&body);
    let result = ctx
        .state
        .app
        .panel_step(
            caller,
            &reference,
            f.one("transition"),
            f.one("comment"),
            !f.one("confirm_few").is_empty(),
        )
        .await
        .map(drop);
    after(&ctx, &reference, result, String::new()).await
}

/// `POST /panels/{reference}/return`: back to the lead with a comment.
pub(crate) async fn return_request(
    ctx: Ctx,
    Path(reference): Path<String>,
    body: Bytes,
) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let f = Fields::parse(&body);
    let result = ctx
        .state
        .app
        .return_consultation(caller, &reference, f.one("comment"))
        .await
        .map(drop);
    after(&ctx, &reference, result, String::new()).await
}
