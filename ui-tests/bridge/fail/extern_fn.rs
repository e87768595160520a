use twoworlds::bridge;

#[bridge]
extern "C" fn callback(n: u32) -> u32 {
    n
}

fn main() {
    let _ = callback(1);
}
