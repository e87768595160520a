//! The blocking twin runs a `select!` as one future (through `block_on`):
//! a handler that leaves it (`return`, `?`, `break`, `continue`) would leave
//! that future instead of the twin, so it is an error that says which twin
//! and how to keep the `select!` in the async world.

#[twoworlds::dual]
async fn drain(mut rx: tokio::sync::mpsc::Receiver<u8>, stop: tokio::sync::oneshot::Receiver<()>) -> u32 {
    let mut stop = stop;
    let mut got = 0;
    loop {
        tokio::select! {
            Some(_) = rx.recv() => got += 1,
            _ = &mut stop => return got,
        }
    }
}

fn main() {}
