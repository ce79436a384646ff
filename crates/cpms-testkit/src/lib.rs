//! cpms-testkit
