//! Small typed accessors over dicom-object data sets, tolerant of absent or odd values.

use dicom_core::Tag;
use dicom_object::InMemDicomObject;

/// Trimmed string value of `tag`, `None` when absent or empty.
pub(crate) fn string(obj: &InMemDicomObject, tag: Tag) -> Option<String> {
    let element = obj.element_opt(tag).ok().flatten()?;
    let value = element.value().to_str().ok()?;
    let trimmed = value.trim_matches(|c: char| c == '\0' || c.is_whitespace());
    (!trimmed.is_empty()).then(|| trimmed.to_string())
}

/// First integer value of `tag` (works for US, UL, SS, SL and IS).
pub(crate) fn int(obj: &InMemDicomObject, tag: Tag) -> Option<i64> {
    let element = obj.element_opt(tag).ok().flatten()?;
    element.value().to_int::<i64>().ok()
}

/// All floating-point values of `tag` (works for DS, FL, FD and integer VRs).
pub(crate) fn floats(obj: &InMemDicomObject, tag: Tag) -> Vec<f64> {
    obj.element_opt(tag)
        .ok()
        .flatten()
        .and_then(|element| element.value().to_multi_float64().ok())
        .unwrap_or_default()
}

/// First floating-point value of `tag`.
pub(crate) fn float(obj: &InMemDicomObject, tag: Tag) -> Option<f64> {
    floats(obj, tag).first().copied()
}
