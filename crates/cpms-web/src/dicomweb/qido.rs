//! QIDO-RS: `GET …/studies`, `…/series`, `…/instances` and their forms
//! under a study or series. Matching, `includefield`, `limit` and `offset`
//! are `cpms_dicom::qido`'s; the App decides what is visible.

use axum::extract::{RawQuery, State};
use axum::response::Response;
use cpms_app::imaging::{QidoLevel, SearchHit, SearchScope, parse_query};
use serde_json::{Value, json};

use super::Target;
use super::respond::{bad_request, dicom_json, on_record};
use crate::api::{ApiCaller, Problem};
use crate::state::AppState;

pub(crate) async fn search_studies(
    state: State<AppState>,
    caller: ApiCaller,
    target: Target,
    query: RawQuery,
) -> Result<Response, Problem> {
    search(state, caller, target, query, QidoLevel::Study).await
}

pub(crate) async fn search_series(
    state: State<AppState>,
    caller: ApiCaller,
    target: Target,
    query: RawQuery,
) -> Result<Response, Problem> {
    search(state, caller, target, query, QidoLevel::Series).await
}

pub(crate) async fn search_instances(
    state: State<AppState>,
    caller: ApiCaller,
    target: Target,
    query: RawQuery,
) -> Result<Response, Problem> {
    search(state, caller, target, query, QidoLevel::Instance).await
}

async fn search(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    target: Target,
    RawQuery(raw): RawQuery,
    level: QidoLevel,
) -> Result<Response, Problem> {
    let pairs = form_urlencoded::parse(raw.as_deref().unwrap_or("").as_bytes());
    let query = parse_query(pairs).map_err(|e| bad_request(format!("{e}.")))?;
    on_record(&state, &target).await?;
    let scope = SearchScope {
        pseudonym: target.pseudonym().map(str::to_owned),
        study: target.get("study").map(str::to_owned),
        series: target.get("series").map(str::to_owned),
    };
    let hits = state
        .app
        .search_imaging(&caller, &scope, level, &query)
        .await?;
    let root = target.root();
    let answer: Vec<Value> = hits
        .into_iter()
        .map(|hit| with_retrieve_url(hit, &root))
        .collect();
    Ok(dicom_json(&Value::Array(answer)))
}

/// The hit's attributes with its RetrieveURL (0008,1190) under this root.
fn with_retrieve_url(hit: SearchHit, root: &str) -> Value {
    let mut url = format!("{root}/studies/{}", hit.study_uid);
    if let Some(series) = &hit.series_uid {
        url.push_str(&format!("/series/{series}"));
    }
    if let Some(sop) = &hit.sop_uid {
        url.push_str(&format!("/instances/{sop}"));
    }
    let mut attributes = hit.attributes;
    attributes.insert("00081190".into(), json!({"vr": "UR", "Value": [url]}));
    Value::Object(attributes)
}
