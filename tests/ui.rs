//! Compile-fail and compile-pass cases of the macros, under `ui-tests/`.
//! Bless changed `.stderr` files with `TRYBUILD=overwrite cargo test --test ui`.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("ui-tests/*/fail/*.rs");
    cases.pass("ui-tests/*/pass/*.rs");
}
