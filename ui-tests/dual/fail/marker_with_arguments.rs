//! Markers take no arguments, and one marker twice is a mistake too.
#[twoworlds::dual]
async fn load(log: &mut Vec<u8>) {
    #[only_async(tokio)]
    log.push(1);
    #[only_blocking = "yes"]
    log.push(2);
    #[only_blocking]
    #[only_blocking]
    log.push(3);
}

fn main() {}
