//! The command line.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "cpms",
    version,
    about = "ERN-CPMS: Clinical Patient Management System for the European Reference Networks"
)]
pub struct Cli {
    #[command(flatten)]
    pub common: Common,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes.
#[derive(Debug, Clone, Args, Default)]
pub struct Common {
    /// TOML configuration file.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Directory for the embedded database and files (default ./cpms-data).
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve ERN-CPMS over HTTP.
    Serve(ServeArgs),
    /// Apply database migrations (required before `serve` on PostgreSQL).
    Migrate,
    /// Configuration commands.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Audit log commands.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Identity key commands.
    #[command(subcommand)]
    Keys(KeysCommand),
    /// Synthetic data for demonstrations and benchmarks.
    #[command(subcommand)]
    Demo(DemoCommand),
    /// Check and import newer terminology releases (hp.obo, phenotype.hpoa,
    /// ICD-10 XML) from a directory; used from the server's next start.
    ImportTerminology {
        /// Directory holding hp.obo, phenotype.hpoa and icd10….xml (each may be .gz).
        #[arg(value_name = "DIR")]
        from: PathBuf,
    },
}

#[derive(Debug, Clone, Args, Default)]
pub struct ServeArgs {
    /// Address to listen on (default 127.0.0.1:8080).
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<String>,
    /// Training environment: synthetic hospitals and accounts.
    #[arg(long)]
    pub training: bool,
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Validate the configuration, the data directory and the database, then exit.
    Check,
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Re-walk the audit hash chain; exit non-zero at the first broken event.
    Verify,
}

#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Re-seal every patient identity under the newest key of identity_keys.
    Rotate,
}

#[derive(Debug, Subcommand)]
pub enum DemoCommand {
    /// Enrol synthetic patients (consent, phenotypes, diagnosis, history) for
    /// one clinician; prints their pseudonyms one per line.
    Patients {
        /// How many patients.
        #[arg(long, value_name = "N")]
        count: usize,
        /// Username of the enrolling clinician.
        #[arg(long, value_name = "USERNAME")]
        owner: String,
    },
    /// Create synthetic panels across the training networks (members,
    /// discussion, closures); needs the training accounts. Prints a summary.
    Panels {
        /// How many panels.
        #[arg(long, value_name = "N")]
        count: usize,
    },
}
