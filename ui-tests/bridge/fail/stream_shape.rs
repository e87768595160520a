use futures::Stream;
use std::fmt::Debug;
use twoworlds::bridge;

// The twin must name the item type.
#[bridge]
fn no_item() -> impl Stream {
    futures::stream::iter([1])
}

// The blocking twin's iterator can't be `Debug`.
#[bridge]
fn debug_bound() -> impl Stream<Item = u8> + Debug {
    futures::stream::iter([1])
}

fn main() {}
