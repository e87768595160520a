//! `blocking_cfg` / `async_cfg` take a cfg predicate in parentheses.

#[twoworlds::dual(blocking_cfg, async_cfg = "x")]
async fn f() {}

#[twoworlds::bridge(blocking_cfg)]
async fn g() {}

fn main() {}
