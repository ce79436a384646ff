//! STOW-RS: `POST /dicomweb/patients/{pseudonym}/studies` with a
//! `multipart/related; type="application/dicom"` body. The body streams
//! through `cpms_dicom::multipart`'s parser into one staging file per part
//! (never whole in memory), then the App ingests them exactly like an
//! upload: de-identified, all or nothing. The answer is the DICOM JSON
//! store report. `POST /dicomweb/studies` is refused: a study must be
//! stored on a record.

use std::path::PathBuf;

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use cpms_app::imaging::IngestReport;
use cpms_app::{AppError, ErrorCode};
use cpms_dicom::multipart::{Event, MultipartLimits, MultipartParser, parse_content_type};
use futures_util::StreamExt;
use serde_json::{Value, json};
use tokio::io::AsyncWriteExt;

use super::Target;
use super::respond::DICOM_JSON;
use crate::api::{ApiCaller, Problem};
use crate::state::AppState;

/// FailureReason 0xA700 "Out of resources"… PS3.4 C.4.2.1.4: 0xC000
/// "Cannot understand" fits a file refused by parsing or the limits.
const CANNOT_UNDERSTAND: u16 = 0xC000;

pub(crate) async fn refuse_global_store() -> Problem {
    let mut problem = Problem::from(AppError::invalid(
        "Studies are stored on a patient record: POST them to \
         /dicomweb/patients/{pseudonym}/studies.",
    ));
    problem.status = StatusCode::CONFLICT.as_u16();
    problem.title = "Store on a patient record".to_owned();
    problem
}

pub(crate) async fn store(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    target: Target,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, Problem> {
    let pseudonym = target
        .pseudonym()
        .ok_or_else(|| Problem::from(AppError::not_found("That patient")))?
        .to_owned();
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let parsed = parse_content_type(content_type).map_err(unsupported)?;
    if parsed.media_type != "multipart/related"
        || parsed
            .root_type
            .as_deref()
            .is_some_and(|t| t != "application/dicom")
    {
        return Err(unsupported(format!(
            "{content_type:?}: send multipart/related; type=\"application/dicom\""
        )));
    }
    let staging = &state.app.settings().imaging.staging_dir;
    std::fs::create_dir_all(staging).map_err(AppError::internal)?;
    let folder = tempfile::Builder::new()
        .prefix("stow-")
        .tempdir_in(staging)
        .map_err(AppError::internal)?;
    let files = stream_parts(body, &parsed.boundary, folder.path()).await?;
    if files.is_empty() {
        return Err(AppError::invalid("The request holds no application/dicom part.").into());
    }
    let result = state.app.ingest_instances(&caller, &pseudonym, files).await;
    // The received files carry identity: gone as soon as they are read.
    drop(folder);
    match result {
        Ok(report) => Ok(dicom_json_status(
            StatusCode::OK,
            &stored(&report, &target.root()),
        )),
        Err(err) if err.code == ErrorCode::Invalid => Ok(dicom_json_status(
            StatusCode::CONFLICT,
            &failed(&err.message),
        )),
        Err(err) => Err(err.into()),
    }
}

/// Writes each `application/dicom` part to its own file in `folder`.
async fn stream_parts(
    body: Body,
    boundary: &str,
    folder: &std::path::Path,
) -> Result<Vec<PathBuf>, Problem> {
    let mut parser =
        MultipartParser::new(boundary, MultipartLimits::default()).map_err(unsupported)?;
    let mut stream = body.into_data_stream();
    let mut files: Vec<PathBuf> = Vec::new();
    let mut current: Option<tokio::fs::File> = None;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| unreadable(&e))?;
        for event in parser.feed(&chunk).map_err(|e| unreadable(&e))? {
            match event {
                Event::PartStart(part) => {
                    let kind = part.content_type().unwrap_or("application/dicom");
                    if !kind
                        .trim()
                        .to_ascii_lowercase()
                        .starts_with("application/dicom")
                    {
                        return Err(unsupported(format!(
                            "a part is {kind}; only application/dicom parts are stored"
                        )));
                    }
                    let path = folder.join(format!("{}.dcm", files.len()));
                    current = Some(
                        tokio::fs::File::create(&path)
                            .await
                            .map_err(AppError::internal)?,
                    );
                    files.push(path);
                }
                Event::Body(bytes) => {
                    if let Some(file) = current.as_mut() {
                        file.write_all(&bytes).await.map_err(AppError::internal)?;
                    }
                }
                Event::PartEnd => {
                    if let Some(mut file) = current.take() {
                        file.flush().await.map_err(AppError::internal)?;
                    }
                }
                Event::Finished => {}
            }
        }
    }
    parser.finish().map_err(|e| unreadable(&e))?;
    Ok(files)
}

fn unreadable(err: &dyn std::fmt::Display) -> Problem {
    let mut problem = Problem::from(AppError::invalid(format!(
        "The request body could not be read: {err}. Nothing was stored."
    )));
    problem.status = StatusCode::BAD_REQUEST.as_u16();
    problem
}

fn unsupported(err: impl std::fmt::Display) -> Problem {
    let mut problem = Problem::from(AppError::invalid(format!("{err}.")));
    problem.status = StatusCode::UNSUPPORTED_MEDIA_TYPE.as_u16();
    problem.title = "Unsupported media type".to_owned();
    problem
}

fn dicom_json_status(status: StatusCode, value: &Value) -> Response {
    let mut response = (status, value.to_string()).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(DICOM_JSON));
    response
}

fn ui(value: &str) -> Value {
    json!({"vr": "UI", "Value": [value]})
}

fn url(value: &str) -> Value {
    json!({"vr": "UR", "Value": [value]})
}

/// The store report: each instance under its de-identified UIDs.
fn stored(report: &IngestReport, root: &str) -> Value {
    let items: Vec<Value> = report
        .instances
        .iter()
        .map(|i| {
            json!({
                "00081150": ui(&i.sop_class_uid),
                "00081155": ui(&i.sop_uid),
                "00081190": url(&format!(
                    "{root}/studies/{}/series/{}/instances/{}",
                    i.study_uid, i.series_uid, i.sop_uid
                )),
            })
        })
        .collect();
    let mut answer = json!({ "00081199": {"vr": "SQ", "Value": items} });
    if let [study] = report.studies.as_slice() {
        answer["00081190"] = url(&format!("{root}/studies/{study}"));
    }
    answer
}

/// Nothing was stored (all or nothing): one failed item saying why.
fn failed(message: &str) -> Value {
    json!({
        "00081198": {"vr": "SQ", "Value": [{
            "00081197": {"vr": "US", "Value": [CANNOT_UNDERSTAND]},
            "00000902": {"vr": "LO", "Value": [message]},
        }]},
    })
}
