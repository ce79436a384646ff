//! Plays the browser's part in a sign-in: follows the provider's redirects with a cookie jar,
//! fills in its login form, and stops at the redirect back to the relying party.

use cpms_auth::oidc::OidcCallback;
use reqwest::StatusCode;
use reqwest::header::LOCATION;
use url::Url;

use super::provider::REDIRECT_URI;

/// Signs in at the provider and returns the query of the redirect to our callback URL.
pub async fn sign_in(authorization_url: Url, username: &str, password: &str) -> OidcCallback {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut response = client.get(authorization_url.clone()).send().await.unwrap();
    let mut current = authorization_url;
    for _ in 0..10 {
        if response.status().is_redirection() {
            let location = response.headers()[LOCATION].to_str().unwrap();
            let next = current.join(location).unwrap();
            if next.as_str().starts_with(REDIRECT_URI) {
                return callback_from(&next);
            }
            response = client.get(next.clone()).send().await.unwrap();
            current = next;
            continue;
        }
        assert_eq!(
            response.status(),
            StatusCode::OK,
            "unexpected page at {current}"
        );
        let page = response.text().await.unwrap();
        let action = current.join(&form_action(&page)).unwrap();
        response = client
            .post(action.clone())
            .form(&[("username", username), ("password", password)])
            .send()
            .await
            .unwrap();
        current = action;
    }
    panic!("the sign-in did not come back to {REDIRECT_URI}");
}

fn form_action(page: &str) -> String {
    let start = page.find("action=\"").expect("the login page has a form") + "action=\"".len();
    page[start..].split('"').next().unwrap().to_owned()
}

fn callback_from(url: &Url) -> OidcCallback {
    let param = |name: &str| {
        url.query_pairs()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.into_owned())
    };
    OidcCallback {
        code: param("code"),
        state: param("state"),
        error: param("error"),
        error_description: param("error_description"),
        iss: param("iss"),
    }
}
