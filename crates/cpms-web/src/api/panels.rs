//! Panels through the JSON API: the consultation request, the panel with
//! its discussion, the shared record, invitations and answers, posts,
//! lifecycle steps, triage, "my panels" and the network's list. The same
//! use cases as the pages, so the same policy decisions and audit events.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use cpms_app::AppError;
use cpms_app::panels::{
    ConsultationForm, ErnPanels, Member, MyPanels, PanelSummary, PanelView, Post, SharedRecord,
    TransitionEntry,
};
use cpms_domain::ids::UserId;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::json_body::ApiJson;
use super::{ApiCaller, Problem};
use crate::html::attachments::file_response;
use crate::html::panel_lists::ListParams;
use crate::state::AppState;

/// A consultation request.
#[derive(Deserialize, ToSchema)]
pub(crate) struct NewPanel {
    /// The patient's pseudonym.
    pseudonym: String,
    /// One of the lead's networks, e.g. `BOND`.
    ern: String,
    /// A thematic area id of that network.
    #[serde(default)]
    area: String,
    /// `diagnosis`, `treatment` or `follow_up`.
    panel_type: String,
    questions: String,
    /// `routine` or `urgent`.
    urgency: String,
    /// `YYYY-MM-DD`, not in the past.
    #[serde(default)]
    answer_by: String,
    /// `summary`, `diagnoses`, `phenotype`, `genetics`, `labs`,
    /// `treatments`, `pedigree`.
    #[serde(default)]
    sections: Vec<String>,
    /// Ids of the record's attachments to share.
    #[serde(default)]
    attachments: Vec<String>,
    /// Study Instance UIDs of the record's imaging studies to share.
    #[serde(default)]
    studies: Vec<String>,
    /// Ask the network to find experts (the request goes to triage).
    #[serde(default)]
    ern_help: bool,
    /// Submit at once; otherwise it stays a draft.
    #[serde(default)]
    submit: bool,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct Created {
    reference: String,
}

/// Starts a consultation request (a panel) about one's patient.
#[utoipa::path(
    post,
    path = "/api/v1/panels",
    tag = "panels",
    request_body = NewPanel,
    responses(
        (status = 201, description = "Saved (and submitted if asked); Location names the panel", body = Created),
        (status = 403, description = "Not the patient's clinician (audited)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid request; the detail names every field", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn create(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiJson(body): ApiJson<NewPanel>,
) -> Result<Response, Problem> {
    let form = ConsultationForm {
        ern: body.ern,
        area: body.area,
        panel_type: body.panel_type,
        questions: body.questions,
        urgency: body.urgency,
        answer_by: body.answer_by,
        sections: body.sections,
        attachments: body.attachments,
        studies: body.studies,
        ern_help: body.ern_help,
    };
    let (reference, _events) = state
        .app
        .request_consultation(&caller, &body.pseudonym, &form, body.submit)
        .await?;
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, format!("/api/v1/panels/{reference}"))],
        Json(Created { reference }),
    )
        .into_response())
}

/// A panel in a list.
#[derive(Serialize, ToSchema)]
pub(crate) struct PanelSummaryJson {
    reference: String,
    ern: String,
    pseudonym: String,
    lead: String,
    area: Option<String>,
    panel_type: String,
    urgency: String,
    answer_by: Option<String>,
    state: String,
    created_at: String,
    /// The caller's role, in the member and invited lists.
    role: Option<String>,
}

fn summary_json(p: PanelSummary) -> PanelSummaryJson {
    PanelSummaryJson {
        reference: p.reference,
        ern: p.ern.to_string(),
        pseudonym: p.pseudonym,
        lead: p.lead_name,
        area: p.area_name,
        panel_type: p.panel_type.as_str().to_owned(),
        urgency: p.urgency.as_str().to_owned(),
        answer_by: p.answer_by.map(|d| d.to_string()),
        state: p.state.as_str().to_owned(),
        created_at: p.created_at.to_string(),
        role: p.role.map(|r| r.as_str().to_owned()),
    }
}

