//! Both markers on one statement would keep it in neither twin.
#[twoworlds::dual]
async fn load(log: &mut Vec<u8>) {
    #[only_async]
    #[only_blocking]
    log.push(1);
}

fn main() {}
