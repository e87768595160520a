//! Where we differ from maybe-async on purpose, or where it cannot follow:
//! both behaviours pinned.

/// The same body with an `async` block that `return`s: maybe-async makes it
/// a plain block, so the `return` leaves the whole fn; our blocking twin keeps
/// the block's own meaning (the value of the block), like the async original.
mod async_block_with_return {
    #![allow(clippy::all, clippy::pedantic)]

    #[twoworlds::dual]
    pub(crate) async fn ours(early: bool) -> u32 {
        let value = async {
            if early {
                return 1;
            }
            2
        }
        .await;
        value + 10
    }

    #[maybe_async::must_be_sync]
    pub(crate) async fn oracle(early: bool) -> u32 {
        let value = async {
            if early {
                return 1;
            }
            2
        }
        .await;
        value + 10
    }

    #[test]
    fn the_return_stays_inside_the_block() {
        // The async original is the reference semantics.
        assert_eq!(twoworlds::block_on(ours(true)), 11);
        assert_eq!(blocking_ours(true), 11);
        // maybe-async's sync version returns from the fn instead.
        assert_eq!(oracle(true), 1);
        // Without the early exit, all agree.
        assert_eq!(blocking_ours(false), 12);
        assert_eq!(oracle(false), 12);
        assert_eq!(twoworlds::block_on(ours(false)), 12);
    }
}

/// The same with `?` in an `async` block: maybe-async's `?` leaves the fn
/// with the error; ours stays in the block, which evaluates to the error.
mod async_block_with_question_mark {
    #![allow(clippy::all, clippy::pedantic)]

    #[twoworlds::dual]
    pub(crate) async fn ours(text: &str) -> Result<u32, String> {
        let parsed: Result<u32, String> = async {
            let n: u32 = text.parse().map_err(|_| format!("bad: {text}"))?;
            Ok(n)
        }
        .await;
        Ok(parsed.unwrap_or(0) + 100)
    }

    #[maybe_async::must_be_sync]
    pub(crate) async fn oracle(text: &str) -> Result<u32, String> {
        let parsed: Result<u32, String> = async {
            let n: u32 = text.parse().map_err(|_| format!("bad: {text}"))?;
            Ok(n)
        }
        .await;
        Ok(parsed.unwrap_or(0) + 100)
    }

    #[test]
    fn the_question_mark_stays_inside_the_block() {
        assert_eq!(twoworlds::block_on(ours("x")), Ok(100));
        assert_eq!(blocking_ours("x"), Ok(100));
        assert_eq!(oracle("x"), Err("bad: x".to_owned()));
        assert_eq!(blocking_ours("5"), Ok(105));
        assert_eq!(oracle("5"), Ok(105));
    }
}

/// `.await` inside macro arguments: maybe-async leaves them and its sync
/// version does not compile, so the async original is the reference.
mod awaits_inside_macro_arguments {
    #![allow(clippy::all, clippy::pedantic)]

    #[twoworlds::dual]
    mod ours {
        async fn name() -> String {
            "world".to_owned()
        }

        pub(crate) async fn check() -> (String, Vec<usize>) {
            let greeting = format!("hello {}", name().await);
            let lengths = vec![name().await.len(), greeting.len()];
            assert_eq!(name().await, "world");
            assert!(matches!(name().await.as_str(), "world"));
            (greeting, lengths)
        }
    }

    #[test]
    fn both_twins_evaluate_the_awaits() {
        let expected = ("hello world".to_owned(), vec![5, 11]);
        assert_eq!(ours::blocking::check(), expected);
        assert_eq!(twoworlds::block_on(ours::check()), expected);
    }
}
