//! Unit tests and expansion snapshots of `#[bridge]` on fns returning
//! streams and iterators (under `ui-tests/expand/bridge/`).

use quote::quote;

use super::expand;
use super::tests::{errors, pretty, snapshot};

#[test]
fn snapshot_async_fn_returning_a_stream() {
    snapshot!(
        "stream_async",
        (),
        /// Counts to `n`.
        pub async fn numbers(n: u32) -> impl futures::Stream<Item = u32> + Send {
            futures::stream::iter(0..n)
        }
    );
}

#[test]
fn snapshot_stream_and_iterator_methods() {
    snapshot!(
        "stream_impl",
        (),
        impl Client {
            /// Every page, lazily.
            pub fn pages(&self) -> impl Stream<Item = Result<Vec<u32>, Error>> + '_ {
                async_stream::try_stream! { yield self.page(0).await?; }
            }
            /// Lines of a file, read with std.
            #[must_use]
            pub fn lines(&self, path: &Path) -> impl Iterator<Item = String> + Send + use<> {
                std::fs::read_to_string(path).unwrap().lines().map(str::to_owned).collect::<Vec<_>>().into_iter()
            }
        }
    );
}

#[test]
fn a_fn_returning_a_stream_gets_a_blocking_twin_returning_an_iterator() {
    let out = expand(
        quote!(),
        quote!(
            fn s(&self) -> impl Stream<Item = u8> + '_ {
                x
            }
        ),
    )
    .to_string();
    assert!(out.contains("fn blocking_s"), "{out}");
    assert!(out.contains(":: core :: iter :: Iterator < Item = u8 > + '_"), "{out}");
    assert!(out.contains("block_on_stream_named (\"blocking_s\" , s (self ,))"), "{out}");
    assert!(!out.contains("block_on_named"), "no future to wait for: {out}");
    let out = expand(
        quote!(),
        quote!(
            async fn s() -> impl FusedStream<Item = u8> {
                x
            }
        ),
    );
    let out = out.to_string();
    assert!(out.contains("block_on_stream_named (\"blocking_s\" , :: twoworlds :: __private :: block_on_named (\"blocking_s\" , s ())"), "{out}");
    assert!(out.contains("+ :: core :: iter :: FusedIterator"), "{out}");
}

#[test]
fn a_sync_fn_returning_an_iterator_gets_an_async_twin_returning_a_stream() {
    let out = expand(
        quote!(crate = my::tw),
        quote!(
            fn it(n: u8) -> impl Iterator<Item = u8> {
                x
            }
        ),
    );
    let out = out.to_string();
    assert!(out.contains("fn it_async (n : u8) -> impl my :: tw :: __private :: Stream < Item = u8 > + :: core :: marker :: Send + 'static"), "{out}");
    assert!(
        out.contains(
            "my :: tw :: __private :: unblock_iter_named (\"it_async\" , move || it (n ,))"
        ),
        "{out}"
    );
    // An async fn returning an iterator is an ordinary async fn.
    let out = expand(
        quote!(),
        quote!(
            async fn it() -> impl Iterator<Item = u8> {
                x
            }
        ),
    )
    .to_string();
    assert!(out.contains("block_on_named (\"blocking_it\""), "{out}");
    assert!(!out.contains("stream"), "{out}");
}

#[test]
fn stream_and_iterator_errors_name_the_problem() {
    let cases: &[(&str, &str, &str)] = &[
        ("", "fn s() -> impl Stream { x }", "needs the item type of the stream `s`"),
        ("", "fn s() -> impl Iterator { x }", "write `impl Iterator<Item = T>`"),
        (
            "",
            "fn s() -> impl Stream<Item = u8> + Debug { x }",
            "can't give the blocking twin's iterator the bound `Debug`",
        ),
        (
            "",
            "fn s() -> impl Iterator<Item = u8> + Clone { x }",
            "can't give the async twin's stream",
        ),
        (
            "",
            "fn s() -> impl Stream<Item = u8> + Iterator<Item = u8> { x }",
            "both a stream and an iterator",
        ),
        (
            "thread_sensitive",
            "fn s() -> impl Iterator<Item = u8> { x }",
            "a thread-sensitive iterator is not supported",
        ),
        ("async_name = t", "fn s() -> impl Stream<Item = u8> { x }", "but `s` returns a stream"),
        (
            "allow_blocking",
            "fn s() -> impl Stream<Item = u8> { x }",
            "returns a stream and is not async",
        ),
        ("", "fn s(a: &str) -> impl Iterator<Item = &str> + '_ { x }", "returns a borrow"),
        ("", "fn s(a: &str) -> impl Iterator<Item = u8> { x }", "so the iterator's type must not"),
        (
            "",
            "impl A { fn s(&self) -> impl Iterator<Item = u8> + 'static { x } }",
            "so the iterator's type must not",
        ),
        ("", "trait T { fn s(&self) -> impl Iterator<Item = u8> + use<Self>; }", "in a trait"),
    ];
    for (args, item, expected) in cases {
        let (Ok(args), Ok(item)) = (args.parse(), item.parse()) else {
            panic!("test input does not lex: {args} / {item}");
        };
        let messages = errors(args, item).join("\n");
        assert!(messages.contains(expected), "expected `{expected}` in {messages}");
    }
}
