use std::future::Future;
use twoworlds::dual;

#[dual]
async fn all<F: Future<Output = u32>>(first: F, rest: Vec<F>) -> u32 {
    let _ = rest;
    first.await
}

fn main() {}
