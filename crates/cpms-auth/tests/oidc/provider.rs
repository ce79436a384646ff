//! Runs the loopback OpenID provider (`crates/cpms-testkit/oidc-provider`) for a test.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

pub const CLIENT_ID: &str = "cpms-test";
pub const CLIENT_SECRET: &str = "cpms-test-secret";
pub const REDIRECT_URI: &str = "http://127.0.0.1:9/auth/callback";
/// The password the provider's login form accepts for every username.
pub const PASSWORD: &str = "correct horse battery staple";

/// How the provider behaves; see the comment at the top of `provider.mjs`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options<'a> {
    /// Port to listen on; `None` picks a free one.
    pub port: Option<u16>,
    pub acr: Option<&'a str>,
    pub amr: Option<&'a str>,
    pub mode: Mode,
}

#[derive(Debug, Clone, Copy, Default)]
pub enum Mode {
    #[default]
    Normal,
    BadSignature,
    WrongAudience,
}

impl Mode {
    fn flag(self) -> &'static str {
        match self {
            Self::Normal => "normal",
            Self::BadSignature => "bad-signature",
            Self::WrongAudience => "wrong-audience",
        }
    }
}

/// A running provider; stopped when dropped.
pub struct TestProvider {
    child: Child,
    pub issuer: String,
}

impl TestProvider {
    pub fn start(options: Options<'_>) -> Self {
        let dir = provider_dir();
        ensure_installed(&dir);
        let mut command = Command::new("node");
        command
            .arg(dir.join("provider.mjs"))
            .args(["--port", &options.port.unwrap_or(0).to_string()])
            .args(["--client-id", CLIENT_ID])
            .args([
                "--client-secret",
                CLIENT_SECRET,
                "--redirect-uri",
                REDIRECT_URI,
            ])
            .args(["--mode", options.mode.flag()]);
        if let Some(acr) = options.acr {
            command.args(["--acr", acr]);
        }
        if let Some(amr) = options.amr {
            command.args(["--amr", amr]);
        }
        let mut child = command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run `node` for the OIDC provider tests ({e}); install Node.js 20 or later"));
        let stdout = child.stdout.take().expect("piped stdout");
        let stderr = child.stderr.take().expect("piped stderr");
        let (ready_tx, ready_rx) = mpsc::channel();
        thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            let mut line = String::new();
            let _ = reader.read_line(&mut line);
            let _ = ready_tx.send(line);
            // Keep draining: a closed pipe would kill the provider at its next write.
            let _ = std::io::copy(&mut reader, &mut std::io::sink());
        });
        let (err_tx, err_rx) = mpsc::channel();
        thread::spawn(move || {
            let mut text = String::new();
            let _ = BufReader::new(stderr).read_to_string(&mut text);
            let _ = err_tx.send(text);
        });
        let line = ready_rx
            .recv_timeout(Duration::from_secs(30))
            .unwrap_or_default();
        let Some(issuer) = line.trim().strip_prefix("ready ") else {
            let _ = child.kill();
            let _ = child.wait();
            let stderr = err_rx
                .recv_timeout(Duration::from_secs(5))
                .unwrap_or_default();
            panic!("the OIDC provider did not start (stdout {line:?}); its stderr:\n{stderr}");
        };
        Self {
            issuer: issuer.to_owned(),
            child,
        }
    }
}

impl Drop for TestProvider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn provider_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../cpms-testkit/oidc-provider")
}

/// Runs `npm ci` if `node_modules` is missing or older than the lock file. Test binaries run in
/// parallel (and nextest runs each test in its own process), so a file lock makes sure only one
/// installs while the others wait for it.
fn ensure_installed(dir: &Path) {
    if is_installed(dir) {
        return;
    }
    let lock_path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("oidc-provider-npm-ci.lock");
    let lock = File::create(&lock_path)
        .unwrap_or_else(|e| panic!("cannot create {}: {e}", lock_path.display()));
    lock.lock()
        .unwrap_or_else(|e| panic!("cannot lock {}: {e}", lock_path.display()));
    if is_installed(dir) {
        return;
    }
    let output = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run `npm ci` for the OIDC provider tests ({e}); install npm")
        });
    assert!(
        output.status.success(),
        "`npm ci` failed in {}:\n{}",
        dir.display(),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// npm writes `node_modules/.package-lock.json` last, so its presence means a finished install.
fn is_installed(dir: &Path) -> bool {
    let modified = |path: PathBuf| path.metadata().and_then(|m| m.modified()).ok();
    match (
        modified(dir.join("node_modules/.package-lock.json")),
        modified(dir.join("package-lock.json")),
    ) {
        (Some(installed), Some(locked)) => installed >= locked,
        _ => false,
    }
}
