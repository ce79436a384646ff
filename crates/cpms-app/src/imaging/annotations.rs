//! Annotations drawn in the viewer: length measurements, arrows and text on
//! one frame of an instance, shared with everyone who may see the study.
//!
//! Who may: reading and adding follow the study's visibility (readers of
//! the record, and members of a panel sharing the study), because a panel
//! member's measurement is exactly what the lead asked for. Removing is for
//! the author, or for whoever may edit the record. Lengths are computed
//! here from the instance's pixel spacing, never taken from the browser.

use cpms_dicom::calibration::{self, PixelSpacing};
use cpms_domain::audit::{NewEvent, Outcome};
use cpms_domain::ids::{AnnotationId, UserId};
use cpms_domain::policy::{Action, Decision, Resource, can};
use cpms_store::repo::audit;
use cpms_store::repo::imaging as index;
use cpms_store::repo::imaging_annotations::{self as repo, NewAnnotation, StoredAnnotation};

use super::access::Visible;
use super::stack::StackInstance;
use crate::{App, AppError, Caller};

/// Longest text or label.
const MAX_LABEL: usize = 500;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnnotationKind {
    /// Two points and the distance between them.
    Length,
    /// From the first point to the second (the head).
    Arrow,
    /// Text anchored at one point.
    Text,
}

impl AnnotationKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AnnotationKind::Length => "length",
            AnnotationKind::Arrow => "arrow",
            AnnotationKind::Text => "text",
        }
    }

    pub fn parse(kind: &str) -> Option<Self> {
        match kind {
            "length" => Some(AnnotationKind::Length),
            "arrow" => Some(AnnotationKind::Arrow),
            "text" => Some(AnnotationKind::Text),
            _ => None,
        }
    }

    fn points(self) -> usize {
        match self {
            AnnotationKind::Length | AnnotationKind::Arrow => 2,
            AnnotationKind::Text => 1,
        }
    }
}

/// An annotation as the viewer draws it.
#[derive(Debug, Clone, PartialEq)]
pub struct Annotation {
    pub id: AnnotationId,
    pub series_uid: String,
    pub sop_uid: String,
    /// From 1.
    pub frame: u32,
    pub kind: AnnotationKind,
    /// (column, row) pixel coordinates.
    pub points: Vec<[f64; 2]>,
    /// Lengths on images with a pixel spacing.
    pub length_mm: Option<f64>,
    /// Lengths, always.
    pub length_px: Option<f64>,
    pub label: String,
    pub author: UserId,
    pub author_name: String,
    pub created_at: jiff::Timestamp,
    /// Whether the caller may remove it.
    pub removable: bool,
}

/// A new annotation as the viewer sends it.
#[derive(Debug, Clone, PartialEq)]
pub struct AnnotationDraft {
    pub series_uid: String,
    pub sop_uid: String,
    pub frame: u32,
    pub kind: String,
    pub points: Vec<[f64; 2]>,
    pub label: String,
}

impl App {
    /// Every annotation on a study the caller may see.
    pub async fn study_annotations(
        &self,
        caller: &Caller,
        study_uid: &str,
    ) -> Result<Vec<Annotation>, AppError> {
        let visible = self.visible_study(caller, study_uid).await?;
        let mut conn = self.store().read().await?;
        let stored = repo::of_study(&mut conn, &visible.study.study_uid).await?;
        drop(conn);
        self.audit_read(caller, &visible, "annotations").await?;
        stored
            .into_iter()
            .map(|s| annotation_view(s, may_edit_record(caller, &visible), caller))
            .collect()
    }

    /// Adds an annotation to a frame of a study the caller may see.
    pub async fn annotate(
        &self,
        caller: &Caller,
        study_uid: &str,
        draft: AnnotationDraft,
    ) -> Result<Annotation, AppError> {
        let visible = self.visible_study(caller, study_uid).await?;
        let mut conn = self.store().read().await?;
        let metadata = index::instance_metadata(
            &mut conn,
            &visible.study.study_uid,
            draft.series_uid.trim(),
            draft.sop_uid.trim(),
        )
        .await?
        .ok_or_else(|| AppError::not_found("That image of the study"))?;
        drop(conn);
        let metadata: serde_json::Value =
            serde_json::from_str(&metadata).map_err(AppError::internal)?;
        let instance = StackInstance::of(&metadata)
            .ok_or_else(|| AppError::internal("an indexed instance has no SOP Instance UID"))?;
        let kind = checked(&draft, &instance)?;
        let length_um = match (kind, calibration::pixel_spacing(&metadata)) {
            (AnnotationKind::Length, Some(spacing)) => Some(micrometres(&spacing, &draft.points)),
            _ => None,
        };
        let now = self.now();
        let new = NewAnnotation {
            id: AnnotationId::new(),
            study_uid: visible.study.study_uid.clone(),
            series_uid: draft.series_uid.trim().to_owned(),
            sop_uid: instance.sop_uid.clone(),
            frame: i64::from(draft.frame),
            kind: kind.as_str().to_owned(),
            points: serde_json::to_string(&draft.points).map_err(AppError::internal)?,
            length_um,
            label: draft.label.trim().to_owned(),
            author: caller.user.id,
            created_at: now,
        };
        let detail = visible.detail(&format!(
            "{} {} on frame {} of instance {}",
            kind.as_str(),
            new.id,
            new.frame,
            new.sop_uid
        ));
        let mut tx = self.store().write().await?;
        repo::insert(&mut tx, &new).await?;
        audit::append(
            &mut tx,
            event(caller, &visible, "imaging.annotate", detail),
            now,
        )
        .await?;
        tx.commit().await?;
        annotation_view(
            StoredAnnotation {
                annotation: new,
                author_name: caller.user.display_name.clone(),
            },
            may_edit_record(caller, &visible),
            caller,
        )
    }

