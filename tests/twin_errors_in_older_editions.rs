//! An error only a blocking twin has says so in a crate of an older edition
//! too: the twins of an impl, a trait and a module are each the body of a
//! `macro_rules!` of the user's crate (see the backend's `dual::respan`),
//! which expands in that crate's edition. trybuild builds its cases in this
//! crate's edition (2024), so this test builds a 2021 crate with cargo and
//! reads rustc's messages.

use std::path::Path;
use std::process::Command;

/// The crate: one error in the blocking twin of a method, one in a module.
const LIB: &str = r#"
pub struct Client;

#[twoworlds::dual]
impl Client {
    pub async fn get(&self) -> u32 {
        let value: u32 = per_world!(async => 1, blocking => "not a number");
        value
    }
}

#[twoworlds::dual]
pub mod api {
    pub async fn count() -> u32 {
        let value: u32 = per_world!(async => 2, blocking => 'x');
        value
    }
}
"#;

#[test]
fn a_twin_only_error_names_the_twin_in_a_2021_crate() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("edition-2021-twin-errors");
    std::fs::create_dir_all(dir.join("src")).unwrap();
    let facade = env!("CARGO_MANIFEST_DIR").replace('\\', "/");
    let manifest = format!(
        "[package]\nname = \"edition-2021-twin-errors\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\
         publish = false\n\n[dependencies]\ntwoworlds = {{ path = \"{facade}\" }}\n\n[workspace]\n"
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).unwrap();
    std::fs::write(dir.join("src/lib.rs"), LIB).unwrap();
    let output = Command::new(env!("CARGO"))
        .args(["check", "--quiet", "--offline"])
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .env_remove("RUSTFLAGS")
        .current_dir(&dir)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{stderr}");
    // Both errors, each at its place, in the blocking twin of its item.
    for (wrong, item) in [("\"not a number\"", "get"), ("'x'", "mod api")] {
        let error = stderr
            .split("error[E0308]")
            .find(|error| error.contains(wrong))
            .unwrap_or_else(|| panic!("no error on {wrong}: {stderr}"));
        assert!(error.contains("in this macro invocation"), "{error}");
        assert!(error.contains(item), "{error}");
        assert!(error.contains("originates in the macro `blocking_twin_"), "{error}");
    }
}
