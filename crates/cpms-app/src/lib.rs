//! cpms-app
