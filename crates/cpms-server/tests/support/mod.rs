//! Running the real `cpms` binary.
#![allow(dead_code)] // each test file uses a different part

use std::process::{Command, Output};

pub fn cpms(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cpms"));
    command.args(args).env("CPMS_LOG_LEVEL", "warn");
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().expect("run cpms")
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub mod api;
pub mod assistant;
pub mod clinic;
pub mod files;
pub mod imaging;
pub mod notices;
pub mod panel;
pub mod pdf;
pub mod tokens;
