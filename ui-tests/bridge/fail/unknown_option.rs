use twoworlds::bridge;

// A misspelling gets a suggestion; every bad option is reported at once.
#[bridge(blockin = fetch_now, frobnicate)]
async fn fetch() -> u32 {
    1
}

fn main() {
    let _ = blocking_fetch();
}
