//! Runs `cargo check --lib --message-format=json` on a crate: rustc with
//! the real `#[dual]` proc macro, as a user's build runs it. Collects the
//! crate's errors, errors of other packages (a broken `twoworlds` build),
//! the crate's enabled features and its dep-info (the files rustc read).

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::diag::{self, Diag};

/// What one `cargo check` said.
#[derive(Debug, Default)]
pub(crate) struct Check {
    /// Errors in the checked crate.
    pub(crate) ours: Vec<Diag>,
    /// Rendered errors of other packages (then the figures mean nothing).
    pub(crate) foreign: Vec<String>,
    /// The checked crate's enabled features.
    pub(crate) features: Vec<String>,
    /// The checked crate's `.rmeta` (its dep-info file lies beside it).
    pub(crate) rmeta: Option<PathBuf>,
    /// Whether cargo succeeded.
    pub(crate) success: bool,
    /// The end of cargo's stderr, for when it failed for another reason.
    pub(crate) stderr_tail: String,
}

/// Runs `cargo check` on the crate of `manifest` with `target_dir`.
pub(crate) fn cargo_check(manifest: &Path, target_dir: &Path) -> Result<Check, String> {
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
        .args(["check", "--lib", "--message-format=json", "--manifest-path"])
        .arg(manifest)
        .env("CARGO_TARGET_DIR", target_dir)
        .env("CARGO_TERM_COLOR", "never")
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let ours_manifest = manifest.to_string_lossy();
    let mut check = Check { success: output.status.success(), ..Check::default() };
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        if let Some((manifest, diag)) = diag::parse_line(line) {
            if manifest == ours_manifest {
                check.ours.push(diag);
            } else {
                check.foreign.push(diag.rendered);
            }
            continue;
        }
        let Ok(value) = serde_json::from_str::<Value>(line) else { continue };
        if value["reason"] == "compiler-artifact" && value["manifest_path"] == *ours_manifest {
            let strings = |v: &Value| -> Vec<String> {
                v.as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|s| s.as_str().map(str::to_owned))
                    .collect()
            };
            check.features = strings(&value["features"]);
            check.rmeta = strings(&value["filenames"])
                .into_iter()
                .find(|f| Path::new(f).extension().is_some_and(|e| e == "rmeta"))
                .map(PathBuf::from);
        }
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    check.stderr_tail = lines[lines.len().saturating_sub(30)..].join("\n");
    Ok(check)
}

/// The dep-info file rustc wrote beside `rmeta` (`deps/libx-HASH.rmeta` →
/// `deps/x-HASH.d`).
pub(crate) fn dep_info_path(rmeta: &Path) -> Option<PathBuf> {
    let stem = rmeta.file_stem()?.to_str()?;
    Some(rmeta.with_file_name(format!("{}.d", stem.strip_prefix("lib").unwrap_or(stem))))
}

/// The `.rs` files of the crate at `crate_dir` listed in dep-info `text`, as
/// paths relative to `crate_dir`, sorted, without duplicates.
pub(crate) fn dep_info_sources(text: &str, crate_dir: &Path) -> Vec<String> {
    let mut files = Vec::new();
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let Some((_, deps)) =
            line.split_once(": ").or_else(|| line.strip_suffix(':').map(|t| (t, "")))
        else {
            continue;
        };
        // Paths are separated by spaces; a space inside a path is `\ `.
        let deps = deps.replace("\\ ", "\u{0}");
        for dep in deps.split_whitespace().map(|d| d.replace('\u{0}', " ")) {
            let path = Path::new(&dep);
            let relative =
                if path.is_absolute() { path.strip_prefix(crate_dir).ok() } else { Some(path) };
            if let Some(rel) = relative.filter(|p| p.extension().is_some_and(|e| e == "rs")) {
                files.push(rel.to_string_lossy().into_owned());
            }
        }
    }
    files.sort();
    files.dedup();
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dep_info_path_beside_rmeta() {
        let d = dep_info_path(Path::new("/t/debug/deps/libbb8-0a1b.rmeta")).unwrap();
        assert_eq!(d, Path::new("/t/debug/deps/bb8-0a1b.d"));
    }

    #[test]
    fn dep_info_lists_the_crates_rs_files() {
        let text = "/t/deps/x-1.d: src/lib.rs /w/x/src/api.rs /reg/dep/src/lib.rs src/my\\ file.rs README.md\n\
                    \nsrc/lib.rs:\n/w/x/src/api.rs:\n# env-dep:CARGO_PKG_NAME=x\n";
        assert_eq!(
            dep_info_sources(text, Path::new("/w/x")),
            ["src/api.rs", "src/lib.rs", "src/my file.rs"]
        );
    }
}
