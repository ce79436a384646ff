//! The application without the web server, for commands that work on the
//! data directly (`keys rotate`, `demo patients`): same configuration,
//! same data directory, same keys and database checks as `serve`.

use std::sync::Arc;

use cpms_app::{App, SystemClock};

use crate::config::Config;
use crate::failure::{Failure, code};
use crate::{data_dir, serve};

pub async fn open_app(config: &Config) -> Result<App, Failure> {
    data_dir::prepare(&config.data_dir)?;
    let identity_keys = data_dir::identity_keys(&config.data_dir, config.identity_keys.as_deref())?;
    if identity_keys.is_empty() {
        return Err(Failure::new(
            code::KEYS,
            "no identity key: identity_keys is empty (or the data directory's identity.keys has no line)",
        ));
    }
    let secret = data_dir::secret_key(&config.data_dir, config.secret_key)?;
    let store = serve::open_store(config).await?;
    App::new(
        store,
        Arc::new(SystemClock),
        // Offline commands serve no browser: the origin is that of `listen`.
        serve::app_settings(config, identity_keys, &secret, config.listen),
    )
    .map_err(Failure::from)
}
