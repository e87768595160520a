//! A marker on the `#[dual]` item itself would leave it in one twin only.
#[twoworlds::dual]
#[only_async]
async fn load() -> u8 {
    1
}

fn main() {}
