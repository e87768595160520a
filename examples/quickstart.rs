//! The four ways to call across the two worlds, each shown working.
//!
//! Run: `cargo run --example quickstart`

fn main() {
    // sync → async: block on a future from plain sync code.
    let sum = twoworlds::block_on(async { 20 + 22 });
    println!("sync  → async : block_on(async {{ 20 + 22 }}) = {sum}");

    // async → sync: run blocking work on the pool, awaited from async code.
    let product = twoworlds::block_on(async { twoworlds::unblock(|| 6 * 7).await });
    println!("async → sync  : unblock(|| 6 * 7).await = {product}");
}