fn summaries(list: Vec<PanelSummary>) -> Vec<PanelSummaryJson> {
    list.into_iter().map(summary_json).collect()
}

#[derive(Serialize, ToSchema)]
pub(crate) struct WaitingJson {
    reference: String,
    urgent: bool,
    what: String,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct MyPanelsJson {
    leading: Vec<PanelSummaryJson>,
    member: Vec<PanelSummaryJson>,
    invited: Vec<PanelSummaryJson>,
    /// What waits for the caller: invitations, information requested.
    waiting: Vec<WaitingJson>,
}

/// The panels the caller leads, is a member of or is invited to.
#[utoipa::path(
    get,
    path = "/api/v1/panels",
    tag = "panels",
    responses((status = 200, description = "My panels", body = MyPanelsJson))
)]
pub(crate) async fn mine(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> Result<Json<MyPanelsJson>, Problem> {
    let MyPanels {
        leading,
        member,
        invited,
        waiting,
    } = state.app.my_panels(&caller).await?;
    Ok(Json(MyPanelsJson {
        leading: summaries(leading),
        member: summaries(member),
        invited: summaries(invited),
        waiting: waiting
            .into_iter()
            .map(|w| WaitingJson {
                reference: w.reference,
                urgent: w.urgent,
                what: w.what,
            })
            .collect(),
    }))
}

#[derive(Serialize, ToSchema)]
pub(crate) struct MemberJson {
    user: String,
    name: String,
    /// `member`, `manager` or `invited`.
    role: String,
    invited_at: String,
    answered_at: Option<String>,
    declined: bool,
    decline_reason: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct PostJson {
    id: String,
    /// `contribution`, `comment`, `info_request` or `answer`.
    kind: String,
    reply_to: Option<String>,
    author: String,
    body: String,
    at: String,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct StepJson {
    from: String,
    to: String,
    transition: String,
    by: String,
    at: String,
    comment: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct PanelJson {
    reference: String,
    ern: String,
    state: String,
    panel_type: String,
    urgency: String,
    area: Option<String>,
    lead: String,
    questions: String,
    answer_by: Option<String>,
    created_at: String,
    submitted_at: Option<String>,
    first_contribution_at: Option<String>,
    closed_at: Option<String>,
    /// Closed with fewer than two contributions, confirmed by the lead.
    closed_few_contributions: bool,
    /// The caller's role; absent for network staff.
    my_role: Option<String>,
    shared_sections: Vec<String>,
    members: Vec<MemberJson>,
    posts: Vec<PostJson>,
    log: Vec<StepJson>,
    /// The network's comment when it returned the request.
    returned_with: Option<String>,
}

fn member_json(m: Member) -> MemberJson {
    MemberJson {
        user: m.user.to_string(),
        name: m.name,
        role: m.role.as_str().to_owned(),
        invited_at: m.invited_at.to_string(),
        answered_at: m.answered_at.map(|t| t.to_string()),
        declined: m.declined,
        decline_reason: m.decline_reason,
    }
}

fn post_json(p: Post) -> PostJson {
    PostJson {
        id: p.id.to_string(),
        kind: p.kind.as_str().to_owned(),
        reply_to: p.reply_to.map(|r| r.to_string()),
        author: p.author_name,
        body: p.body,
        at: p.at.to_string(),
    }
}

fn step_json(t: TransitionEntry) -> StepJson {
    StepJson {
        from: t.from.as_str().to_owned(),
        to: t.to.as_str().to_owned(),
        transition: t.transition,
        by: t.actor_name,
        at: t.at.to_string(),
        comment: t.comment,
    }
}

fn panel_json(v: PanelView) -> PanelJson {
    let p = v.panel;
    PanelJson {
        reference: p.reference,
        ern: p.ern.to_string(),
        state: p.state.as_str().to_owned(),
        panel_type: p.panel_type.as_str().to_owned(),
        urgency: p.urgency.as_str().to_owned(),
        area: v.area_name,
        lead: v.lead_name,
        questions: p.questions,
        answer_by: p.answer_by.map(|d| d.to_string()),
        created_at: p.created_at.to_string(),
        submitted_at: p.submitted_at.map(|t| t.to_string()),
        first_contribution_at: p.first_contribution_at.map(|t| t.to_string()),
        closed_at: p.closed_at.map(|t| t.to_string()),
        closed_few_contributions: p.closed_few_contributions,
        my_role: v.my_role.map(|r| r.as_str().to_owned()),
        shared_sections: v
            .shares
            .sections
            .iter()
            .map(|s| s.as_str().to_owned())
            .collect(),
        members: v.members.into_iter().map(member_json).collect(),
        posts: v.posts.into_iter().map(post_json).collect(),
        log: v.log.into_iter().map(step_json).collect(),
        returned_with: v.returned_with,
    }
}

/// A panel: request, members, discussion and log (not the record; see
/// `/shared`).
#[utoipa::path(
    get,
    path = "/api/v1/panels/{reference}",
    tag = "panels",
    params(("reference" = String, Path, description = "The panel's reference, e.g. BOND-2026-0042")),
    responses(
        (status = 200, description = "The panel", body = PanelJson),
        (status = 403, description = "Not on the panel (audited)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such panel", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn get(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(reference): Path<String>,
) -> Result<Json<PanelJson>, Problem> {
    Ok(Json(panel_json(
        state.app.panel(&caller, &reference).await?,
    )))
}

#[derive(Serialize, ToSchema)]
pub(crate) struct SharedAttachmentJson {
    id: String,
    /// Where to download it (lead and members; audited).
    download: String,
    kind: String,
    media_type: String,
    size_bytes: i64,
    uploaded_at: String,
}

/// The shared part of the record, pseudonymised.
#[derive(Serialize, ToSchema)]
pub(crate) struct SharedJson {
    pseudonym: String,
    /// `male`, `female` or `unknown`.
    sex: String,
    birth_year: i16,
    age: i16,
    country: String,
    sections: Vec<String>,
    /// Only the shared sections are filled.
    #[schema(value_type = Object)]
    record: serde_json::Value,
    attachments: Vec<SharedAttachmentJson>,
}

fn shared_json(reference: &str, s: SharedRecord) -> Result<SharedJson, AppError> {
    Ok(SharedJson {
        record: serde_json::to_value(&s.record).map_err(AppError::internal)?,
        pseudonym: s.pseudonym,
        sex: format!("{:?}", s.sex).to_lowercase(),
        birth_year: s.birth_year,
        age: s.age,
        country: s.country,
        sections: s.sections.iter().map(|x| x.as_str().to_owned()).collect(),
        attachments: s
            .attachments
            .into_iter()
            .map(|a| SharedAttachmentJson {
                download: format!("/api/v1/panels/{reference}/shared/attachments/{}", a.id),
                id: a.id,
                kind: a.kind.as_str().to_owned(),
                media_type: a.media_type.mime().to_owned(),
                size_bytes: a.size_bytes,
                uploaded_at: a.uploaded_at.to_string(),
            })
            .collect(),
    })
}

/// What the panel shares of the record (lead and members only; audited).
#[utoipa::path(
    get,
    path = "/api/v1/panels/{reference}/shared",
    tag = "panels",
    params(("reference" = String, Path, description = "The panel's reference, e.g. BOND-2026-0042")),
    responses(
        (status = 200, description = "The shared record", body = SharedJson),
        (status = 403, description = "Not the lead or a member (audited)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn shared(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(reference): Path<String>,
) -> Result<Json<SharedJson>, Problem> {
    let s = state.app.panel_shared_record(&caller, &reference).await?;
    Ok(Json(shared_json(&reference, s)?))
}

/// Downloads an attachment the panel shares, under a name made from the
/// panel (the uploaded name is not shared); audited as a read of the
/// patient's data.
#[utoipa::path(
    get,
    path = "/api/v1/panels/{reference}/shared/attachments/{id}",
    tag = "panels",
    params(
        ("reference" = String, Path, description = "The panel's reference, e.g. BOND-2026-0042"),
        ("id" = String, Path, description = "The attachment's id, from `/shared`"),
    ),
    responses(
        (status = 200, description = "The file, as an attachment download", content_type = "application/octet-stream"),
        (status = 403, description = "Not the lead or a member (audited)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such panel, or an attachment the panel does not share (audited)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn shared_file(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path((reference, id)): Path<(String, String)>,
) -> Result<Response, Problem> {
    let file = state
        .app
        .panel_shared_file(&caller, &reference, &id)
        .await?;
    Ok(file_response(&file.file_name, file.media_type, file.bytes))
}

/// Submits a draft request.
#[utoipa::path(
    post,
    path = "/api/v1/panels/{reference}/submit",
    tag = "panels",
    params(("reference" = String, Path, description = "The panel's reference, e.g. BOND-2026-0042")),
    responses(
        (status = 204, description = "Submitted: open, or in the network's triage queue"),
        (status = 403, description = "Not the lead (audited)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a draft", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn submit(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(reference): Path<String>,
) -> Result<StatusCode, Problem> {
    state.app.submit_consultation(&caller, &reference).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub(crate) struct Invitation {
    /// User ids from the expert directory.
    #[schema(value_type = Vec<String>)]
    experts: Vec<UserId>,
}

/// Invites experts (people already on the panel are left as they are).
#[utoipa::path(
    post,
    path = "/api/v1/panels/{reference}/invitations",
    tag = "panels",
    params(("reference" = String, Path, description = "The panel's reference, e.g. BOND-2026-0042")),
    request_body = Invitation,
    responses(
        (status = 204, description = "Invited"),
        (status = 403, description = "Not the lead, a panel manager or network staff (audited)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No one chosen, or the panel takes no invitations now", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn invite(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(reference): Path<String>,
    ApiJson(body): ApiJson<Invitation>,
) -> Result<StatusCode, Problem> {
    state
        .app
        .invite_to_panel(&caller, &reference, &body.experts)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub(crate) struct Answer {
    accept: bool,
    /// Required to decline.
    #[serde(default)]
    reason: String,
}

/// Accepts an invitation, or declines it with a reason (which ends all
/// access to the panel).
#[utoipa::path(
    post,
    path = "/api/v1/panels/{reference}/answer",
    tag = "panels",
    params(("reference" = String, Path, description = "The panel's reference, e.g. BOND-2026-0042")),
    request_body = Answer,
    responses(
        (status = 204, description = "Answered"),
        (status = 403, description = "No invitation waiting (audited)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Declining without a reason", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn answer(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(reference): Path<String>,
    ApiJson(body): ApiJson<Answer>,
) -> Result<StatusCode, Problem> {
    state
        .app
        .answer_invitation(&caller, &reference, body.accept, &body.reason)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub(crate) struct NewPost {
    /// `contribution`, `comment`, `info_request` (to the lead) or `answer`
    /// (the lead, replying to an `info_request`).
    kind: String,
    body: String,
    /// The id of the message this replies to.
    #[serde(default)]
    reply_to: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct PostCreated {
    id: String,
}

/// Posts to the discussion.
#[utoipa::path(
    post,
    path = "/api/v1/panels/{reference}/posts",
    tag = "panels",
    params(("reference" = String, Path, description = "The panel's reference, e.g. BOND-2026-0042")),
    request_body = NewPost,
    responses(
        (status = 201, description = "Posted", body = PostCreated),
        (status = 403, description = "Not the lead or a member (audited)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid message, or the panel is read-only", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn post(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(reference): Path<String>,
    ApiJson(body): ApiJson<NewPost>,
) -> Result<(StatusCode, Json<PostCreated>), Problem> {
    let (id, _event) = state
        .app
        .post_to_panel(
            &caller,
            &reference,
            &body.kind,
            &body.body,
            body.reply_to.as_deref(),
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(PostCreated { id: id.to_string() }),
    ))
}

#[derive(Deserialize, ToSchema)]
pub(crate) struct Step {
    /// `start_outcome`, `request_sign_off`, `revise_outcome`, `close`,
    /// `archive`, `reopen` or `cancel`.
    transition: String,
    #[serde(default)]
    comment: String,
    /// Confirms closing with fewer than two contributions.
    #[serde(default)]
    confirm_few_contributions: bool,
}

/// Takes a lifecycle step.
#[utoipa::path(
    post,
    path = "/api/v1/panels/{reference}/transitions",
    tag = "panels",
    params(("reference" = String, Path, description = "The panel's reference, e.g. BOND-2026-0042")),
    request_body = Step,
    responses(
        (status = 204, description = "Done and logged"),
        (status = 403, description = "Not allowed to take this step (audited)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not possible in the panel's state, or closing needs confirmation", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn transition(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(reference): Path<String>,
    ApiJson(body): ApiJson<Step>,
) -> Result<StatusCode, Problem> {
    state
        .app
        .panel_step(
            &caller,
            &reference,
            &body.transition,
            &body.comment,
            body.confirm_few_contributions,
        )
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub(crate) struct Forward {
    #[serde(default)]
    #[schema(value_type = Vec<String>)]
    experts: Vec<UserId>,
    /// Another clinician of the network to lead the panel.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    lead: Option<UserId>,
}

/// Forwards a request in triage to experts and/or another lead; it opens.
#[utoipa::path(
    post,
    path = "/api/v1/panels/{reference}/forward",
    tag = "panels",
    params(("reference" = String, Path, description = "The panel's reference, e.g. BOND-2026-0042")),
    request_body = Forward,
    responses(
        (status = 204, description = "Forwarded; the panel is open"),
        (status = 403, description = "Not a coordinator or dispatcher of the network (audited)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Nobody chosen, or not in triage", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn forward(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(reference): Path<String>,
    ApiJson(body): ApiJson<Forward>,
) -> Result<StatusCode, Problem> {
    state
        .app
        .forward_consultation(&caller, &reference, &body.experts, body.lead)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub(crate) struct Return {
    /// Shown to the lead.
    comment: String,
}

/// Returns a request in triage to its lead as a draft, with a comment.
#[utoipa::path(
    post,
    path = "/api/v1/panels/{reference}/return",
    tag = "panels",
    params(("reference" = String, Path, description = "The panel's reference, e.g. BOND-2026-0042")),
    request_body = Return,
    responses(
        (status = 204, description = "Returned"),
        (status = 403, description = "Not a coordinator or dispatcher of the network (audited)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No comment, or not in triage", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn return_to_lead(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(reference): Path<String>,
    ApiJson(body): ApiJson<Return>,
) -> Result<StatusCode, Problem> {
    state
        .app
        .return_consultation(&caller, &reference, &body.comment)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub(crate) struct ErnPanelsJson {
    panels: Vec<PanelSummaryJson>,
    /// Pass as `after` for the next page; absent on the last page.
    next: Option<String>,
}

/// The network's panels, newest first, filtered, a page at a time.
#[utoipa::path(
    get,
    path = "/api/v1/erns/{code}/panels",
    tag = "panels",
    params(("code" = String, Path, description = "The network's code"), ListParams),
    responses(
        (status = 200, description = "One page", body = ErnPanelsJson),
        (status = 403, description = "Not a coordinator, dispatcher or panel manager of the network", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown filter value", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn ern(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(code): Path<String>,
    Query(p): Query<ListParams>,
) -> Result<Json<ErnPanelsJson>, Problem> {
    let ErnPanels { panels, next, .. } = state.app.ern_panels(&caller, &code, &p.query()).await?;
    Ok(Json(ErnPanelsJson {
        panels: summaries(panels),
        next,
    }))
}

/// Requests waiting in the network's triage queue.
#[utoipa::path(
    get,
    path = "/api/v1/erns/{code}/triage",
    tag = "panels",
    params(("code" = String, Path, description = "The network's code")),
    responses(
        (status = 200, description = "The queue", body = Vec<PanelSummaryJson>),
        (status = 403, description = "Not a coordinator, dispatcher or panel manager of the network", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn triage(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(code): Path<String>,
) -> Result<Json<Vec<PanelSummaryJson>>, Problem> {
    Ok(Json(summaries(
        state.app.triage_queue(&caller, &code).await?,
    )))
}
