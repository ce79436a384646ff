/// One configuration key: its TOML path, default, and what it means. The
/// environment variable is `CPMS_` + the path upper-cased with `.` → `_`.
#[derive(Debug, Clone, Copy)]
pub struct Setting {
    pub key: &'static str,
    pub default: Option<&'static str>,
    pub help: &'static str,
    /// Shown as `***` by `cpms config check`.
    pub secret: bool,
}

const fn s(key: &'static str, default: Option<&'static str>, help: &'static str) -> Setting {
    Setting {
        key,
        default,
        help,
        secret: false,
    }
}

const fn secret(key: &'static str, help: &'static str) -> Setting {
    Setting {
        key,
        default: None,
        help,
        secret: true,
    }
}

/// Every key the server understands. An unknown key in the file or an
/// unknown `CPMS_*` variable is an error, so typos are caught.
pub const SETTINGS: &[Setting] = &[
    s(
        "listen",
        Some("127.0.0.1:8080"),
        "Address and port to serve HTTP on.",
    ),
    s(
        "data_dir",
        Some("./cpms-data"),
        "Directory for the embedded database, files and generated keys.",
    ),
    secret(
        "database_url",
        "postgres://USER:PASSWORD@HOST/DB for PostgreSQL; unset: SQLite file in the data directory.",
    ),
    s(
        "database.max_connections",
        Some("10"),
        "Connections in the database pool.",
    ),
    s(
        "training",
        Some("false"),
        "Training environment: synthetic hospitals and accounts, banner on every page.",
    ),
    s(
        "public_url",
        None,
        "URL users reach the server at (https://… enables Secure cookies and HSTS).",
    ),
    s(
        "trust_forwarded_for",
        Some("false"),
        "Take the client address from X-Forwarded-For (only behind a proxy that sets it).",
    ),
    s(
        "log.format",
        Some("human"),
        "Log line format: human or json.",
    ),
    s(
        "log.level",
        Some("info"),
        "Log level or filter, e.g. info, debug, cpms_web=debug.",
    ),
    s(
        "session.idle_timeout",
        Some("30m"),
        "Sign out after this long without activity (s, m, h, d).",
    ),
    s(
        "session.absolute_timeout",
        Some("12h"),
        "Sign out this long after sign-in, whatever the activity.",
    ),
    secret(
        "secret_key",
        "64 hex digits shared by all instances; unset: generated once into <data_dir>/secret.key.",
    ),
    secret(
        "identity_keys",
        "Keys sealing patients' identifying fields: 64 hex digits each, comma-separated, oldest first (the last seals); unset: generated once into <data_dir>/identity.keys.",
    ),
    s(
        "password_hashing",
        Some("standard"),
        "Argon2id cost: standard, or fast (training environment only).",
    ),
    s(
        "guest.membership_period",
        Some("90d"),
        "How long a guest membership lasts after approval or extension.",
    ),
    s(
        "smtp.host",
        None,
        "SMTP server for outgoing mail; unset: mail waits in the outbox.",
    ),
    s("smtp.port", Some("25"), "SMTP server port."),
    s(
        "smtp.from",
        Some("ERN-CPMS <noreply@localhost>"),
        "Sender address of outgoing mail.",
    ),
    s(
        "smtp.tls",
        Some("none"),
        "TLS to the SMTP server: none (use a local relay that forwards over TLS).",
    ),
    s(
        "sign_in.burst",
        Some("10"),
        "Sign-in attempts a client address may make in a row, then one every 6 s; second-step codes get half as many, then one every 12 s (TOTP) or 60 s (recovery codes).",
    ),
    s(
        "oidc.issuer",
        None,
        "Issuer URL of the OpenID provider people may sign in with (EU Login); unset: password sign-in only.",
    ),
    s(
        "oidc.client_id",
        None,
        "Client id registered with the OpenID provider (required with oidc.issuer).",
    ),
    secret(
        "oidc.client_secret",
        "Client secret for the OpenID provider; unset: a public client (PKCE only).",
    ),
    s(
        "oidc.redirect_url",
        None,
        "Callback URL registered with the provider; default <public_url>/signin/oidc/callback.",
    ),
    s(
        "oidc.required_acr",
        None,
        "Comma-separated acr values of which the provider must report one (e.g. EU Login's level with a second factor).",
    ),
    s(
        "oidc.required_amr",
        None,
        "Comma-separated amr values (e.g. mfa, otp, hwk) of which the ID token must list one.",
    ),
    s(
        "oidc.display_name",
        Some("EU Login"),
        "The provider's name on the sign-in button.",
    ),
    s(
        "case_templates",
        None,
        "TOML file of per-ERN case template fields, read and checked at start-up; unset: no template fields.",
    ),
    s(
        "attachments.max_size_mib",
        Some("20"),
        "Largest file (MiB) that can be attached to a record; kept encrypted in <data_dir>/attachments.",
    ),
    s(
        "erasure.clinical_data",
        Some("delete"),
        "What erasing a patient does with the clinical record: delete, or anonymise (keep coded entries without free text).",
    ),
    s(
        "meetings.video_link_template",
        Some("https://meet.example.org/ern-cpms-{panel}-{meeting}"),
        "Video-conference link of a panel meeting: an https URL where {panel} and {meeting} are replaced by the panel's reference and the meeting's id.",
    ),
    s(
        "imaging.uid_key",
        None,
        "64 hex digits: key of the DICOM UID replacement (mixed with each patient's id); unset: derived from secret_key. Changing it gives re-uploaded studies new UIDs.",
    ),
    s(
        "imaging.retain_dates",
        Some("false"),
        "Retain longitudinal temporal information: shift DICOM dates by a per-patient number of days instead of removing them.",
    ),
    s(
        "imaging.retain_device_identity",
        Some("false"),
        "Keep device identity (station name, serial numbers) in de-identified DICOM.",
    ),
    s(
        "imaging.max_files",
        Some("20000"),
        "Most files (loose or inside zip archives) in one study upload.",
    ),
    s(
        "imaging.max_upload_mib",
        Some("8192"),
        "Largest study upload (MiB), after decompression.",
    ),
    s(
        "imaging.max_file_mib",
        Some("1024"),
        "Largest single DICOM file (MiB).",
    ),
    s(
        "imaging.max_pixel_mib",
        Some("2048"),
        "Largest decoded pixel data of one instance (MiB): rows × columns × frames × samples × bytes per sample.",
    ),
    s(
        "imaging.zip_max_ratio",
        Some("200"),
        "Largest decompressed-to-compressed ratio of a zip entry over 1 MiB (zip bombs).",
    ),
];

/// The environment variable of a key.
pub fn env_name(key: &str) -> String {
    format!("CPMS_{}", key.to_ascii_uppercase().replace('.', "_"))
}

pub fn find(key: &str) -> Option<&'static Setting> {
    SETTINGS.iter().find(|s| s.key == key)
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn keys_and_environment_names_are_unique() {
        let keys: HashSet<_> = SETTINGS.iter().map(|s| s.key).collect();
        let envs: HashSet<_> = SETTINGS.iter().map(|s| env_name(s.key)).collect();
        assert_eq!(keys.len(), SETTINGS.len());
        assert_eq!(envs.len(), SETTINGS.len());
        assert_eq!(
            env_name("session.idle_timeout"),
            "CPMS_SESSION_IDLE_TIMEOUT"
        );
        assert_eq!(env_name("database_url"), "CPMS_DATABASE_URL");
    }
}
