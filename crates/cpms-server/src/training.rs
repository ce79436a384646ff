//! The training environment's credentials file. Passwords go to this file
//! (readable by the owner only) and nowhere else, never to the log.

use std::path::{Path, PathBuf};

use cpms_app::App;
use cpms_app::seed::TrainingCredential;

use crate::data_dir::write_private;
use crate::failure::{Failure, code};

pub fn csv_path(data_dir: &Path) -> PathBuf {
    data_dir.join("training-accounts.csv")
}

/// Creates missing training accounts. When the credentials file is missing
/// although accounts exist, every password is reset and the file rewritten,
/// so there is always a usable file.
pub async fn ensure_accounts(app: &App, data_dir: &Path) -> Result<(), Failure> {
    let path = csv_path(data_dir);
    let have_file = path.exists();
    let reset = !have_file && app.training_account_count().await? > 0;
    let issued = app.ensure_training_accounts(reset).await?;
    if issued.is_empty() {
        return Ok(());
    }
    let mut rows = if have_file && !reset {
        std::fs::read_to_string(&path).map_err(|e| write_failed(&path, e))?
    } else {
        "username,password,ern,role,hospital\n".to_owned()
    };
    for credential in &issued {
        rows.push_str(&csv_row(credential));
    }
    write_private(&path, rows.as_bytes()).map_err(|e| write_failed(&path, e))?;
    tracing::info!(accounts = issued.len(), file = %path.display(), "training account credentials written");
    Ok(())
}

fn write_failed(path: &Path, err: std::io::Error) -> Failure {
    Failure::new(
        code::DATA_DIR,
        format!("cannot write {}: {err}", path.display()),
    )
}

fn csv_row(c: &TrainingCredential) -> String {
    let fields = [
        c.username.as_str(),
        c.password.as_str(),
        c.ern.as_str(),
        c.role.as_str(),
        c.hospital.as_str(),
    ];
    let quoted: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
    format!("{}\n", quoted.join(","))
}

/// RFC 4180 quoting where needed.
fn csv_field(value: &str) -> String {
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_owned()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn fields_are_quoted_only_when_needed() {
        assert_eq!(super::csv_field("bond-hp1"), "bond-hp1");
        assert_eq!(super::csv_field("a,b"), "\"a,b\"");
        assert_eq!(super::csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
    }
}
