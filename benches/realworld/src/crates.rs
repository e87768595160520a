//! The crates measured, at pinned versions, and how their sources get here:
//! cargo downloads each through a throwaway crate that depends on it
//! (`cargo metadata` names the unpacked source in cargo's registry cache);
//! the source is copied to a work directory and its manifest gets a
//! `twoworlds` path dependency and an empty `[workspace]` (so the copy is its
//! own workspace wherever it lies). Nothing is vendored in the repository;
//! only each crate's `Cargo.lock` is (`locks/`), so that its dependencies do
//! not move under the figures (nor past the toolchain) with new releases.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// A crates.io crate at a pinned version.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Pinned {
    /// Its crates.io name.
    pub(crate) name: &'static str,
    /// Its exact version.
    pub(crate) version: &'static str,
    /// Part of the short form (`--short`).
    pub(crate) short: bool,
}

/// The crates of the full form. bb8, tokio-postgres and async-imap are those
/// of the field reports; deadpool and mobc are two more pools, small, async
/// throughout and free of system libraries.
pub(crate) const CRATES: &[Pinned] = &[
    Pinned { name: "bb8", version: "0.9.1", short: true },
    Pinned { name: "deadpool", version: "0.13.1", short: true },
    Pinned { name: "mobc", version: "0.9.0", short: false },
    Pinned { name: "async-imap", version: "0.10.4", short: false },
    Pinned { name: "tokio-postgres", version: "0.7.18", short: false },
];

/// A crate's pristine source: a pinned crate in cargo's registry cache, or a
/// local crate given with `--path`.
#[derive(Debug, Clone)]
pub(crate) struct Source {
    /// Package name.
    pub(crate) name: String,
    /// Package version.
    pub(crate) version: String,
    /// The directory of its `Cargo.toml` (never written to).
    pub(crate) dir: PathBuf,
    /// Its committed lock file (`locks/<name>-<version>.lock`), for pinned
    /// crates: the whole dependency graph pinned too.
    pub(crate) lock: Option<PathBuf>,
}

impl Source {
    /// `name-version`, the name of its work directory.
    pub(crate) fn dir_name(&self) -> String {
        format!("{}-{}", self.name, self.version)
    }
}

/// The package of the manifest in `dir`, from `cargo metadata --no-deps`.
pub(crate) fn local(dir: &Path) -> Result<Source, String> {
    let metadata = cargo_metadata(&dir.join("Cargo.toml"), &["--no-deps"])?;
    let package = &metadata["packages"][0];
    let text = |key: &str| {
        package[key].as_str().map(str::to_owned).ok_or(format!("no {key} in {}", dir.display()))
    };
    let dir = dir.canonicalize().map_err(|e| format!("{}: {e}", dir.display()))?;
    Ok(Source { name: text("name")?, version: text("version")?, dir, lock: None })
}

/// `cargo metadata --format-version 1` of `manifest`, with `extra` arguments.
fn cargo_metadata(manifest: &Path, extra: &[&str]) -> Result<Value, String> {
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
        .args(["metadata", "--format-version", "1", "--manifest-path"])
        .arg(manifest)
        .args(extra)
        .output()
        .map_err(|e| format!("cannot run cargo metadata: {e}"))?;
    if !output.status.success() {
        return Err(format!("cargo metadata failed:\n{}", String::from_utf8_lossy(&output.stderr)));
    }
    serde_json::from_slice(&output.stdout).map_err(|e| e.to_string())
}

