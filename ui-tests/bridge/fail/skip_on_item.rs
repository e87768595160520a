use twoworlds::bridge;

#[bridge(skip)]
fn work() {}

fn main() {
    work();
}