    /// Removes an annotation: its author, or someone who may edit the record.
    pub async fn remove_annotation(
        &self,
        caller: &Caller,
        study_uid: &str,
        id: &str,
    ) -> Result<(), AppError> {
        let visible = self.visible_study(caller, study_uid).await?;
        let id: AnnotationId = id
            .trim()
            .parse()
            .map_err(|_| AppError::not_found("That annotation"))?;
        let mut conn = self.store().read().await?;
        let stored = repo::get(&mut conn, &visible.study.study_uid, id)
            .await?
            .ok_or_else(|| AppError::not_found("That annotation"))?;
        drop(conn);
        if stored.annotation.author != caller.user.id {
            // Not the author: the record's editors only (this audits a refusal).
            self.authorize(
                caller,
                Action::EditRecord,
                patient_resource(&visible),
                &format!("patient:{}", visible.patient.id),
            )
            .await?;
        }
        let detail = visible.detail(&format!(
            "{} {} by {} removed",
            stored.annotation.kind, id, stored.author_name
        ));
        let now = self.now();
        let mut tx = self.store().write().await?;
        repo::delete(&mut tx, id).await?;
        audit::append(
            &mut tx,
            event(caller, &visible, "imaging.annotation_removed", detail),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// The draft's kind, once its frame, points and label make sense on this
/// instance.
fn checked(draft: &AnnotationDraft, instance: &StackInstance) -> Result<AnnotationKind, AppError> {
    let kind = AnnotationKind::parse(draft.kind.trim()).ok_or_else(|| {
        AppError::invalid("An annotation is a length, an arrow or a text; choose one of those.")
    })?;
    if draft.frame == 0 || draft.frame > instance.frames {
        return Err(AppError::invalid(format!(
            "This image has frames 1 to {}; frame {} does not exist.",
            instance.frames, draft.frame
        )));
    }
    if draft.points.len() != kind.points() {
        return Err(AppError::invalid(format!(
            "A {} needs {} point(s), not {}.",
            kind.as_str(),
            kind.points(),
            draft.points.len()
        )));
    }
    let width = f64::from(instance.columns.unwrap_or(u32::MAX));
    let height = f64::from(instance.rows.unwrap_or(u32::MAX));
    let inside = |[x, y]: [f64; 2]| {
        x.is_finite() && y.is_finite() && (0.0..=width).contains(&x) && (0.0..=height).contains(&y)
    };
    if !draft.points.iter().copied().all(inside) {
        return Err(AppError::invalid(format!(
            "Points must lie on the image ({width} × {height} pixels)."
        )));
    }
    if kind != AnnotationKind::Text && draft.points[0] == draft.points[1] {
        return Err(AppError::invalid(
            "The two points are the same: drag from one point to the other.",
        ));
    }
    let label = draft.label.trim();
    if kind == AnnotationKind::Text && label.is_empty() {
        return Err(AppError::invalid("Type the text of the annotation."));
    }
    if label.chars().count() > MAX_LABEL {
        return Err(AppError::invalid(format!(
            "Annotation texts have at most {MAX_LABEL} characters."
        )));
    }
    Ok(kind)
}

fn micrometres(spacing: &PixelSpacing, points: &[[f64; 2]]) -> i64 {
    (spacing.distance_mm(points[0], points[1]) * 1000.0).round() as i64
}

fn patient_resource(visible: &Visible) -> Resource<'_> {
    Resource::Patient {
        hcp: visible.patient.hcp,
        enrolled_by: visible.patient.enrolled_by,
    }
}

fn may_edit_record(caller: &Caller, visible: &Visible) -> bool {
    can(
        &caller.actor(),
        Action::EditRecord,
        patient_resource(visible),
    ) == Decision::Allow
}

fn event(caller: &Caller, visible: &Visible, action: &str, detail: String) -> NewEvent {
    NewEvent::new(
        action,
        format!("patient:{}", visible.patient.id),
        Outcome::Success,
    )
    .by(caller.user.id)
    .on_behalf_of(caller.clinician_acted_for())
    .from_addr(caller.client.addr.clone())
    .detail(detail)
}

fn annotation_view(
    stored: StoredAnnotation,
    may_edit_record: bool,
    caller: &Caller,
) -> Result<Annotation, AppError> {
    let a = stored.annotation;
    let kind = AnnotationKind::parse(&a.kind)
        .ok_or_else(|| AppError::internal(format!("annotation {} has kind {}", a.id, a.kind)))?;
    let points: Vec<[f64; 2]> = serde_json::from_str(&a.points).map_err(AppError::internal)?;
    let length_px = match (kind, points.as_slice()) {
        (AnnotationKind::Length, [from, to]) => Some((to[0] - from[0]).hypot(to[1] - from[1])),
        _ => None,
    };
    Ok(Annotation {
        id: a.id,
        series_uid: a.series_uid,
        sop_uid: a.sop_uid,
        frame: u32::try_from(a.frame).unwrap_or(1),
        kind,
        points,
        length_mm: a.length_um.map(|um| um as f64 / 1000.0),
        length_px,
        label: a.label,
        author: a.author,
        author_name: stored.author_name,
        created_at: a.created_at,
        removable: a.author == caller.user.id || may_edit_record,
    })
}
