//! The README's configuration table lists every key the server knows, with
//! its environment variable.

#[test]
fn readme_documents_every_setting() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md"))
        .expect("README.md");
    for setting in cpms_server::config::SETTINGS {
        let env = format!(
            "CPMS_{}",
            setting.key.to_ascii_uppercase().replace('.', "_")
        );
        let row = format!("| `{}` | `{env}` |", setting.key);
        assert!(
            readme.contains(&row),
            "README lacks the row for {}",
            setting.key
        );
    }
}
