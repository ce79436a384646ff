//! What the viewer scrolls through: a series' instances in order, each
//! with its frame count, size, pixel spacing (for measurements in mm) and
//! the file's window, all read from the indexed DICOM JSON.

use cpms_dicom::calibration::{self, PixelSpacing};
use serde_json::Value;

use super::Window;
use crate::{App, AppError, Caller};

const SOP_INSTANCE_UID: &str = "00080018";
const INSTANCE_NUMBER: &str = "00200013";
const NUMBER_OF_FRAMES: &str = "00280008";
const ROWS: &str = "00280010";
const COLUMNS: &str = "00280011";
const WINDOW_CENTER: &str = "00281050";
const WINDOW_WIDTH: &str = "00281051";

/// One instance of a series as the viewer needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct StackInstance {
    pub sop_uid: String,
    pub number: Option<i64>,
    /// At least 1.
    pub frames: u32,
    pub rows: Option<u32>,
    pub columns: Option<u32>,
    pub spacing: Option<PixelSpacing>,
    /// The file's first window, which the unwindowed rendering uses.
    pub window: Option<Window>,
}

impl StackInstance {
    /// Reads the instance's summary from its DICOM JSON; `None` without a
    /// SOP Instance UID (the index never holds such an instance).
    pub fn of(metadata: &Value) -> Option<Self> {
        let sop_uid = metadata
            .get(SOP_INSTANCE_UID)?
            .get("Value")?
            .get(0)?
            .as_str()?
            .to_owned();
        let first = |key| calibration::numbers(metadata, key).first().copied();
        let whole = |key| first(key).and_then(|v| (v >= 0.0).then_some(v as u32));
        let window = match (first(WINDOW_CENTER), first(WINDOW_WIDTH)) {
            (Some(center), Some(width)) if width > 0.0 => Some(Window { center, width }),
            _ => None,
        };
        Some(Self {
            sop_uid,
            number: first(INSTANCE_NUMBER).map(|n| n as i64),
            frames: whole(NUMBER_OF_FRAMES).unwrap_or(1).max(1),
            rows: whole(ROWS),
            columns: whole(COLUMNS),
            spacing: calibration::pixel_spacing(metadata),
            window,
        })
    }
}

impl App {
    /// The instances of a series in instance order (audited as a metadata
    /// read).
    pub async fn series_stack(
        &self,
        caller: &Caller,
        study_uid: &str,
        series_uid: &str,
    ) -> Result<Vec<StackInstance>, AppError> {
        let metadata = self.series_metadata(caller, study_uid, series_uid).await?;
        Ok(metadata.iter().filter_map(StackInstance::of).collect())
    }
}
