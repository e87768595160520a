//! The allow forms: `allow_blocking` on the attribute silences the whole fn,
//! `#[allow_blocking]` one statement (and never reaches rustc); the generated
//! code is warning-free under pedantic clippy and hygienic.
#![deny(warnings, clippy::all, clippy::pedantic)]

use ::std::time::Duration;

mod core {}
mod std {}

/// Sleeps, on purpose.
#[twoworlds::dual(allow_blocking)]
pub async fn allowed(d: Duration) {
    ::std::thread::sleep(d);
}

/// Sleeps once, on purpose.
#[twoworlds::dual]
pub async fn marked(d: Duration) -> Result<u32, ::std::num::ParseIntError> {
    #[allow_blocking]
    ::std::thread::sleep(d);
    let n: u32 = "41".parse()?;
    Ok(n + 1)
}

fn main() {
    blocking_allowed(Duration::ZERO);
    assert_eq!(blocking_marked(Duration::ZERO), Ok(42));
    assert_eq!(twoworlds::block_on(marked(Duration::ZERO)), Ok(42));
}
