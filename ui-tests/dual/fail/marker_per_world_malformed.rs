//! `per_world!` needs both arms, spelled `async` and `blocking`, once each.
#[twoworlds::dual]
async fn load() -> u8 {
    let a = per_world!(async => 1);
    let b = per_world!(asynk => 1, blocking => 2);
    let c = per_world!(async => 1, blocking => 2, blocking => 3);
    let d = per_world!(async 1, blocking => 2);
    a + b + c + d
}

fn main() {}
