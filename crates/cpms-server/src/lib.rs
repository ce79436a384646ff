//! The `cpms` program: reads the command line and configuration, wires the
//! store, the application and the web layer together, and runs commands.

pub mod cli;
mod commands;
pub mod config;
mod data_dir;
mod demo;
mod failure;
mod keys;
mod logging;
mod offline;
mod serve;
mod smtp;
mod terminology;
mod training;

pub use failure::{Failure, code};
pub use serve::{Running, start};

use cli::{AuditCommand, Cli, Command, Common, ConfigCommand, DemoCommand, KeysCommand, ServeArgs};
use config::{Config, Sources};

/// Runs one command of the command line. `env` is the process environment.
pub async fn run(cli: Cli, env: Vec<(String, String)>) -> Result<(), Failure> {
    let serve_args = match &cli.command {
        Command::Serve(args) => args.clone(),
        _ => ServeArgs::default(),
    };
    let sources = sources(&cli.common, &serve_args, env);
    if let Command::Config(ConfigCommand::Check) = cli.command {
        return commands::config_check(&sources).await;
    }
    let config = Config::load(&sources)?;
    logging::init(&config);
    match cli.command {
        Command::Serve(_) => serve::until_signal(config).await,
        Command::Migrate => commands::migrate(&config).await,
        Command::Audit(AuditCommand::Verify) => commands::audit_verify(&config).await,
        Command::Keys(KeysCommand::Rotate) => keys::rotate(&config).await,
        Command::Demo(DemoCommand::Patients { count, owner }) => {
            demo::patients(&config, &owner, count).await
        }
        Command::Demo(DemoCommand::Panels { count }) => demo::panels(&config, count).await,
        Command::ImportTerminology { from } => terminology::import(&config, &from),
        Command::Config(_) => Ok(()),
    }
}

/// Where configuration comes from for this invocation.
fn sources(common: &Common, serve: &ServeArgs, env: Vec<(String, String)>) -> Sources {
    let mut flags = Vec::new();
    if let Some(dir) = &common.data_dir {
        flags.push(("data_dir", "--data-dir", dir.display().to_string()));
    }
    if let Some(listen) = &serve.listen {
        flags.push(("listen", "--listen", listen.clone()));
    }
    if serve.training {
        flags.push(("training", "--training", "true".to_owned()));
    }
    Sources {
        file: common.config.clone(),
        env,
        flags,
    }
}
