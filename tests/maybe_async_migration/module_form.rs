//! Scenario 1, the closest to maybe-async: rspotify-http and rspotify each
//! as one `#[dual] mod`. Where maybe-async chose items with cargo features
//! (`#[sync_impl]` / `#[async_impl]`, `pub use .. as HttpClient` under
//! `cfg(feature = "client-ureq")`), `#[only_blocking]` / `#[only_async]`
//! choose them per world, and both worlds are in every build: `http` +
//! `http::blocking`, `spotify` + `spotify::blocking`, with the same names in
//! both (reqwest's `reqwest::blocking` shape). Sync users change one path:
//! `spotify::blocking::{prelude::*, ClientCredsSpotify}`.

/// rspotify-http: the trait, one client per world, and `HttpClient`
/// naming the client of each world.
#[twoworlds::dual(send)]
pub mod http {
    use crate::model::{HttpError, respond};
    use std::collections::HashMap;
    use std::fmt;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU32, Ordering};

    pub type Headers = HashMap<String, String>;
    pub type Query<'a> = HashMap<&'a str, &'a str>;
    pub type Form<'a> = HashMap<&'a str, &'a str>;

    /// rspotify-http's `BaseHttpClient`, word for word but for `Query<'_>`.
    pub trait BaseHttpClient: Send + Sync + Default + Clone + fmt::Debug {
        type Error;

        async fn get(
            &self,
            url: &str,
            headers: Option<&Headers>,
            payload: &Query<'_>,
        ) -> Result<String, Self::Error>;

        async fn post_form(
            &self,
            url: &str,
            headers: Option<&Headers>,
            payload: &Form<'_>,
        ) -> Result<String, Self::Error>;
    }

    /// The async client (reqwest in rspotify-http): `http::HttpClient`.
    #[only_async]
    #[derive(Debug, Clone, Default)]
    pub struct ReqwestClient {
        pub requests: Arc<AtomicU32>,
    }

    #[only_async]
    impl ReqwestClient {
        async fn request(
            &self,
            method: &str,
            url: &str,
            headers: Option<&Headers>,
            payload: &HashMap<&str, &str>,
        ) -> Result<String, HttpError> {
            self.requests.fetch_add(1, Ordering::Relaxed);
            tokio::task::yield_now().await; // the network, for an async client
            respond("reqwest", method, url, headers, payload)
        }
    }

    /// maybe-async: `#[async_impl] impl BaseHttpClient for ReqwestClient`.
    #[only_async]
    impl BaseHttpClient for ReqwestClient {
        type Error = HttpError;

        async fn get(
            &self,
            url: &str,
            headers: Option<&Headers>,
            payload: &Query<'_>,
        ) -> Result<String, Self::Error> {
            self.request("GET", url, headers, payload).await
        }

        async fn post_form(
            &self,
            url: &str,
            headers: Option<&Headers>,
            payload: &Form<'_>,
        ) -> Result<String, Self::Error> {
            self.request("POST", url, headers, payload).await
        }
    }

    /// The sync client (ureq in rspotify-http): `http::blocking::HttpClient`.
    #[only_blocking]
    #[derive(Debug, Clone, Default)]
    pub struct UreqClient {
        pub requests: Arc<AtomicU32>,
    }

    /// maybe-async: `#[sync_impl] impl BaseHttpClient for UreqClient`. The
    /// methods are written sync, as they were: the blocking copy keeps them.
    #[only_blocking]
    impl BaseHttpClient for UreqClient {
        type Error = HttpError;

        fn get(
            &self,
            url: &str,
            headers: Option<&Headers>,
            payload: &Query<'_>,
        ) -> Result<String, Self::Error> {
            self.requests.fetch_add(1, Ordering::Relaxed);
            respond("ureq", "GET", url, headers, payload)
        }

        fn post_form(
            &self,
            url: &str,
            headers: Option<&Headers>,
            payload: &Form<'_>,
        ) -> Result<String, Self::Error> {
            self.requests.fetch_add(1, Ordering::Relaxed);
            respond("ureq", "POST", url, headers, payload)
        }
    }

    // maybe-async: `pub use self::reqwest::ReqwestClient as HttpClient;` under
    // `cfg(feature = "client-reqwest")`, and the ureq one under
    // `cfg(feature = "client-ureq")`, with a `compile_error!` when both are on.
    #[only_async]
    pub use self::ReqwestClient as HttpClient;
    #[only_blocking]
    pub use self::UreqClient as HttpClient;
}

