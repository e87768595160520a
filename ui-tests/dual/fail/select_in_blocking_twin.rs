//! `select!` races futures: in the blocking twin it has no meaning, and the
//! error says which twin and how to keep it in the async world.

#[twoworlds::dual]
async fn first(a: tokio::sync::oneshot::Receiver<u8>, b: tokio::sync::oneshot::Receiver<u8>) -> u8 {
    tokio::select! {
        Ok(x) = a => x,
        Ok(y) = b => y,
        else => 0,
    }
}

fn main() {}
