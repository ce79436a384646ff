//! Personal API tokens created through the account page, and a cookie-less
//! client that sends one.

use cpms_testkit::client::Client;
use reqwest::StatusCode;

/// Creates a token named `name` as the signed-in `client`; returns the
/// secret the page shows once.
pub async fn create_token(client: &Client, name: &str) -> String {
    let response = client
        .post_form("/account/tokens", "/account/tokens", &[("name", name)])
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let page = response.text().await.unwrap();
    let start = page.find("id=\"token-secret\">").expect("secret shown") + 18;
    page[start..].split('<').next().unwrap().to_owned()
}

/// A request with the token and no cookies.
pub fn bearer(method: reqwest::Method, url: &str, token: &str) -> reqwest::RequestBuilder {
    reqwest::Client::new()
        .request(method, url)
        .header("authorization", format!("Bearer {token}"))
}
