//! `std::thread::sleep` in the async fn `#[dual]` keeps is a warning, spanned
//! on the call and naming the async alternative; `#![deny(warnings)]` makes
//! it an error.
#![deny(warnings)]

use std::time::Duration;

#[twoworlds::dual]
async fn nap(d: Duration) {
    std::thread::sleep(d);
}

fn main() {
    blocking_nap(Duration::ZERO);
}
