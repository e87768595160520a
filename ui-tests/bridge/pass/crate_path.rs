//! `crate = path` lets a crate that re-exports twoworlds name it.
mod reexport {
    pub use twoworlds::*;
}

#[twoworlds::bridge(crate = crate::reexport)]
async fn fetch() -> u32 {
    4
}

#[twoworlds::bridge(crate = "crate::reexport")]
fn load() -> u32 {
    5
}

fn main() {
    assert_eq!(blocking_fetch(), 4);
    assert_eq!(twoworlds::block_on(load_async()), 5);
}
