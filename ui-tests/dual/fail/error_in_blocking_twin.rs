// An error rustc finds only in a blocking twin says so: a note that it
// comes from `blocking_twin`, and a label on the name of the item it is the
// twin of. Here `replace` maps the call to a sync fn that returns another
// type, in a free fn and in a method.
use twoworlds::dual;

mod sync_api {
    pub fn fetch() -> String {
        "one".to_owned()
    }
}

async fn fetch() -> u32 {
    1
}

#[dual(replace(fetch => sync_api::fetch))]
async fn total() -> u32 {
    fetch().await + 1
}

struct Client;

#[dual(replace(fetch => sync_api::fetch))]
impl Client {
    async fn get(&self) -> u32 {
        fetch().await
    }
}

fn main() {
    let _ = blocking_total();
    let _ = Client.blocking_get();
}
