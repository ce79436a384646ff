// Small limits keep each fuzz input cheap; the limit checks themselves are under test too.
pub fn limits() -> cpms_dicom::Limits {
    cpms_dicom::Limits {
        max_file_bytes: 1 << 20,
        max_rows: 1024,
        max_columns: 1024,
        max_frames: 16,
        max_pixel_bytes: 8 << 20,
        ..cpms_dicom::Limits::default()
    }
}
