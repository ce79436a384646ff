//! Files on a record through its page: the upload form and the download
//! links it shows.

use cpms_testkit::client::Client;
use reqwest::multipart::{Form, Part};

/// Posts the record page's upload form.
pub async fn upload(
    client: &Client,
    record: &str,
    file_name: &str,
    mime: &str,
    bytes: Vec<u8>,
    keep_metadata: bool,
) -> reqwest::Response {
    let csrf = client.csrf("/").await;
    let file = Part::bytes(bytes)
        .file_name(file_name.to_owned())
        .mime_str(mime)
        .unwrap();
    let mut form = Form::new().part("file", file);
    if keep_metadata {
        form = form.text("keep_metadata", "on");
    }
    client
        .http
        .post(client.url(&format!("{record}/attachments?csrf={csrf}")))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

/// The download links on the record page, in order.
pub async fn download_links(client: &Client, record: &str) -> Vec<String> {
    let (_, page) = client.get_text(record).await;
    page.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|href| href.starts_with(&format!("{record}/attachments/")))
        .map(str::to_owned)
        .collect()
}
