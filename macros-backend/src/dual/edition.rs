//! The edition of the crate `#[dual]` is used in, read from its manifest.
//!
//! Tokens a proc macro re-spans take the edition of the macro crate (2024),
//! and editions change what code means: [`super::respan`] re-spans a fn
//! form's twin only in a crate of that edition.

/// The edition the macro crates are written in: that of every re-spanned
/// token.
const MACRO_EDITION: &str = "2024";

/// Whether the crate being compiled (the one `#[dual]` is used in) is of
/// [`MACRO_EDITION`], read from its manifest (cargo sets
/// `CARGO_MANIFEST_DIR` for it); `false` when that cannot be told. Kept per
/// manifest directory: a process that expands for several crates (an IDE's
/// proc-macro server) must not reuse another crate's answer.
pub(super) fn same_edition() -> bool {
    type Seen = Option<(std::ffi::OsString, bool)>;
    static LAST: std::sync::Mutex<Seen> = std::sync::Mutex::new(None);
    let Some(dir) = std::env::var_os("CARGO_MANIFEST_DIR") else { return false };
    let mut last = LAST.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some((seen, same)) = &*last
        && *seen == dir
    {
        return *same;
    }
    let same = crate_edition(std::path::Path::new(&dir)).is_some_and(|e| e == MACRO_EDITION);
    *last = Some((dir, same));
    same
}

/// The edition of the package whose manifest is in `dir`: its `[package]`
/// `edition`, the workspace's (`edition.workspace = true`), or 2015 when
/// unset. Read line by line for this one key: a TOML parser in the proc
/// macro's dependencies would lengthen every user's build. `None` for a
/// manifest this does not understand.
fn crate_edition(dir: &std::path::Path) -> Option<String> {
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).ok()?;
    match key_in(&manifest, "package", "edition") {
        None => Some("2015".to_owned()),
        Some(Edition::Written(edition)) => Some(edition),
        Some(Edition::FromWorkspace) => dir.ancestors().skip(1).find_map(|parent| {
            let root = std::fs::read_to_string(parent.join("Cargo.toml")).ok()?;
            match key_in(&root, "workspace.package", "edition")? {
                Edition::Written(edition) => Some(edition),
                Edition::FromWorkspace => None,
            }
        }),
    }
}

/// What a manifest says of a package's edition.
enum Edition {
    /// `edition = "2021"`.
    Written(String),
    /// `edition.workspace = true` / `edition = { workspace = true }`.
    FromWorkspace,
}

/// The value of `key` in `[section]` of `manifest`.
fn key_in(manifest: &str, section: &str, key: &str) -> Option<Edition> {
    let mut current = "";
    for line in manifest.lines().map(str::trim) {
        if let Some(header) = line.strip_prefix('[') {
            current = header.trim_end_matches(']').trim();
            continue;
        }
        let Some((name, value)) = line.split_once('=') else { continue };
        let (name, value) = (name.trim(), value.split('#').next().unwrap_or("").trim());
        if current != section || !(name == key || name == format!("{key}.workspace")) {
            continue;
        }
        if name != key || value.contains("workspace") {
            return Some(Edition::FromWorkspace);
        }
        return Some(Edition::Written(value.trim_matches(['"', '\'']).to_owned()));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editions_are_read_from_the_package_or_its_workspace() {
        let written = "[package]\nname = \"a\"\nedition = '2021' # old\n[dependencies]\n";
        assert!(
            matches!(key_in(written, "package", "edition"), Some(Edition::Written(e)) if e == "2021")
        );
        for inherited in
            ["[package]\nedition.workspace = true\n", "[package]\nedition = { workspace = true }\n"]
        {
            assert!(matches!(
                key_in(inherited, "package", "edition"),
                Some(Edition::FromWorkspace)
            ));
        }
        let elsewhere = "[package]\nname = \"a\"\n[workspace.package]\nedition = \"2024\"\n";
        assert!(key_in(elsewhere, "package", "edition").is_none());
        assert!(
            matches!(key_in(elsewhere, "workspace.package", "edition"), Some(Edition::Written(e)) if e == "2024")
        );
        // This crate: edition.workspace = true, the workspace's 2024.
        let here = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        assert_eq!(crate_edition(here).as_deref(), Some(MACRO_EDITION));
    }
}
