//! cpms-store
