//! An HTTP client that keeps cookies and reads CSRF tokens from pages, so
//! tests use the site the way a browser without scripts would.

use reqwest::redirect::Policy;
use reqwest::{Response, StatusCode};

pub struct Client {
    pub http: reqwest::Client,
    base: String,
}

impl Client {
    pub fn new(base: &str) -> Self {
        let http = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(Policy::none())
            .build()
            .expect("http client");
        Self {
            http,
            base: base.trim_end_matches('/').to_owned(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, path: &str) -> Response {
        self.http.get(self.url(path)).send().await.expect("GET")
    }

    pub async fn get_text(&self, path: &str) -> (StatusCode, String) {
        let response = self.get(path).await;
        let status = response.status();
        (status, response.text().await.expect("body"))
    }

    /// The CSRF token of the page at `path` (from its first hidden field).
    pub async fn csrf(&self, path: &str) -> String {
        let (_, body) = self.get_text(path).await;
        hidden_value(&body, "csrf").unwrap_or_else(|| panic!("no csrf field on {path}"))
    }

    /// Posts a form with the CSRF token of `from`.
    pub async fn post_form(&self, from: &str, path: &str, fields: &[(&str, &str)]) -> Response {
        let csrf = self.csrf(from).await;
        let mut form: Vec<(&str, &str)> = fields.to_vec();
        form.push(("csrf", &csrf));
        self.http
            .post(self.url(path))
            .form(&form)
            .send()
            .await
            .expect("POST")
    }

    /// Signs in through the sign-in form; returns the response.
    pub async fn sign_in(&self, username: &str, password: &str) -> Response {
        self.post_form(
            "/signin",
            "/signin",
            &[("username", username), ("password", password)],
        )
        .await
    }
}

/// The value of `<input … name="NAME" value="…">` in a page.
pub fn hidden_value(html: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker)? + marker.len();
    let end = html[start..].find('"')? + start;
    Some(html[start..end].to_owned())
}
