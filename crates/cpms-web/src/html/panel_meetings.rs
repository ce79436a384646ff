//! Meeting pages of a panel: schedule a meeting (the time zone chosen from
//! a list, Europe/Brussels by default whatever the browser says), change or
//! cancel it, keep its minutes. Each action goes through one use case,
//! which sends the calendar invitations.

use askama::Template;
use axum::body::Bytes;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use cpms_app::panels::StoredMeeting;
use cpms_app::{AppError, ErrorCode};
use cpms_domain::panel::meeting::{DEFAULT_TIME_ZONE, MeetingForm, TIME_ZONES};

use crate::error::{PageError, render, with_status};
use crate::extract::Ctx;
use crate::html::form::Fields;
use crate::shell::Shell;

/// A new meeting lasts this long unless changed.
const DEFAULT_MINUTES: &str = "60";

#[derive(Template)]
#[template(path = "panel_meeting.html")]
struct MeetingPage {
    shell: Shell,
    reference: String,
    /// The meeting being changed; `None` when scheduling.
    meeting: Option<StoredMeeting>,
    form: MeetingForm,
    zones: &'static [&'static str],
    /// The minutes box: as typed when keeping them failed, else as stored.
    minutes: String,
    error: Option<String>,
}

impl MeetingPage {
    fn action(&self) -> String {
        match &self.meeting {
            Some(m) => format!("/panels/{}/meetings/{}", self.reference, m.id),
            None => format!("/panels/{}/meetings", self.reference),
        }
    }
}

fn meeting_page(
    ctx: &Ctx,
    reference: String,
    meeting: Option<StoredMeeting>,
    form: MeetingForm,
    typed_minutes: Option<String>,
    error: Option<String>,
) -> Response {
    let minutes = typed_minutes
        .or_else(|| meeting.as_ref().and_then(|m| m.minutes.clone()))
        .unwrap_or_default();
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let page = render(&MeetingPage {
        shell: ctx.shell("panels"),
        reference,
        meeting,
        form,
        zones: TIME_ZONES,
        minutes,
        error,
    });
    with_status(status, page)
}

fn posted(body: &[u8]) -> MeetingForm {
    let f = Fields::parse(body);
    MeetingForm {
        date: f.one("date").to_owned(),
        time: f.one("time").to_owned(),
        time_zone: f.one("time_zone").to_owned(),
        duration: f.one("duration").to_owned(),
        agenda: f.one("agenda").to_owned(),
    }
}

/// The form showing a stored meeting.
fn form_of(m: &StoredMeeting) -> MeetingForm {
    MeetingForm {
        date: m.local_start.date().to_string(),
        time: m.local_start.strftime("%H:%M").to_string(),
        time_zone: m.time_zone.clone(),
        duration: m.duration_minutes.to_string(),
        agenda: m.agenda.clone(),
    }
}

fn to_panel(reference: &str) -> Response {
    Redirect::to(&format!("/panels/{reference}#meetings")).into_response()
}

/// `GET /panels/{reference}/meetings/new`.
pub(crate) async fn new(ctx: Ctx, Path(reference): Path<String>) -> Result<Response, PageError> {
    ctx.signed_in()?;
    let form = MeetingForm {
        time_zone: DEFAULT_TIME_ZONE.to_owned(),
        duration: DEFAULT_MINUTES.to_owned(),
        ..MeetingForm::default()
    };
    Ok(meeting_page(&ctx, reference, None, form, None, None))
}

/// `POST /panels/{reference}/meetings`: schedule and invite.
pub(crate) async fn schedule(
    ctx: Ctx,
    Path(reference): Path<String>,
    body: Bytes,
) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let form = posted(&body);
    match ctx
        .state
        .app
        .schedule_meeting(caller, &reference, &form)
        .await
    {
        Ok(_) => Ok(to_panel(&reference)),
        Err(err) => refused(&ctx, reference, None, form, None, err),
    }
}

/// `GET /panels/{reference}/meetings/{meeting}`: change, cancel, minutes.
pub(crate) async fn page(
    ctx: Ctx,
    Path((reference, meeting)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let m = ctx
        .state
        .app
        .panel_meeting(caller, &reference, &meeting)
        .await
        .map_err(|e| ctx.fail(e))?;
    let form = form_of(&m);
    Ok(meeting_page(&ctx, reference, Some(m), form, None, None))
}

/// `POST /panels/{reference}/meetings/{meeting}`: move it or change the
/// agenda; everyone gets the update.
pub(crate) async fn change(
    ctx: Ctx,
    Path((reference, meeting)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let form = posted(&body);
    let app = &ctx.state.app;
    match app
        .change_meeting(caller, &reference, &meeting, &form)
        .await
    {
        Ok(_) => Ok(to_panel(&reference)),
        Err(err) => {
            let m = app
                .panel_meeting(caller, &reference, &meeting)
                .await
                .map_err(|e| ctx.fail(e))?;
            refused(&ctx, reference, Some(m), form, None, err)
        }
    }
}

/// `POST /panels/{reference}/meetings/{meeting}/cancel`.
pub(crate) async fn cancel(
    ctx: Ctx,
    Path((reference, meeting)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    ctx.state
        .app
        .cancel_meeting(caller, &reference, &meeting)
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(to_panel(&reference))
}

/// `POST /panels/{reference}/meetings/{meeting}/minutes`.
pub(crate) async fn minutes(
    ctx: Ctx,
    Path((reference, meeting)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let f = Fields::parse(&body);
    let app = &ctx.state.app;
    match app
        .meeting_minutes(caller, &reference, &meeting, f.one("minutes"))
        .await
    {
        Ok(()) => Ok(to_panel(&reference)),
        Err(err) => {
            let m = app
                .panel_meeting(caller, &reference, &meeting)
                .await
                .map_err(|e| ctx.fail(e))?;
            let form = form_of(&m);
            let typed = Some(f.one("minutes").to_owned());
            refused(&ctx, reference, Some(m), form, typed, err)
        }
    }
}

/// The form again with the problem when the input or the panel's state
/// refused it; other failures are error pages.
fn refused(
    ctx: &Ctx,
    reference: String,
    meeting: Option<StoredMeeting>,
    form: MeetingForm,
    typed_minutes: Option<String>,
    err: AppError,
) -> Result<Response, PageError> {
    if err.code == ErrorCode::Invalid {
        Ok(meeting_page(
            ctx,
            reference,
            meeting,
            form,
            typed_minutes,
            Some(err.message),
        ))
    } else {
        Err(ctx.fail(err))
    }
}
