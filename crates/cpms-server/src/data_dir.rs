//! The data directory: created if missing, checked for writing, and home of
//! the generated secret key.

use std::io::Write;
use std::path::Path;

use rand::RngCore;

use crate::failure::{Failure, code};

const SECRET_FILE: &str = "secret.key";
const IDENTITY_KEYS_FILE: &str = "identity.keys";

/// Creates the directory if needed and proves it is writable.
pub fn prepare(dir: &Path) -> Result<(), Failure> {
    let fail = |what: &str, err: std::io::Error| {
        Failure::new(
            code::DATA_DIR,
            format!(
                "data directory {} (data_dir) is not usable: {what}: {err}",
                dir.display()
            ),
        )
    };
    if !dir.exists() {
        // The directory holds the database and keys: owner only.
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .map_err(|e| fail("cannot create it", e))?;
    }
    let probe = dir.join(".cpms-write-check");
    std::fs::write(&probe, b"ok").map_err(|e| fail("cannot write in it", e))?;
    std::fs::remove_file(&probe).map_err(|e| fail("cannot remove a file in it", e))?;
    std::fs::create_dir_all(dir.join("files"))
        .map_err(|e| fail("cannot create files/ in it", e))?;
    Ok(())
}

/// The configured key, or the one generated into the data directory on
/// first start (readable by the owner only).
pub fn secret_key(dir: &Path, configured: Option<[u8; 32]>) -> Result<[u8; 32], Failure> {
    if let Some(key) = configured {
        return Ok(key);
    }
    let path = dir.join(SECRET_FILE);
    let fail = |err: String| {
        Failure::new(
            code::DATA_DIR,
            format!("secret key {}: {err}", path.display()),
        )
    };
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            let bytes = hex::decode(text.trim())
                .map_err(|_| fail("is not 64 hexadecimal digits".into()))?;
            bytes
                .try_into()
                .map_err(|_| fail("is not 64 hexadecimal digits".into()))
        }
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            let mut key = [0u8; 32];
            rand::rngs::OsRng.fill_bytes(&mut key);
            write_private(&path, hex::encode(key).as_bytes()).map_err(|e| fail(e.to_string()))?;
            Ok(key)
        }
        Err(err) => Err(fail(err.to_string())),
    }
}

/// The configured identity keys, or the ring kept in the data directory
/// (one key per line, oldest first), created with one key on first start.
pub fn identity_keys(
    dir: &Path,
    configured: Option<&[[u8; 32]]>,
) -> Result<Vec<[u8; 32]>, Failure> {
    if let Some(keys) = configured {
        return Ok(keys.to_vec());
    }
    let path = dir.join(IDENTITY_KEYS_FILE);
    let fail = |err: String| {
        Failure::new(
            code::DATA_DIR,
            format!("identity keys {}: {err}", path.display()),
        )
    };
    match std::fs::read_to_string(&path) {
        Ok(text) => text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|line| {
                hex::decode(line.trim())
                    .ok()
                    .and_then(|b| <[u8; 32]>::try_from(b).ok())
                    .ok_or_else(|| fail("each line must be 64 hexadecimal digits".into()))
            })
            .collect(),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            let mut key = [0u8; 32];
            rand::rngs::OsRng.fill_bytes(&mut key);
            write_private(&path, format!("{}\n", hex::encode(key)).as_bytes())
                .map_err(|e| fail(e.to_string()))?;
            Ok(vec![key])
        }
        Err(err) => Err(fail(err.to_string())),
    }
}

/// Writes a file only its owner can read.
pub fn write_private(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(contents)?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_where_the_directory_should_be_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("plain-file");
        std::fs::write(&file, b"x").unwrap();
        let err = prepare(&file.join("data")).unwrap_err();
        assert_eq!(err.code, code::DATA_DIR);
        assert!(
            err.message.contains("(data_dir) is not usable"),
            "{}",
            err.message
        );
    }

    #[test]
    fn a_new_data_directory_is_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("new/cpms-data");
        prepare(&data).unwrap();
        let mode = std::fs::metadata(&data).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "no access for group or others: {mode:o}");
    }

    #[test]
    fn the_generated_key_is_kept_and_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let first = secret_key(dir.path(), None).unwrap();
        assert_eq!(secret_key(dir.path(), None).unwrap(), first);
        let mode = std::fs::metadata(dir.path().join(SECRET_FILE))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "no access for group or others");
        assert_eq!(secret_key(dir.path(), Some([1; 32])).unwrap(), [1; 32]);
    }
}
