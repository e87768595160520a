//! Compile-fail and compile-pass cases of the macros, under `ui-tests/`.
//! Bless changed `.stderr` files with `TRYBUILD=overwrite cargo test --test ui`;
//! run some only with `UI_CASES=dual/fail/strict*` (a glob under `ui-tests/`,
//! for both kinds).

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    if let Some(only) = std::env::var("UI_CASES").ok().filter(|only| !only.is_empty()) {
        cases.compile_fail(format!("ui-tests/{only}"));
    } else {
        cases.compile_fail("ui-tests/*/fail/*.rs");
        cases.pass("ui-tests/*/pass/*.rs");
    }
}
