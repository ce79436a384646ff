//! The one-shot commands: migrate, config check, audit verify.

use cpms_app::audit::{ChainCheck, verify_chain};
use cpms_store::{Engine, SchemaState, Store, StoreOptions};

use crate::config::{Config, RawConfig, Sources};
use crate::data_dir;
use crate::failure::{Failure, code};

pub async fn migrate(config: &Config) -> Result<(), Failure> {
    if config.uses_embedded_database() {
        data_dir::prepare(&config.data_dir)?;
    }
    let store = Store::open(&config.database_url(), &StoreOptions::default()).await?;
    let applied = store.migrate().await?;
    let version = store.schema_version().await?;
    if applied.is_empty() {
        println!(
            "database {} is up to date (schema version {version})",
            store.target()
        );
    } else {
        println!(
            "applied {} migration(s) to {}; schema version is now {version}",
            applied.len(),
            store.target()
        );
    }
    store.close().await;
    Ok(())
}

/// Prints the effective configuration and checks the data directory and
/// the database, without serving.
pub async fn config_check(sources: &Sources) -> Result<(), Failure> {
    let raw = RawConfig::collect(sources)?;
    let config = Config::load(sources)?;
    for (key, value, origin) in raw.describe() {
        println!("{key:<26} {value:<40} ({origin})");
    }
    data_dir::prepare(&config.data_dir)?;
    println!("data directory {} is writable", config.data_dir.display());
    let store = Store::open(
        &config.database_url(),
        &StoreOptions {
            max_connections: 1,
            ..Default::default()
        },
    )
    .await?;
    let state = store.schema_state().await?;
    match (state, store.engine()) {
        (SchemaState::Current, _) => {
            println!("database {} is reachable and up to date", store.target())
        }
        (SchemaState::Behind { .. }, Engine::Sqlite) => {
            println!(
                "database {} is reachable; `cpms serve` will migrate it",
                store.target()
            );
        }
        _ => {
            store.require_current_schema().await?;
        }
    }
    store.close().await;
    println!("configuration is valid");
    Ok(())
}

pub async fn audit_verify(config: &Config) -> Result<(), Failure> {
    let store = Store::open(&config.database_url(), &StoreOptions::default()).await?;
    if store.schema_version().await? == 0 {
        return Err(Failure::new(
            code::DATABASE,
            format!(
                "no ERN-CPMS database at {}: nothing to verify",
                store.target()
            ),
        ));
    }
    store.require_current_schema().await?;
    let outcome = verify_chain(&store).await;
    store.close().await;
    match outcome? {
        ChainCheck::Intact(n) => {
            println!("audit log intact: {n} events verified");
            Ok(())
        }
        ChainCheck::Broken(broken) => Err(Failure::new(
            code::AUDIT_BROKEN,
            format!("audit log broken: {broken}"),
        )),
    }
}