/// Has cargo download `krate` (through a throwaway crate under `work`) and
/// returns its unpacked source in cargo's registry cache.
pub(crate) fn fetch(krate: &Pinned, work: &Path) -> Result<Source, String> {
    let dir = work.join(format!("fetch-{}-{}", krate.name, krate.version));
    fs::create_dir_all(dir.join("src")).map_err(|e| format!("{}: {e}", dir.display()))?;
    let manifest = format!(
        "[package]\nname = \"fetch\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dependencies]\n{} = \"={}\"\n\n[workspace]\n",
        krate.name, krate.version
    );
    write(&dir.join("Cargo.toml"), &manifest)?;
    write(&dir.join("src/lib.rs"), "")?;
    let metadata = cargo_metadata(&dir.join("Cargo.toml"), &[])?;
    let dir = metadata["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|p| p["name"] == krate.name && p["version"] == krate.version)
        .and_then(|p| p["manifest_path"].as_str())
        .and_then(|m| Path::new(m).parent().map(Path::to_path_buf))
        .ok_or_else(|| {
            format!("{} {} is not in cargo metadata's output", krate.name, krate.version)
        })?;
    let lock = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(format!("locks/{}-{}.lock", krate.name, krate.version));
    Ok(Source {
        name: krate.name.to_owned(),
        version: krate.version.to_owned(),
        dir,
        lock: Some(lock),
    })
}

/// Copies the pristine source of `krate` to `to` (replacing it), adds the
/// `twoworlds` dependency at `twoworlds` and a `[workspace]` to the copy's
/// manifest, and puts the committed lock file in, if there is one. Returns
/// the copy's manifest path.
pub(crate) fn prepare(krate: &Source, to: &Path, twoworlds: &Path) -> Result<PathBuf, String> {
    if to.exists() {
        fs::remove_dir_all(to).map_err(|e| format!("{}: {e}", to.display()))?;
    }
    copy_tree(&krate.dir, to)?;
    let manifest = to.join("Cargo.toml");
    let text = fs::read_to_string(&manifest).map_err(|e| format!("{}: {e}", manifest.display()))?;
    write(&manifest, &patch_manifest(&text, twoworlds))?;
    if let Some(lock) = krate.lock.as_ref().filter(|l| l.exists()) {
        fs::copy(lock, to.join("Cargo.lock")).map_err(|e| format!("{}: {e}", lock.display()))?;
    }
    Ok(manifest)
}

/// After a successful check of the copy at `dir`: saves its `Cargo.lock` as
/// the committed lock of `krate` when there is none yet (the first run
/// pins the graph; delete the file to re-resolve).
pub(crate) fn keep_lock(krate: &Source, dir: &Path) -> Result<(), String> {
    let Some(lock) = krate.lock.as_ref().filter(|l| !l.exists()) else { return Ok(()) };
    fs::create_dir_all(lock.parent().unwrap_or(dir)).map_err(|e| e.to_string())?;
    fs::copy(dir.join("Cargo.lock"), lock).map_err(|e| format!("{}: {e}", lock.display()))?;
    eprintln!("   wrote {} (commit it)", lock.display());
    Ok(())
}

/// `manifest` with a `twoworlds` path dependency and an empty `[workspace]`
/// appended. crates.io manifests are normalized (one `[dependencies.x]`
/// table per dependency, no `[workspace]`), so appending two tables is valid
/// TOML and leaves the crate's own features and defaults as they are.
pub(crate) fn patch_manifest(manifest: &str, twoworlds: &Path) -> String {
    let path = twoworlds.to_string_lossy().replace('\\', "\\\\").replace('"', "\\\"");
    format!(
        "{manifest}\n# Added by benches/realworld: the macro under test, and a workspace of its own.\n\
         [dependencies.twoworlds]\npath = \"{path}\"\n\n[workspace]\n"
    )
}

/// Copies the directory tree `from` to `to` (files and directories only).
fn copy_tree(from: &Path, to: &Path) -> Result<(), String> {
    fs::create_dir_all(to).map_err(|e| format!("{}: {e}", to.display()))?;
    let entries = fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| e.to_string())?;
        let (src, dst) = (entry.path(), to.join(entry.file_name()));
        let kind = entry.file_type().map_err(|e| e.to_string())?;
        if kind.is_dir() {
            copy_tree(&src, &dst)?;
        } else if kind.is_file() {
            fs::copy(&src, &dst).map_err(|e| format!("{}: {e}", src.display()))?;
        }
    }
    Ok(())
}

/// Writes `text` to `path`, with the path in the error.
pub(crate) fn write(path: &Path, text: &str) -> Result<(), String> {
    fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_gets_the_dependency_and_a_workspace() {
        let text = "[package]\nname = \"x\"\n\n[dependencies.tokio]\nversion = \"1\"\n";
        let patched = patch_manifest(text, Path::new("/w/tw"));
        assert!(patched.starts_with(text));
        assert!(patched.contains("[dependencies.twoworlds]\npath = \"/w/tw\"\n"));
        assert!(patched.ends_with("[workspace]\n"));
    }
}
