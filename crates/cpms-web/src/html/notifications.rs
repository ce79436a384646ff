//! The notification centre (`/notifications`), marking read, the
//! preferences page (`/account/notifications`) and the live stream
//! (`/notifications/stream`, Server-Sent Events) that keeps the bell and an
//! open centre current without reloading.

use std::convert::Infallible;
use std::time::Duration;

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Redirect, Response};
use cpms_app::notifications::{
    FeedSignal, NotificationFeed, NotificationPage, NotificationSummary,
};
use cpms_app::{App, Caller, ErrorCode};
use cpms_domain::notification::{DIGEST_HOUR_UTC, Delivery, EventType, Notification};
use futures_util::stream::{self, Stream};
use serde::{Deserialize, Serialize};

use crate::error::{PageError, render, with_status};
use crate::extract::Ctx;
use crate::html::form::Fields;
use crate::shell::Shell;

#[derive(Template)]
#[template(path = "notifications.html")]
struct CentrePage {
    shell: Shell,
    list: NotificationPage,
}

#[derive(Deserialize, Default)]
pub(crate) struct PageParams {
    page: Option<i64>,
}

pub(crate) async fn centre(ctx: Ctx, Query(p): Query<PageParams>) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let list = ctx
        .state
        .app
        .my_notifications(caller, p.page.unwrap_or(1))
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(render(&CentrePage {
        shell: ctx.shell("notifications"),
        list,
    }))
}

pub(crate) async fn mark_read(ctx: Ctx, Path(id): Path<String>) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    ctx.state
        .app
        .mark_notification_read(caller, &id)
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(Redirect::to("/notifications").into_response())
}

pub(crate) async fn mark_all_read(ctx: Ctx) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    ctx.state
        .app
        .mark_all_notifications_read(caller)
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(Redirect::to("/notifications").into_response())
}

#[derive(Template)]
#[template(path = "notification_preferences.html")]
struct PreferencesPage {
    shell: Shell,
    rows: Vec<(EventType, Delivery)>,
    deliveries: [Delivery; 3],
    digest_hour: i8,
    notice: Option<String>,
    error: Option<String>,
}

fn preferences_page(
    ctx: &Ctx,
    rows: Vec<(EventType, Delivery)>,
    notice: Option<String>,
    error: Option<String>,
) -> Response {
    render(&PreferencesPage {
        shell: ctx.shell("account"),
        rows,
        deliveries: Delivery::ALL,
        digest_hour: DIGEST_HOUR_UTC,
        notice,
        error,
    })
}

pub(crate) async fn preferences(ctx: Ctx) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let rows = ctx
        .state
        .app
        .notification_preferences(caller)
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(preferences_page(&ctx, rows, None, None))
}

/// Every field but the CSRF token is `event name = delivery name`.
pub(crate) async fn save_preferences(ctx: Ctx, body: Bytes) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let changes: Vec<(String, String)> = Fields::parse(&body)
        .into_pairs()
        .into_iter()
        .filter(|(name, _)| name != "csrf")
        .collect();
    let app = &ctx.state.app;
    match app.set_notification_preferences(caller, &changes).await {
        Ok(rows) => Ok(preferences_page(
            &ctx,
            rows,
            Some("Your notification settings are saved.".to_owned()),
            None,
        )),
        Err(err) if err.code == ErrorCode::Invalid => {
            // Nothing was saved: show what is in force, and why.
            let rows = app
                .notification_preferences(caller)
                .await
                .map_err(|e| ctx.fail(e))?;
            Ok(with_status(
                StatusCode::BAD_REQUEST,
                preferences_page(&ctx, rows, None, Some(err.message)),
            ))
        }
        Err(err) => Err(ctx.fail(err)),
    }
}

/// How often an open stream looks again without a signal: notifications
/// written by another server instance reach this one's pages within it.
const FALLBACK: Duration = Duration::from_secs(15);

/// One notification as the page's script shows it.
#[derive(Serialize)]
pub(crate) struct LiveItem {
    id: String,
    /// Without the urgent prefix: pages show a badge instead.
    title: String,
    text: String,
    link: String,
    urgent: bool,
    read: bool,
    kind: &'static str,
    created_at: String,
}

impl From<&Notification> for LiveItem {
    fn from(n: &Notification) -> Self {
        Self {
            id: n.id.to_string(),
            title: n.title.clone(),
            text: n.text.clone(),
            link: n.link.clone(),
            urgent: n.urgent,
            read: n.is_read(),
            kind: n.event.label(),
            created_at: n.created_at.strftime("%Y-%m-%d %H:%M UTC").to_string(),
        }
    }
}

#[derive(Serialize)]
struct LiveUpdate {
    unread: i64,
    latest: Vec<LiveItem>,
}

fn event_of(summary: &NotificationSummary) -> Event {
    let update = LiveUpdate {
        unread: summary.unread,
        latest: summary.latest.iter().map(LiveItem::from).collect(),
    };
    Event::default()
        .event("notifications")
        .json_data(update)
        .unwrap_or_else(|_| Event::default().comment("unserialisable update"))
}

/// What an open stream keeps between events.
struct Live {
    app: App,
    caller: Caller,
    feed: NotificationFeed,
    last: Option<NotificationSummary>,
}

/// `GET /notifications/stream`: an `notifications` event with the unread
/// count and newest items when the stream opens and whenever they change.
/// Changes in this process arrive through the hub at once; the stream also
/// looks every [`FALLBACK`] so other instances' writes show up too. It
/// ends when the session does; the browser's `EventSource` reconnects
/// and, signed out, gets refused.
pub(crate) async fn stream(ctx: Ctx) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?.clone();
    let app = ctx.state.app.clone();
    let live = Live {
        feed: app.notification_feed(&caller),
        app,
        caller,
        last: None,
    };
    let mut response = Sse::new(updates(live))
        .keep_alive(KeepAlive::default())
        .into_response();
    // A buffering reverse proxy (nginx) would hold events back.
    response.headers_mut().insert(
        "x-accel-buffering",
        axum::http::HeaderValue::from_static("no"),
    );
    Ok(response)
}

fn updates(live: Live) -> impl Stream<Item = Result<Event, Infallible>> {
    stream::unfold(live, |mut live| async move {
        loop {
            if live.last.is_some() {
                tokio::select! {
                    signal = live.feed.next() => {
                        if signal == FeedSignal::Closing {
                            return None;
                        }
                    }
                    () = tokio::time::sleep(FALLBACK) => {}
                }
            }
            let summary = match live.app.notification_summary(&live.caller).await {
                Ok(summary) => summary,
                Err(err) => {
                    if err.code != ErrorCode::NotSignedIn {
                        tracing::warn!(%err, "notification stream ended");
                    }
                    return None;
                }
            };
            if live.last.as_ref() != Some(&summary) {
                let event = event_of(&summary);
                live.last = Some(summary);
                return Some((Ok(event), live));
            }
        }
    })
}
