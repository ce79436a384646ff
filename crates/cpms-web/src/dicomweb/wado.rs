//! WADO-RS: an instance as `multipart/related; type="application/dicom"`,
//! study/series/instance metadata as DICOM JSON (from the index), rendered
//! frames (PNG or JPEG by Accept, `window=center,width[,function]`) and
//! series thumbnails.

use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use cpms_app::imaging::{OutputFormat, RenderRequest, Window, WindowChoice};
use cpms_dicom::multipart::MultipartWriter;
use serde_json::Value;

use super::Target;
use super::respond::{bad_request, dicom_json, on_record, part};
use crate::api::{ApiCaller, Problem};
use crate::state::AppState;

/// `…/studies/{study}/series/{series}/instances/{instance}`.
pub(crate) async fn instance(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    target: Target,
) -> Result<Response, Problem> {
    on_record(&state, &target).await?;
    let (study, series, sop) = (
        part(&target, "study").map_err(bad_request)?,
        part(&target, "series").map_err(bad_request)?,
        part(&target, "instance").map_err(bad_request)?,
    );
    let bytes = state
        .app
        .instance_bytes(&caller, study, series, sop)
        .await?;
    let mut writer = MultipartWriter::from_seed(sop.as_bytes());
    let content_type = writer.content_type("application/dicom");
    let mut body = writer.part_start(&[("Content-Type", "application/dicom")]);
    body.extend_from_slice(&bytes);
    body.extend_from_slice(&writer.finish());
    let mut response = body.into_response();
    let value = HeaderValue::from_str(&content_type).map_err(cpms_app::AppError::internal)?;
    response.headers_mut().insert(header::CONTENT_TYPE, value);
    Ok(response)
}

/// `…/studies/{study}/metadata`, `…/series/{series}/metadata` and
/// `…/instances/{instance}/metadata`.
pub(crate) async fn metadata(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    target: Target,
) -> Result<Response, Problem> {
    on_record(&state, &target).await?;
    let study = part(&target, "study").map_err(bad_request)?;
    let items = match target.get("series") {
        None => state.app.study_metadata(&caller, study).await?,
        Some(series) => {
            let all = state.app.series_metadata(&caller, study, series).await?;
            match target.get("instance") {
                None => all,
                Some(sop) => {
                    let one: Vec<Value> = all
                        .into_iter()
                        .filter(|m| m["00080018"]["Value"][0].as_str() == Some(sop.trim()))
                        .collect();
                    if one.is_empty() {
                        return Err(cpms_app::AppError::not_found("That instance").into());
                    }
                    one
                }
            }
        }
    };
    Ok(dicom_json(&Value::Array(items)))
}

/// `…/instances/{instance}/rendered` (the first frame) and
/// `…/instances/{instance}/frames/{frame}/rendered` (frames from 1).
pub(crate) async fn rendered(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    target: Target,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, Problem> {
    on_record(&state, &target).await?;
    let (study, series, sop) = (
        part(&target, "study").map_err(bad_request)?,
        part(&target, "series").map_err(bad_request)?,
        part(&target, "instance").map_err(bad_request)?,
    );
    let frame = match target.get("frame") {
        None => 0,
        Some(text) => text
            .parse::<u32>()
            .ok()
            .and_then(|n| n.checked_sub(1))
            .ok_or_else(|| bad_request(format!("'{text}' is not a frame number (from 1).")))?,
    };
    let request = RenderRequest {
        window: window(raw.as_deref()).map_err(bad_request)?,
        format: Some(format(&headers).map_err(bad_request)?),
        ..RenderRequest::default()
    };
    let (bytes, media_type) = state
        .app
        .rendered_frame(&caller, study, series, sop, frame, request)
        .await?;
    Ok(([(header::CONTENT_TYPE, media_type)], bytes).into_response())
}

/// `…/studies/{study}/series/{series}/thumbnail`.
pub(crate) async fn thumbnail(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    target: Target,
) -> Result<Response, Problem> {
    on_record(&state, &target).await?;
    let (study, series) = (
        part(&target, "study").map_err(bad_request)?,
        part(&target, "series").map_err(bad_request)?,
    );
    let (bytes, media_type) = state.app.series_thumbnail(&caller, study, series).await?;
    Ok(([(header::CONTENT_TYPE, media_type)], bytes).into_response())
}

const JPEG_QUALITY: u8 = 90;

/// PNG unless the client accepts JPEG and not PNG; anything else it names
/// alone is 406-worthy, answered as a bad request.
fn format(headers: &HeaderMap) -> Result<OutputFormat, String> {
    let accept = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("*/*")
        .to_ascii_lowercase();
    let png = accept.contains("image/png") || accept.contains("*/*") || accept.contains("image/*");
    if png {
        Ok(OutputFormat::Png)
    } else if accept.contains("image/jpeg") {
        Ok(OutputFormat::Jpeg {
            quality: JPEG_QUALITY,
        })
    } else {
        Err(format!(
            "Rendered frames are image/png or image/jpeg, not {accept}."
        ))
    }
}

/// `window=center,width[,linear|linear_exact|sigmoid]` (the function is
/// accepted; the window is applied linearly).
fn window(raw: Option<&str>) -> Result<WindowChoice, String> {
    let pairs = form_urlencoded::parse(raw.unwrap_or("").as_bytes());
    for (key, value) in pairs {
        if key != "window" {
            continue;
        }
        let mut parts = value.split(',').map(str::trim);
        let number = |p: Option<&str>| p.and_then(|v| v.parse::<f64>().ok());
        let (center, width) = (number(parts.next()), number(parts.next()));
        return match (center, width) {
            (Some(center), Some(width)) if width > 0.0 && center.is_finite() => {
                Ok(WindowChoice::Explicit(Window { center, width }))
            }
            _ => Err(format!(
                "window={value} is not center,width with a positive width."
            )),
        };
    }
    Ok(WindowChoice::FromFile)
}
