use twoworlds::bridge;

// An argument that can't move to a pool thread: the compiler's error points
// at the argument.
#[bridge]
fn count(shared: std::rc::Rc<u8>) -> u8 {
    *shared
}

fn main() {}