/// rspotify: the clients, written once. Inside, `crate::module_form::http`
/// names rspotify-http; `replace` points the blocking copy at
/// `http::blocking`, the way the `client-ureq` feature pointed rspotify at
/// the ureq build of rspotify-http.
#[twoworlds::dual(send, replace(crate::module_form::http => crate::module_form::http::blocking))]
pub mod spotify {
    use crate::model::{API_URL, ClientError, ClientResult, Credentials, TOKEN_URL, Token};
    use crate::module_form::http::{BaseHttpClient, Form, Headers, HttpClient, Query};
    use std::fmt;
    use std::sync::Arc;

    /// rspotify's `sync` module, which chose a mutex by feature: now by world.
    pub mod sync {
        #[only_blocking]
        pub use std::sync::Mutex;

        /// The async mutex, with std's `lock() -> Result` shape.
        #[only_async]
        #[derive(Debug, Default)]
        pub struct Mutex<T>(futures::lock::Mutex<T>);

        #[only_async]
        #[derive(Debug)]
        pub struct LockError;

        #[only_async]
        impl<T> Mutex<T> {
            pub async fn lock(&self) -> Result<futures::lock::MutexGuard<'_, T>, LockError> {
                Ok(self.0.lock().await)
            }
        }
    }

    use self::sync::Mutex;

    /// rspotify's `clients::pagination`, which chose `stream.rs` or
    /// `iter.rs` by feature: a `Stream` in the async world, an `Iterator`
    /// in the blocking one.
    pub mod pagination {
        use crate::model::ClientResult;

        /// rspotify's is `+ Send` too; that needs the futures of
        /// `BaseClient`'s default methods to be `Send`, which `send` on a
        /// `#[dual] mod` declares today for required methods only.
        #[only_async]
        pub type Paginator<'a, T> = std::pin::Pin<Box<dyn futures::Stream<Item = T> + 'a>>;
        #[only_blocking]
        pub type Paginator<'a, T> = Box<dyn Iterator<Item = T> + 'a>;

        /// The item a fetched page gives: `None` (the end) for an empty
        /// page; an error ends the pages after it is yielded.
        pub fn page_item(page: ClientResult<String>) -> (Option<ClientResult<String>>, bool) {
            match page {
                Ok(page) if page.is_empty() => (None, false),
                Ok(page) => (Some(Ok(page)), true),
                Err(e) => (Some(Err(e)), false),
            }
        }
    }

    use self::pagination::{Paginator, page_item};

    /// rspotify's `BaseClient` (cut down): its default methods, written
    /// once, serve both worlds.
    pub trait BaseClient: Send + Sync + Default + Clone + fmt::Debug {
        fn get_http(&self) -> &HttpClient;
        fn get_creds(&self) -> &Credentials;
        fn get_token(&self) -> Arc<Mutex<Option<Token>>>;

        fn api_url(&self, url: &str) -> String {
            format!("{API_URL}{url}")
        }

        async fn refetch_token(&self) -> ClientResult<Option<Token>>;

        async fn auto_reauth(&self) -> ClientResult<()> {
            let should_reauth =
                self.get_token().lock().await.unwrap().as_ref().is_some_and(Token::is_expired);
            if should_reauth { self.refresh_token().await } else { Ok(()) }
        }

        async fn refresh_token(&self) -> ClientResult<()> {
            let token = self.refetch_token().await?;
            *self.get_token().lock().await.unwrap() = token;
            Ok(())
        }

        async fn auth_headers(&self) -> ClientResult<Headers> {
            self.auto_reauth().await?;
            Ok(self
                .get_token()
                .lock()
                .await
                .unwrap()
                .as_ref()
                .ok_or(ClientError::InvalidToken)?
                .auth_headers())
        }

        async fn api_get(&self, url: &str, payload: &Query<'_>) -> ClientResult<String> {
            let url = self.api_url(url);
            let headers = self.auth_headers().await?;
            Ok(self.get_http().get(&url, Some(&headers), payload).await?)
        }

        async fn fetch_access_token(
            &self,
            payload: &Form<'_>,
            headers: Option<&Headers>,
        ) -> ClientResult<Token> {
            let response = self.get_http().post_form(TOKEN_URL, headers, payload).await?;
            Token::parse(&response).ok_or(ClientError::InvalidToken)
        }

        /// An endpoint.
        async fn track(&self, id: &str, market: Option<&str>) -> ClientResult<String> {
            let mut params = Query::new();
            if let Some(market) = market {
                params.insert("market", market);
            }
            self.api_get(&format!("tracks/{id}"), &params).await
        }

        async fn artist_albums_page(&self, id: &str, offset: u32) -> ClientResult<String> {
            let offset = offset.to_string();
            let params = Query::from([("offset", offset.as_str())]);
            self.api_get(&format!("artists/{id}/albums"), &params).await
        }

        /// A paginated endpoint, one body per world.
        #[only_async]
        fn artist_albums<'a>(&'a self, id: &'a str) -> Paginator<'a, ClientResult<String>> {
            Box::pin(futures::stream::unfold(Some(0), move |offset| async move {
                let offset = offset?;
                let (item, more) = page_item(self.artist_albums_page(id, offset).await);
                Some((item?, more.then_some(offset + 1)))
            }))
        }

        #[only_blocking]
        fn artist_albums<'a>(&'a self, id: &'a str) -> Paginator<'a, ClientResult<String>> {
            let mut next = Some(0);
            Box::new(std::iter::from_fn(move || {
                let offset = next?;
                let (item, more) = page_item(self.artist_albums_page(id, offset));
                next = more.then_some(offset + 1);
                item
            }))
        }
    }

    /// rspotify's `OAuthClient: BaseClient`: its bodies call the supertrait's
    /// methods as they did, in both worlds.
    pub trait OAuthClient: BaseClient {
        async fn request_token(&self, code: &str) -> ClientResult<()>;

        async fn current_user(&self) -> ClientResult<String> {
            self.api_get("me", &Query::new()).await
        }

        async fn current_user_saved_tracks(&self, limit: u32) -> ClientResult<String> {
            let limit = limit.to_string();
            let params = Query::from([("limit", limit.as_str())]);
            self.api_get("me/tracks", &params).await
        }
    }

    /// The Client Credentials flow.
    #[derive(Clone, Debug, Default)]
    pub struct ClientCredsSpotify {
        pub creds: Credentials,
        pub token: Arc<Mutex<Option<Token>>>,
        pub http: HttpClient,
    }

    impl BaseClient for ClientCredsSpotify {
        fn get_http(&self) -> &HttpClient {
            &self.http
        }

        fn get_creds(&self) -> &Credentials {
            &self.creds
        }

        fn get_token(&self) -> Arc<Mutex<Option<Token>>> {
            Arc::clone(&self.token)
        }

        async fn refetch_token(&self) -> ClientResult<Option<Token>> {
            let token = self.fetch_token().await?;
            Ok(Some(token))
        }
    }

    impl ClientCredsSpotify {
        pub fn new(creds: Credentials) -> Self {
            Self { creds, ..Default::default() }
        }

        async fn fetch_token(&self) -> ClientResult<Token> {
            let mut data = Form::new();
            data.insert("grant_type", "client_credentials");
            let headers = self.get_creds().auth_headers();
            self.fetch_access_token(&data, Some(&headers)).await
        }

        /// maybe-async: `#[maybe_async] pub async fn request_token(&self)`.
        pub async fn request_token(&self) -> ClientResult<()> {
            *self.token.lock().await.unwrap() = Some(self.fetch_token().await?);
            Ok(())
        }
    }

    /// The Authorization Code flow.
    #[derive(Clone, Debug, Default)]
    pub struct AuthCodeSpotify {
        pub creds: Credentials,
        pub token: Arc<Mutex<Option<Token>>>,
        pub http: HttpClient,
    }

    impl BaseClient for AuthCodeSpotify {
        fn get_http(&self) -> &HttpClient {
            &self.http
        }

        fn get_creds(&self) -> &Credentials {
            &self.creds
        }

        fn get_token(&self) -> Arc<Mutex<Option<Token>>> {
            Arc::clone(&self.token)
        }

        async fn refetch_token(&self) -> ClientResult<Option<Token>> {
            let refresh_token = match self.token.lock().await.unwrap().as_ref() {
                Some(Token { refresh_token: Some(refresh_token), .. }) => refresh_token.clone(),
                _ => return Err(ClientError::InvalidToken),
            };
            let mut data = Form::new();
            data.insert("grant_type", "refresh_token");
            data.insert("refresh_token", &refresh_token);
            Ok(Some(self.fetch_access_token(&data, None).await?))
        }
    }

    impl OAuthClient for AuthCodeSpotify {
        async fn request_token(&self, code: &str) -> ClientResult<()> {
            let mut data = Form::new();
            data.insert("grant_type", "authorization_code");
            data.insert("code", code);
            let headers = self.get_creds().auth_headers();
            let token = self.fetch_access_token(&data, Some(&headers)).await?;
            *self.token.lock().await.unwrap() = Some(token);
            Ok(())
        }
    }

    /// `use rspotify::prelude::*` (async) and `use
    /// rspotify::blocking::prelude::*` (sync): each brings the traits of one
    /// world, so method calls are never ambiguous.
    pub mod prelude {
        pub use super::{BaseClient, OAuthClient};
    }
}
