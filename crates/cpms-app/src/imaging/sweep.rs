//! Finishing what crashed or failed uploads left: every blob an upload
//! journaled and never indexed is deleted, then its journal rows, and
//! upload folders left in the staging directory are removed. Run at
//! start-up and every few minutes by the server; an upload still running
//! (here or on another instance) touches its journal entry at every batch,
//! so only entries idle for longer than `idle` are taken.

use std::path::Path;
use std::time::{Duration, SystemTime};

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
        let dir = self.settings().imaging.staging_dir.clone();
        let idle = std::time::Duration::try_from(idle).map_err(AppError::internal)?;
        tokio::task::spawn_blocking(move || remove_idle_folders(&dir, idle))
            .await
            .map_err(AppError::internal)??;
        Ok(stale.len())
    }
}

/// Removes upload folders in which nothing was written for `idle`: their
/// request ended without cleaning up (a crash), and the raw files in them
/// still carry identity.
fn remove_idle_folders(dir: &Path, idle: Duration) -> Result<(), AppError> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(AppError::internal(e)),
    };
    for entry in entries {
        let path = entry.map_err(AppError::internal)?.path();
        if last_write(&path).is_some_and(|at| at.elapsed().unwrap_or_default() > idle) {
            std::fs::remove_dir_all(&path).map_err(AppError::internal)?;
        }
    }
    Ok(())
}

/// The newest modification time of a folder and the files in it.
fn last_write(folder: &Path) -> Option<SystemTime> {
    let own = std::fs::metadata(folder).and_then(|m| m.modified()).ok()?;
    let files = std::fs::read_dir(folder).ok()?;
    Some(
        files
            .filter_map(|f| f.ok()?.metadata().ok()?.modified().ok())
            .fold(own, SystemTime::max),
    )
}
