//! The expert profile page and the expert directory over HTTP, on both
//! engines: only people with a profile appear; filters by network, area,
//! profession and country; free text ranks the focus text above thematic
//! areas; the same search as JSON under /api/v1/experts.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use cpms_testkit::client::Client;
use cpms_testkit::server::TestServer;
use cpms_testkit::{Engine, both_engines};
use serde_json::Value;

async fn signed_in(server: &TestServer, username: &str) -> Client {
    let client = Client::new(&server.url(""));
    let password = server.training_password(username);
    let response = client.sign_in(username, &password).await;
    assert!(response.status().is_redirection(), "{}", response.status());
    client
}

/// The id of the thematic area the profile form offers under `name`.
fn area_id(page: &str, name: &str) -> String {
    page.split("name=\"areas\" value=\"")
        .skip(1)
        .find(|rest| {
            let label = rest.split("</label>").next().unwrap_or_default();
            label.contains(&format!("ERN-RND · {name}"))
        })
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("no area {name} offered"))
        .to_owned()
}

async fn save(client: &Client, fields: &[(&str, &str)]) -> String {
    let response = client
        .post_form("/account/profile", "/account/profile", fields)
        .await;
    assert_eq!(response.status(), 200);
    response.text().await.unwrap()
}

async fn api(client: &Client, query: &str) -> (u16, Value) {
    let response = client.get(&format!("/api/v1/experts{query}")).await;
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

fn names(experts: &Value) -> Vec<String> {
    experts
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap().to_owned())
        .collect()
}

async fn display_name(client: &Client) -> String {
    let me: Value = client.get("/api/v1/me").await.json().await.unwrap();
    me["name"].as_str().unwrap().to_owned()
}

async fn profiles_and_directory(engine: Engine) {
    let server = TestServer::training(engine).await;
    let first = signed_in(&server, "ern-rnd-hp1").await;
    let second = signed_in(&server, "ern-rnd-hp2").await;
    let (first_name, second_name) = (display_name(&first).await, display_name(&second).await);

    // Without a profile nobody is listed, and the page says why.
    let (status, page) = first.get_text("/account/profile").await;
    assert_eq!(status, 200);
    assert!(
        page.contains("You are not in the expert directory yet"),
        "{page}"
    );
    let (_, empty) = first.get_text("/experts").await;
    assert!(empty.contains("No experts match"), "{empty}");

    let ataxias = area_id(&page, "Cerebellar ataxias");
    let general = area_id(&page, "General");
    let bad = save(
        &first,
        &[
            ("cares_for", "adult"),
            ("profession", "no-such-profession"),
            ("specialist_in", "Spinocerebellar ataxias"),
        ],
    )
    .await;
    assert!(
        bad.contains("Profession: choose one from the list."),
        "{bad}"
    );
    let (_, empty) = first.get_text("/experts").await;
    assert!(
        empty.contains("No experts match"),
        "a refused profile is not saved"
    );

    // The profession codes the form offers.
    let select = page.split("id=\"profession\"").nth(1).unwrap();
    let professions: Vec<String> = select
        .split("</select>")
        .next()
        .unwrap()
        .split("<option value=\"")
        .skip(2)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_owned)
        .collect();
    let saved = save(
        &first,
        &[
            ("cares_for", "adult"),
            ("profession", professions[0].as_str()),
            ("areas", general.as_str()),
            ("specialist_in", "Spinocerebellar ataxias in adults"),
        ],
    )
    .await;
    assert!(saved.contains("Saved. You are listed"), "{saved}");
    assert!(saved.contains("Spinocerebellar ataxias in adults"));
    save(
        &second,
        &[
            ("cares_for", "paediatric"),
            ("profession", professions[1].as_str()),
            ("areas", ataxias.as_str()),
            ("specialist_in", "Early-onset dystonia"),
        ],
    )
    .await;

    // Free text: the focus text outranks an area; non-matches are left out.
    let (_, page) = first.get_text("/experts?q=ataxias").await;
    let at = |name: &str| {
        page.find(name)
            .unwrap_or_else(|| panic!("{name} missing: {page}"))
    };
    assert!(at(&first_name) < at(&second_name), "best match first");
    let (status, found) = api(&first, "?q=ataxias").await;
    assert_eq!(status, 200);
    assert_eq!(names(&found), [first_name.as_str(), second_name.as_str()]);
    assert!(found[0]["score"].as_u64() > found[1]["score"].as_u64());
    let (_, dystonia) = api(&first, "?q=dystonia").await;
    assert_eq!(names(&dystonia), [second_name.as_str()]);

    // Filters: area (sub-areas included), profession, network, country.
    let (_, by_area) = api(&first, &format!("?area={ataxias}")).await;
    assert_eq!(names(&by_area), [second_name.as_str()]);
    let (_, by_profession) = api(&first, &format!("?profession={}", professions[0])).await;
    assert_eq!(names(&by_profession), [first_name.as_str()]);
    let (_, by_ern) = api(&first, "?ern=ERN-RND").await;
    assert_eq!(by_ern.as_array().unwrap().len(), 2, "{by_ern}");
    let (_, elsewhere) = api(&first, "?ern=ERN-EURO-NMD").await;
    assert!(elsewhere.as_array().unwrap().is_empty(), "{elsewhere}");
    let country = found[0]["places"][0]["country"]
        .as_str()
        .unwrap()
        .to_owned();
    let (_, by_country) = api(&first, &format!("?country={country}")).await;
    let listed = names(&by_country);
    assert!(listed.contains(&first_name));
    let second_country = found[1]["places"][0]["country"].as_str().unwrap();
    assert_eq!(listed.contains(&second_name), second_country == country);

    // A filter naming nothing real is a clear error.
    let (status, problem) = api(&first, "?ern=not a network").await;
    assert_eq!(status, 422);
    assert!(
        problem["detail"].as_str().unwrap().contains("Network"),
        "{problem}"
    );
    let (_, page) = first.get_text("/experts?area=nonsense").await;
    assert!(
        page.contains("Thematic area: choose an area from the list."),
        "{page}"
    );

    // Not signed in: no directory.
    let anonymous = Client::new(&server.url(""));
    let (status, _) = api(&anonymous, "").await;
    assert_eq!(status, 401);

    server.stop().await;
}

both_engines!(profiles_and_directory);
