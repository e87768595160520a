//! A `#[dual] mod` whose items live in files (`include!` of the module's
//! items, and the `mod x;` files in them), inlined in both twins.
#![allow(clippy::unused_async, reason = "trivial bodies")]

#[twoworlds::dual]
mod client {
    include!("client/items.rs");
}

#[test]
fn items_from_files_get_their_twins() {
    let c = client::Client { base: 10 };
    assert_eq!(twoworlds::block_on(c.get(1)), 11);
    let c = client::blocking::Client { base: 10 };
    assert_eq!(c.get(1), 11);
    assert_eq!(client::blocking::conn::open(2), 4);
    assert_eq!(twoworlds::block_on(client::conn::open(2)), 4);
}
