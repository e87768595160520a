//! Keeps `README.md` honest: its tables name every test of this binary, each
//! port they name exists, and its count table adds up. Prints the counts
//! (`asgiref: …`) for CI.

use std::collections::BTreeSet;
use std::process::Command;

/// One row of a mapping table: the asgiref test and our test, if ported.
struct Row {
    /// asgiref's name.
    asgiref: String,
    /// Our test's path in this binary, or `None` for "not applicable".
    ours: Option<String>,
    /// Whether it needs feature `tokio` (marked †).
    needs_tokio: bool,
}

/// The rows of the table under the heading that names `file`.
fn rows(readme: &str, file: &str) -> Vec<Row> {
    let heading = format!("## `{file}`");
    let section = readme.split(&heading).nth(1).expect("a section per asgiref file");
    let section = section.split("\n## ").next().unwrap_or(section);
    section
        .lines()
        .filter(|line| line.starts_with("| `"))
        .map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            let ours = cells[2];
            Row {
                asgiref: cells[1].trim_matches('`').to_owned(),
                ours: (ours != "not applicable")
                    .then(|| ours.split('`').nth(1).expect("our test in backticks").to_owned()),
                needs_tokio: ours.contains('†'),
            }
        })
        .collect()
}

/// The tests of this binary, as `module::name`.
fn tests_of_this_binary() -> BTreeSet<String> {
    let output = Command::new(std::env::current_exe().expect("the test binary's path"))
        .args(["--list", "--format", "terse"])
        .output()
        .expect("list the tests");
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| line.strip_suffix(": test"))
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_readme_maps_every_test_and_its_count_adds_up() {
    let readme = include_str!("README.md");
    let tests = tests_of_this_binary();
    let mut mapped = BTreeSet::new();
    let (mut all, mut ported) = (0, 0);
    for (file, expected) in
        [("test_sync.py", 58), ("test_local.py", 16), ("test_sync_contextvars.py", 6)]
    {
        let rows = rows(readme, file);
        let here = rows.iter().filter(|row| row.ours.is_some()).count();
        let count_row = format!("| `{file}` | {} | {here} | {} |", rows.len(), rows.len() - here);
        assert!(readme.contains(&count_row), "the count table should say {count_row}");
        assert_eq!(rows.len(), expected, "{file}: asgiref 3.12.1 has {expected} tests");
        for row in &rows {
            let Some(ours) = &row.ours else { continue };
            assert!(mapped.insert(ours.clone()), "{ours} maps two asgiref tests");
            if cfg!(feature = "tokio") || !row.needs_tokio {
                assert!(tests.contains(ours), "{}: no test {ours} here", row.asgiref);
            }
        }
        (all, ported) = (all + rows.len(), ported + here);
    }
    let total = format!("| **total** | **{all}** | **{ported}** | **{}** |", all - ported);
    assert!(readme.contains(&total), "the count table should say {total}");
    let unmapped: Vec<_> =
        tests.iter().filter(|t| !t.starts_with("mapping::") && !mapped.contains(*t)).collect();
    assert!(unmapped.is_empty(), "tests missing from README.md: {unmapped:?}");
    println!("asgiref: {all} tests, {ported} ported, {} not applicable", all - ported);
}
