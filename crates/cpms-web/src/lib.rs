//! cpms-web
