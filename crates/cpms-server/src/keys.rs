//! `cpms keys rotate`: after a new key is appended to the identity key
//! ring, re-seal every patient's identity under it, so the old key can
//! then be retired.

use cpms_app::patients::RotationError;

use crate::config::Config;
use crate::failure::{Failure, code};
use crate::offline::open_app;

pub async fn rotate(config: &Config) -> Result<(), Failure> {
    let app = open_app(config).await?;
    let outcome = app.rotate_identity_keys().await;
    app.store().close().await;
    match outcome {
        Ok(rotation) => {
            println!(
                "re-sealed {} of {} patient identities under key {}",
                rotation.resealed, rotation.checked, rotation.key_id
            );
            println!(
                "re-sealed {} attachment names and re-encrypted {} blobs of {} attachments",
                rotation.names_resealed, rotation.blobs_reencrypted, rotation.attachments_checked
            );
            Ok(())
        }
        Err(RotationError::Unopenable { patient, cause }) => Err(Failure::new(
            code::KEYS,
            format!(
                "patient {patient}: {}; add the key that sealed it back to identity_keys \
                 (oldest first) and run again",
                cause.message
            ),
        )),
        Err(RotationError::Other(err)) => Err(err.into()),
    }
}
