//! Finishing what crashed or failed uploads left: every blob an upload
//! journaled and never indexed is deleted, then its journal rows. Run at
//! start-up and every few minutes by the server; an upload still running
//! (here or on another instance) touches its journal entry at every batch,
//! so only entries idle for longer than `idle` are taken.

use cpms_store::repo::imaging as repo;

use crate::{App, AppError};

impl App {
    /// Sweeps uploads idle for longer than `idle`; returns how many.
    pub async fn sweep_imaging_uploads(
        &self,
        idle: jiff::SignedDuration,
    ) -> Result<usize, AppError> {
        let cutoff = self.now().checked_sub(idle).map_err(AppError::internal)?;
        let mut conn = self.store().read().await?;
        let stale = repo::stale_uploads(&mut conn, cutoff).await?;
        drop(conn);
        for upload in &stale {
            self.abandon_upload(upload).await?;
        }
        if !stale.is_empty() {
            tracing::info!(uploads = stale.len(), "swept unfinished imaging uploads");
        }
        Ok(stale.len())
    }
}
