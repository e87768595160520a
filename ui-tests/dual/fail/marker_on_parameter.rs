//! A marker on a fn parameter: both twins take the same parameters.
#[twoworlds::dual]
async fn load(#[only_async] limit: u8) -> u8 {
    limit
}

fn main() {}
