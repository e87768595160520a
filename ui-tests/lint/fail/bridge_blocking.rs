//! `#[bridge]` lints the async fn it keeps: a blocking twin called from it,
//! a `std::fs` call and a file opened with std are each reported.
#![deny(warnings)]

#[twoworlds::bridge]
async fn length(path: &str) -> usize {
    let bytes = std::fs::read(path).unwrap_or_default();
    let file = std::fs::File::open(path);
    drop(file);
    bytes.len() + blocking_other()
}

#[twoworlds::bridge]
async fn other() -> usize {
    1
}

fn main() {
    let _ = blocking_length("x");
}
