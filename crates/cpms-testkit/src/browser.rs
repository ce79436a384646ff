//! A small W3C WebDriver client for Debian's Chromium through chromedriver.
//! Just what the journeys need: navigate, find, type, click, read text,
//! run a script, take screenshots, and a virtual WebAuthn authenticator.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::{Value, json};

/// W3C's key for element references in JSON.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

pub struct Browser {
    http: reqwest::Client,
    base: String,
    session: String,
    driver: Child,
    _profile: tempfile::TempDir,
}

#[derive(Debug, Clone)]
pub struct Element(String);

fn binary(name: &str, env: &str, fallback: &str) -> PathBuf {
    let path = std::env::var(env)
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(fallback));
    assert!(
        path.exists(),
        "{name} not found at {} (set {env}); install the Debian packages chromium and chromium-driver",
        path.display()
    );
    path
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

impl Browser {
    /// Starts chromedriver and a headless Chromium with a fresh profile,
    /// at the given window size.
    pub async fn start(width: u32, height: u32) -> Self {
        let chromium = binary("Chromium", "CHROMIUM", "/usr/bin/chromium");
        let chromedriver = binary("chromedriver", "CHROMEDRIVER", "/usr/bin/chromedriver");
        let port = free_port();
        let driver = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(60))
            .build()
            .expect("client");
        let base = format!("http://127.0.0.1:{port}");
        wait_ready(&http, &base).await;
        let profile = tempfile::tempdir().expect("profile directory");
        // These flags keep Chromium from reaching for the network, which is
        // closed here, and let it run as root in a container.
        let args = vec![
            "--headless=new".to_owned(),
            "--no-sandbox".to_owned(),
            "--disable-gpu".to_owned(),
            "--disable-dev-shm-usage".to_owned(),
            "--disable-quic".to_owned(),
            "--no-first-run".to_owned(),
            "--disable-background-networking".to_owned(),
            "--disable-component-update".to_owned(),
            "--disable-sync".to_owned(),
            "--hide-scrollbars".to_owned(),
            format!("--window-size={width},{height}"),
            format!("--user-data-dir={}", profile.path().display()),
        ];
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": chromium.display().to_string(), "args": args}
        }}});
        let created: Value = http
            .post(format!("{base}/session"))
            .json(&caps)
            .send()
            .await
            .expect("new session")
            .json()
            .await
            .expect("session json");
        let session = created["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("chromedriver refused the session: {created}"))
            .to_owned();
        Self {
            http,
            base,
            session,
            driver,
            _profile: profile,
        }
    }

    async fn command(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}/session/{}{path}", self.base, self.session);
        let request = self.http.request(method, &url);
        let request = match body {
            Some(body) => request.json(&body),
            None => request,
        };
        let reply: Value = request
            .send()
            .await
            .expect("webdriver request")
            .json()
            .await
            .expect("webdriver json");
        if let Some(error) = reply["value"]["error"].as_str() {
            panic!("webdriver {path}: {error}: {}", reply["value"]["message"]);
        }
        reply["value"].clone()
    }

    async fn post(&self, path: &str, body: Value) -> Value {
        self.command(reqwest::Method::POST, path, Some(body)).await
    }

    async fn get(&self, path: &str) -> Value {
        self.command(reqwest::Method::GET, path, None).await
    }

    pub async fn goto(&self, url: &str) {
        self.post("/url", json!({"url": url})).await;
    }

    /// Fills and sends the sign-in page at `signin_url` (password step
    /// only; what follows depends on the account).
    pub async fn submit_password(&self, signin_url: &str, username: &str, password: &str) {
        self.goto(signin_url).await;
        self.find("#username").await;
        self.type_into("#username", username).await;
        self.type_into("#password", password).await;
        self.click("button[type=submit]").await;
    }

    pub async fn current_url(&self) -> String {
        self.get("/url")
            .await
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// Finds an element, waiting up to five seconds for it to appear.
    pub async fn find(&self, css: &str) -> Element {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let url = format!("{}/session/{}/element", self.base, self.session);
            let reply: Value = self
                .http
                .post(&url)
                .json(&json!({"using": "css selector", "value": css}))
                .send()
                .await
                .expect("find")
                .json()
                .await
                .expect("find json");
            if let Some(id) = reply["value"][ELEMENT].as_str() {
                return Element(id.to_owned());
            }
            assert!(Instant::now() < deadline, "no element matches {css}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn type_into(&self, css: &str, text: &str) {
        let element = self.find(css).await;
        self.post(&format!("/element/{}/clear", element.0), json!({}))
            .await;
        self.post(
            &format!("/element/{}/value", element.0),
            json!({"text": text}),
        )
        .await;
    }

    pub async fn click(&self, css: &str) {
        let element = self.find(css).await;
        self.post(&format!("/element/{}/click", element.0), json!({}))
            .await;
    }

    /// Chooses a file in an `<input type=file>` (WebDriver sends the path
    /// as keys; clearing such an input first is not allowed).
    pub async fn choose_file(&self, css: &str, path: &Path) {
        let element = self.find(css).await;
        self.post(
            &format!("/element/{}/value", element.0),
            json!({"text": path.display().to_string()}),
        )
        .await;
    }

    /// Picks the `<option>` with this value in a `<select>`.
    pub async fn select(&self, css: &str, value: &str) {
        self.click(&format!("{css} option[value=\"{value}\"]"))
            .await;
    }

    pub async fn text(&self, css: &str) -> String {
        let element = self.find(css).await;
        self.get(&format!("/element/{}/text", element.0))
            .await
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// Runs a script in the page and returns its value.
    /// Runs `script` (no arguments) until it returns `expected`, for at
    /// most ten seconds.
    pub async fn wait_for_script(&self, script: &str, expected: Value) {
        for _ in 0..100 {
            if self.script(script, json!([])).await == expected {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("{script} never gave {expected}");
    }

    pub async fn script(&self, script: &str, args: Value) -> Value {
        self.post("/execute/sync", json!({"script": script, "args": args}))
            .await
    }

    /// Waits until the page URL satisfies `check`.
    pub async fn wait_for_url(&self, check: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let url = self.current_url().await;
            if check(&url) {
                return url;
            }
            assert!(Instant::now() < deadline, "page stayed at {url}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Saves a PNG of the viewport (or, with `full_page`, the whole page).
    pub async fn screenshot(&self, path: &Path, full_page: bool) {
        if full_page {
            let height = self
                .script("return document.documentElement.scrollHeight", json!([]))
                .await;
            let width = self.script("return window.innerWidth", json!([])).await;
            let (w, h) = (
                width.as_u64().unwrap_or(1280),
                height.as_u64().unwrap_or(900).min(6000),
            );
            self.post("/window/rect", json!({"width": w, "height": h + 120}))
                .await;
        }
        let data = self.get("/screenshot").await;
        let png = base64::engine::general_purpose::STANDARD
            .decode(data.as_str().unwrap_or_default())
            .expect("png");
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).expect("screenshot directory");
        }
        std::fs::write(path, png).expect("write screenshot");
    }

    pub async fn set_window(&self, width: u32, height: u32) {
        self.post("/window/rect", json!({"width": width, "height": height}))
            .await;
    }

    /// Limits the page's upload speed (Chromium's network emulation), so
    /// upload progress can be watched even on loopback.
    pub async fn throttle_upload(&self, bytes_per_second: u64) {
        self.post(
            "/chromium/network_conditions",
            json!({"network_conditions": {"offline": false, "latency": 0,
                   "download_throughput": 100_000_000, "upload_throughput": bytes_per_second}}),
        )
        .await;
    }

    /// Adds Chromium's virtual authenticator (a platform passkey provider
    /// that always verifies the user), for WebAuthn journeys.
    pub async fn add_virtual_authenticator(&self) -> String {
        let reply = self
            .post(
                "/webauthn/authenticator",
                json!({"protocol": "ctap2", "transport": "internal", "hasResidentKey": true,
                       "hasUserVerification": true, "isUserVerified": true}),
            )
            .await;
        reply.as_str().unwrap_or_default().to_owned()
    }

    pub async fn quit(mut self) {
        let url = format!("{}/session/{}", self.base, self.session);
        let _ = self.http.delete(&url).send().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
    }
}

async fn wait_ready(http: &reqwest::Client, base: &str) {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        if let Ok(reply) = http.get(format!("{base}/status")).send().await
            && let Ok(status) = reply.json::<Value>().await
            && status["value"]["ready"].as_bool() == Some(true)
        {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "chromedriver did not become ready"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Where screenshots go: `target/screenshots/<name>.png` of the workspace.
pub fn screenshot_path(name: &str) -> PathBuf {
    let target = std::env::var("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    target.join("screenshots").join(format!("{name}.png"))
}
