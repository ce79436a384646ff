//! Physical distances on an image, read from an instance's DICOM JSON (the
//! index keeps it, so measuring never reopens a file): Pixel Spacing, the
//! same inside the shared functional groups of enhanced multi-frame
//! objects, else Imager Pixel Spacing (at the detector, as projection
//! radiographs carry it). Without any, distances are in pixels only.

use serde::Serialize;
use serde_json::Value;

const PIXEL_SPACING: &str = "00280030";
const IMAGER_PIXEL_SPACING: &str = "00181164";
const SHARED_FUNCTIONAL_GROUPS: &str = "52009229";
const PIXEL_MEASURES: &str = "00289110";

/// Which attribute the spacing came from, shown beside measurements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum SpacingSource {
    #[serde(rename = "Pixel Spacing")]
    PixelSpacing,
    /// At the detector plane: distances in the patient may be smaller.
    #[serde(rename = "Imager Pixel Spacing")]
    ImagerPixelSpacing,
}

/// Millimetres between the centres of adjacent pixels.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PixelSpacing {
    /// Between rows (vertical, along y).
    pub row_mm: f64,
    /// Between columns (horizontal, along x).
    pub column_mm: f64,
    pub source: SpacingSource,
}

impl PixelSpacing {
    /// The distance in mm between two points given as (column, row) pixel
    /// coordinates.
    pub fn distance_mm(&self, from: [f64; 2], to: [f64; 2]) -> f64 {
        let dx = (to[0] - from[0]) * self.column_mm;
        let dy = (to[1] - from[1]) * self.row_mm;
        dx.hypot(dy)
    }
}

/// The pixel spacing of an instance, when its metadata gives a usable one.
pub fn pixel_spacing(metadata: &Value) -> Option<PixelSpacing> {
    let shared = metadata
        .get(SHARED_FUNCTIONAL_GROUPS)
        .and_then(|s| first_item(s))
        .and_then(|group| group.get(PIXEL_MEASURES))
        .and_then(|m| first_item(m));
    let candidates = [
        (Some(metadata), PIXEL_SPACING, SpacingSource::PixelSpacing),
        (shared, PIXEL_SPACING, SpacingSource::PixelSpacing),
        (
            Some(metadata),
            IMAGER_PIXEL_SPACING,
            SpacingSource::ImagerPixelSpacing,
        ),
    ];
    candidates
        .into_iter()
        .find_map(|(data, key, source)| match numbers(data?, key).as_slice() {
            [row, column, ..] if is_spacing(*row) && is_spacing(*column) => Some(PixelSpacing {
                row_mm: *row,
                column_mm: *column,
                source,
            }),
            _ => None,
        })
}

/// The numeric values of attribute `key` (eight hex digits) of a DICOM
/// JSON data set; DS and IS values may come as numbers or as strings.
pub fn numbers(metadata: &Value, key: &str) -> Vec<f64> {
    metadata
        .get(key)
        .and_then(|attribute| attribute.get("Value"))
        .and_then(Value::as_array)
        .map(|values| {
            values
                .iter()
                .filter_map(|v| match v {
                    Value::Number(n) => n.as_f64(),
                    Value::String(s) => s.trim().parse().ok(),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default()
}

fn first_item(sequence: &Value) -> Option<&Value> {
    sequence.get("Value")?.as_array()?.first()
}

fn is_spacing(mm: f64) -> bool {
    mm.is_finite() && mm > 0.0
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn pixel_spacing_wins_over_imager_spacing_and_is_row_then_column() {
        let metadata = json!({
            "00280030": {"vr": "DS", "Value": [0.5, 0.25]},
            "00181164": {"vr": "DS", "Value": [1.0, 1.0]},
        });
        let spacing = pixel_spacing(&metadata).unwrap();
        assert_eq!(spacing.source, SpacingSource::PixelSpacing);
        // 4 columns across (x) at 0.25 mm and 3 rows down (y) at 0.5 mm.
        let d = spacing.distance_mm([0.0, 0.0], [4.0, 3.0]);
        assert!((d - 1.0f64.hypot(1.5)).abs() < 1e-9, "{d}");
    }

    #[test]
    fn falls_back_to_functional_groups_then_imager_spacing_then_none() {
        let enhanced = json!({"52009229": {"vr": "SQ", "Value": [
            {"00289110": {"vr": "SQ", "Value": [{"00280030": {"vr": "DS", "Value": ["0.7", "0.7"]}}]}}
        ]}});
        assert_eq!(pixel_spacing(&enhanced).unwrap().row_mm, 0.7);
        let radiograph = json!({"00181164": {"vr": "DS", "Value": [0.143, 0.143]}});
        assert_eq!(
            pixel_spacing(&radiograph).unwrap().source,
            SpacingSource::ImagerPixelSpacing
        );
        let broken = json!({"00280030": {"vr": "DS", "Value": [0.0, -1.0]}});
        assert_eq!(pixel_spacing(&broken), None);
        assert_eq!(pixel_spacing(&json!({})), None);
    }
}
