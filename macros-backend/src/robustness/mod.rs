//! Robustness checks of the expansion functions (issue 9): the macros never
//! panic and always emit parsable items, on real-world code ([`corpus`]:
//! every fn, impl and trait of the crates in our dependency graph) and on
//! hand-picked adversarial inputs ([`adversarial`]). The same property is
//! fuzzed by `fuzz/fuzz_targets/expand.rs`.

mod adversarial;
mod corpus;
mod harness;
