//! Storage of ERN-CPMS on SQLite (embedded default) or PostgreSQL, through
//! sqlx's `Any` driver so that one set of portable SQL serves both. Nothing
//! above this crate sees a storage type: repositories take and return
//! domain values.

mod codec;
mod error;
mod migrate;
pub mod repo;
mod store;
#[cfg(feature = "test-support")]
pub mod testing;

pub use error::StoreError;
pub use migrate::{MIGRATIONS, Migration, SchemaState};
pub use store::{Conn, Engine, Store, StoreOptions, WriteTx};
