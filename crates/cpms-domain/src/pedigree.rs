//! Family history as structured data (filled in by the reports work stream).
