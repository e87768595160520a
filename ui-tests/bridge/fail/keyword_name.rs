use twoworlds::bridge;

// A keyword is no fn name: `crate`, `self`, `super` and `Self` parse as paths.
#[bridge(blocking = crate)]
async fn fetch() {}

fn main() {}
