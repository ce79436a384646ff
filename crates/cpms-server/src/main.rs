use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cpms_server::cli::Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("cpms: cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    let env: Vec<(String, String)> = std::env::vars().collect();
    match runtime.block_on(cpms_server::run(cli, env)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("cpms: {}", failure.message);
            ExitCode::from(failure.code)
        }
    }
}
