//! The loopback OpenID provider (`oidc-provider/provider.mjs`, Node
//! `oidc-provider`) for sign-in tests through the real server, and a
//! server configured to use it.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use cpms_domain::ids::UserId;
use cpms_store::Engine;
use cpms_store::repo::identities;
use sha2::{Digest, Sha256};

use crate::client::Client;
use crate::server::{Options, TestServer};

pub const CLIENT_ID: &str = "cpms-test";
pub const CLIENT_SECRET: &str = "cpms-test-secret";
/// The password the provider's login form accepts for every username.
pub const PASSWORD: &str = "correct horse battery staple";
/// What the test server requires of the provider's authentication.
pub const REQUIRED_AMR: &str = "otp";

/// How the provider signs its ID tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
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
    /// Starts the provider for a relying party whose callback is
    /// `redirect_uri`; its ID tokens report `amr` pwd and otp.
    pub fn start(redirect_uri: &str, mode: Mode) -> Self {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("oidc-provider");
        ensure_installed(&dir);
        let mut child = Command::new("node")
            .arg(dir.join("provider.mjs"))
            .args(["--port", "0", "--client-id", CLIENT_ID])
            .args(["--client-secret", CLIENT_SECRET])
            .args(["--redirect-uri", redirect_uri])
            .args(["--mode", mode.flag(), "--amr", "pwd,otp"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run `node` for the OpenID provider (install Node.js 20 or later)");
        let stdout = child.stdout.take().expect("piped stdout");
        let mut stderr = child.stderr.take().expect("piped stderr");
        let (ready_tx, ready_rx) = mpsc::channel();
        thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            let mut line = String::new();
            let _ = reader.read_line(&mut line);
            let _ = ready_tx.send(line);
            // Keep draining: a closed pipe would stop the provider.
            let _ = std::io::copy(&mut reader, &mut std::io::sink());
        });
        thread::spawn(move || {
            let mut text = String::new();
            let _ = stderr.read_to_string(&mut text);
            if !text.is_empty() {
                eprintln!("oidc provider: {text}");
            }
        });
        let line = ready_rx
            .recv_timeout(Duration::from_secs(30))
            .unwrap_or_default();
        let issuer = line
            .trim()
            .strip_prefix("ready ")
            .unwrap_or_else(|| panic!("the OpenID provider did not start: {line:?}"))
            .to_owned();
        Self { child, issuer }
    }
}

impl Drop for TestProvider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The provider's subject for a username (`subjectFor` in provider.mjs).
pub fn subject_for(username: &str) -> String {
    hex_prefix(&Sha256::digest(username.as_bytes()), 16)
}

fn hex_prefix(bytes: &[u8], n: usize) -> String {
    bytes[..n].iter().map(|b| format!("{b:02x}")).collect()
}

/// A server that offers sign-in through the provider, listening on a port
/// chosen beforehand so the provider knows the callback. `issuer` may
/// point where no provider runs.
pub async fn server_with_provider(engine: Engine, port: u16, issuer: &str) -> TestServer {
    let env = [
        ("CPMS_LISTEN", format!("127.0.0.1:{port}")),
        ("CPMS_OIDC_ISSUER", issuer.to_owned()),
        ("CPMS_OIDC_CLIENT_ID", CLIENT_ID.to_owned()),
        ("CPMS_OIDC_CLIENT_SECRET", CLIENT_SECRET.to_owned()),
        ("CPMS_OIDC_REQUIRED_AMR", REQUIRED_AMR.to_owned()),
        ("CPMS_SIGN_IN_BURST", "100".to_owned()),
    ];
    let options = Options {
        training: false,
        env: env.map(|(k, v)| (k.to_owned(), v)).to_vec(),
    };
    TestServer::start(engine, options).await
}

/// The callback URL of a server on `port` reached as `localhost`.
pub fn callback_for(port: u16) -> String {
    format!("http://localhost:{port}/signin/oidc/callback")
}

/// A free local port (closed again; the server binds it next).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// Links the provider identity of `username` to an account.
pub async fn link_identity(server: &TestServer, issuer: &str, username: &str, user: UserId) {
    let mut tx = server.app().store().write().await.expect("write");
    identities::link(
        &mut tx,
        issuer,
        &subject_for(username),
        user,
        jiff::Timestamp::now(),
    )
    .await
    .expect("link identity");
    tx.commit().await.expect("commit");
}

/// Plays the browser: from `/signin/oidc` on our server through the
/// provider's login form and back to our callback; returns the callback's
/// response (not followed). `client` must reach the server as `localhost`.
pub async fn sign_in_through_provider(client: &Client, username: &str) -> reqwest::Response {
    let mut response = client.get("/signin/oidc").await;
    let mut current = reqwest::Url::parse(&client.url("/signin/oidc")).expect("url");
    for _ in 0..12 {
        if response.status().is_redirection() {
            let location = response.headers()["location"].to_str().expect("location");
            let next = current.join(location).expect("redirect url");
            let back_home = next.path() == "/signin/oidc/callback";
            response = client.http.get(next.clone()).send().await.expect("GET");
            current = next;
            if back_home {
                return response;
            }
            continue;
        }
        let page = response.text().await.expect("page");
        let start = page
            .find("action=\"")
            .unwrap_or_else(|| panic!("no form at {current}: {page}"))
            + "action=\"".len();
        let action = current
            .join(page[start..].split('"').next().unwrap_or_default())
            .expect("form action");
        response = client
            .http
            .post(action.clone())
            .form(&[("username", username), ("password", PASSWORD)])
            .send()
            .await
            .expect("POST");
        current = action;
    }
    panic!("the sign-in did not come back to the callback");
}

/// Runs `npm ci` once when `node_modules` is missing or older than the
/// lock file.
fn ensure_installed(dir: &Path) {
    let modified = |path: PathBuf| path.metadata().and_then(|m| m.modified()).ok();
    let installed = match (
        modified(dir.join("node_modules/.package-lock.json")),
        modified(dir.join("package-lock.json")),
    ) {
        (Some(installed), Some(locked)) => installed >= locked,
        _ => false,
    };
    if installed {
        return;
    }
    let lock_path = std::env::temp_dir().join("cpms-oidc-provider-npm-ci.lock");
    let lock = std::fs::File::create(&lock_path).expect("npm lock file");
    lock.lock().expect("lock npm install");
    if dir.join("node_modules/.package-lock.json").exists() {
        return;
    }
    let output = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(dir)
        .output()
        .expect("run `npm ci` for the OpenID provider (install npm)");
    assert!(
        output.status.success(),
        "`npm ci` failed in {}:\n{}",
        dir.display(),
        String::from_utf8_lossy(&output.stderr)
    );
}
