//! The workspaces a signed-in user moves between: their home (all their
//! networks and centres), an ERN's dashboard and a centre's dashboard.

mod dashboards;

pub use dashboards::{CentreDashboard, CentreLink, ErnDashboard, ErnSummary, Home, MyRole};
