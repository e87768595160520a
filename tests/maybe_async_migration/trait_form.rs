//! Scenario 2: `#[dual]` on each trait and impl, so that one type serves
//! both worlds: `BaseClient` and `BlockingBaseClient`, `request_token` and
//! `blocking_request_token`, on the same value. The HTTP client per world:
//! the async one (`ReqwestClient`) implements the async trait with
//! `#[dual] impl` (its blocking twin runs the same body, reqwest's own
//! futures bridged through `block_on`); the sync-only one (`UreqClient`)
//! implements the blocking trait by hand and nothing else, as
//! `#[sync_impl]` did. rspotify fixed its clients' HTTP client by feature;
//! here they are generic over it (`ClientCredsSpotify<H>`).
//!
//! Code that must accept a sync-only client in the blocking world names
//! the blocking traits there: `replace(BaseHttpClient => BlockingBaseHttpClient)`
//! maps the bounds and the calls of the blocking twins, and the calls go
//! through the trait (`BaseHttpClient::get(http, ..)`), since the module
//! imports only the async trait.

/// rspotify-http.
pub mod http {
    use crate::model::{HttpError, respond};
    use std::collections::HashMap;
    use std::fmt;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU32, Ordering};

    pub type Headers = HashMap<String, String>;
    pub type Query<'a> = HashMap<&'a str, &'a str>;
    pub type Form<'a> = HashMap<&'a str, &'a str>;

    /// maybe-async: `#[maybe_async] pub trait BaseHttpClient` (async-trait,
    /// `Send` futures); here native `async fn`, `Send` through `send`.
    #[twoworlds::dual(send)]
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

    #[derive(Debug, Clone, Default)]
    pub struct ReqwestClient {
        pub requests: Arc<AtomicU32>,
    }

    impl ReqwestClient {
        /// The library's own async call (reqwest's `send().await`): in the
        /// blocking twin its future is bridged through `block_on`.
        async fn request(
            &self,
            method: &str,
            url: &str,
            headers: Option<&Headers>,
            payload: &HashMap<&str, &str>,
        ) -> Result<String, HttpError> {
            self.requests.fetch_add(1, Ordering::Relaxed);
            tokio::task::yield_now().await;
            respond("reqwest", method, url, headers, payload)
        }
    }

    /// maybe-async: `#[async_impl]`. `#[dual]` gives the async impl and,
    /// through `BlockingBaseHttpClient`'s blanket impl, a blocking one.
    #[twoworlds::dual]
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

    #[derive(Debug, Clone, Default)]
    pub struct UreqClient {
        pub requests: Arc<AtomicU32>,
    }

    /// maybe-async: `#[sync_impl]`. A sync-only client implements the
    /// blocking trait, by hand; it has no async impl.
    impl BlockingBaseHttpClient for UreqClient {
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
}

/// rspotify's client traits.
pub mod clients {
    use super::http::{BaseHttpClient, Form, Headers, Query};
    use crate::model::{
        API_URL, ClientError, ClientResult, Credentials, HttpError, TOKEN_URL, Token,
    };

    /// The token lock both worlds share: tokio's, which sync code can
    /// lock too (its `.lock().await` is bridged in the blocking twins).
    pub type TokenLock = tokio::sync::Mutex<Option<Token>>;

    #[twoworlds::dual(
        send,
        replace(BaseHttpClient => crate::trait_form::http::BlockingBaseHttpClient)
    )]
    pub trait BaseClient: Send + Sync {
        /// The HTTP client: async (`BaseHttpClient`) for this trait, any
        /// blocking one (`BlockingBaseHttpClient`) for `BlockingBaseClient`.
        type Http: BaseHttpClient<Error = HttpError>;

        fn get_http(&self) -> &Self::Http;
        fn get_creds(&self) -> &Credentials;
        fn get_token(&self) -> &TokenLock;

        fn api_url(&self, url: &str) -> String {
            format!("{API_URL}{url}")
        }

        async fn refetch_token(&self) -> ClientResult<Option<Token>>;

        async fn auto_reauth(&self) -> ClientResult<()> {
            let should_reauth =
                self.get_token().lock().await.as_ref().is_some_and(Token::is_expired);
            if should_reauth { self.refresh_token().await } else { Ok(()) }
        }

        async fn refresh_token(&self) -> ClientResult<()> {
            let token = self.refetch_token().await?;
            *self.get_token().lock().await = token;
            Ok(())
        }

        async fn auth_headers(&self) -> ClientResult<Headers> {
            self.auto_reauth().await?;
            Ok(self
                .get_token()
                .lock()
                .await
                .as_ref()
                .ok_or(ClientError::InvalidToken)?
                .auth_headers())
        }

        async fn api_get(&self, url: &str, payload: &Query<'_>) -> ClientResult<String> {
            let url = self.api_url(url);
            let headers = self.auth_headers().await?;
            Ok(BaseHttpClient::get(self.get_http(), &url, Some(&headers), payload).await?)
        }

        async fn fetch_access_token(
            &self,
            payload: &Form<'_>,
            headers: Option<&Headers>,
        ) -> ClientResult<Token> {
            let response =
                BaseHttpClient::post_form(self.get_http(), TOKEN_URL, headers, payload).await?;
            Token::parse(&response).ok_or(ClientError::InvalidToken)
        }

        async fn track(&self, id: &str, market: Option<&str>) -> ClientResult<String> {
            let mut params = Query::new();
            if let Some(market) = market {
                params.insert("market", market);
            }
            self.api_get(&format!("tracks/{id}"), &params).await
        }
    }

    /// `OAuthClient: BaseClient`: the default bodies call the supertrait's
    /// methods as written. The `replace` makes the blocking trait's
    /// supertrait `BlockingBaseClient` (without it, it would be
    /// `BaseClient`, and a sync-only type could not implement it).
    #[twoworlds::dual(send, replace(BaseClient => BlockingBaseClient))]
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

    /// One prelude per world: importing one never makes calls ambiguous.
    pub mod prelude {
        pub use super::{BaseClient, OAuthClient};

        pub mod blocking {
            pub use super::super::{BlockingBaseClient, BlockingOAuthClient};
        }
    }
}

use crate::model::{ClientError, ClientResult, Credentials, HttpError, Token};
use clients::{BaseClient, TokenLock};
use http::{BaseHttpClient, Form, UreqClient};

/// The Client Credentials flow, over any HTTP client.
#[derive(Debug, Default)]
pub struct ClientCredsSpotify<H> {
    pub creds: Credentials,
    pub token: TokenLock,
    pub http: H,
}

/// Both worlds for an async HTTP client.
#[twoworlds::dual]
impl<H: BaseHttpClient<Error = HttpError>> BaseClient for ClientCredsSpotify<H> {
    type Http = H;

    fn get_http(&self) -> &H {
        &self.http
    }

    fn get_creds(&self) -> &Credentials {
        &self.creds
    }

    fn get_token(&self) -> &TokenLock {
        &self.token
    }

    async fn refetch_token(&self) -> ClientResult<Option<Token>> {
        Ok(Some(self.fetch_token().await?))
    }
}

/// The blocking world for the sync-only HTTP client: the blocking trait by
/// hand (the methods without a default), delegating to the twins below.
impl clients::BlockingBaseClient for ClientCredsSpotify<UreqClient> {
    type Http = UreqClient;

    fn get_http(&self) -> &UreqClient {
        &self.http
    }

    fn get_creds(&self) -> &Credentials {
        &self.creds
    }

    fn get_token(&self) -> &TokenLock {
        &self.token
    }

    fn refetch_token(&self) -> ClientResult<Option<Token>> {
        Ok(Some(self.blocking_fetch_token()?))
    }
}

/// Inherent methods (maybe-async: `#[maybe_async] pub async fn`), written
/// once: `request_token` + `blocking_request_token`. Each twin asks for the
/// trait of its world (`where Self: BaseClient`, mapped by the `replace`),
/// so the blocking twins serve `ClientCredsSpotify<UreqClient>` too.
#[twoworlds::dual(replace(BaseClient => clients::BlockingBaseClient))]
impl<H> ClientCredsSpotify<H> {
    async fn fetch_token(&self) -> ClientResult<Token>
    where
        Self: BaseClient,
    {
        let mut data = Form::new();
        data.insert("grant_type", "client_credentials");
        let headers = BaseClient::get_creds(self).auth_headers();
        BaseClient::fetch_access_token(self, &data, Some(&headers)).await
    }

    pub async fn request_token(&self) -> ClientResult<()>
    where
        Self: BaseClient,
    {
        // Not `self.fetch_token().await`: in the blocking twin that is the
        // async `fetch_token`'s future, whose `where Self: BaseClient` a
        // sync-only client does not meet; name the twin in each world.
        let token = per_world!(async => self.fetch_token().await?, blocking => self.blocking_fetch_token()?);
        *self.token.lock().await = Some(token);
        Ok(())
    }
}

/// The Authorization Code flow, over any HTTP client.
#[derive(Debug, Default)]
pub struct AuthCodeSpotify<H> {
    pub creds: Credentials,
    pub token: TokenLock,
    pub http: H,
}

#[twoworlds::dual(replace(BaseClient => clients::BlockingBaseClient))]
impl<H> AuthCodeSpotify<H> {
    async fn refetch(&self) -> ClientResult<Option<Token>>
    where
        Self: BaseClient,
    {
        let refresh_token = match self.token.lock().await.as_ref() {
            Some(Token { refresh_token: Some(refresh_token), .. }) => refresh_token.clone(),
            _ => return Err(ClientError::InvalidToken),
        };
        let mut data = Form::new();
        data.insert("grant_type", "refresh_token");
        data.insert("refresh_token", &refresh_token);
        Ok(Some(BaseClient::fetch_access_token(self, &data, None).await?))
    }

    async fn exchange_code(&self, code: &str) -> ClientResult<()>
    where
        Self: BaseClient,
    {
        let mut data = Form::new();
        data.insert("grant_type", "authorization_code");
        data.insert("code", code);
        let headers = BaseClient::get_creds(self).auth_headers();
        let token = BaseClient::fetch_access_token(self, &data, Some(&headers)).await?;
        *self.token.lock().await = Some(token);
        Ok(())
    }
}

#[twoworlds::dual]
impl<H: BaseHttpClient<Error = HttpError>> BaseClient for AuthCodeSpotify<H> {
    type Http = H;

    fn get_http(&self) -> &H {
        &self.http
    }

    fn get_creds(&self) -> &Credentials {
        &self.creds
    }

    fn get_token(&self) -> &TokenLock {
        &self.token
    }

    async fn refetch_token(&self) -> ClientResult<Option<Token>> {
        self.refetch().await
    }
}

#[twoworlds::dual]
impl<H: BaseHttpClient<Error = HttpError>> clients::OAuthClient for AuthCodeSpotify<H> {
    async fn request_token(&self, code: &str) -> ClientResult<()> {
        self.exchange_code(code).await
    }
}

impl clients::BlockingBaseClient for AuthCodeSpotify<UreqClient> {
    type Http = UreqClient;

    fn get_http(&self) -> &UreqClient {
        &self.http
    }

    fn get_creds(&self) -> &Credentials {
        &self.creds
    }

    fn get_token(&self) -> &TokenLock {
        &self.token
    }

    fn refetch_token(&self) -> ClientResult<Option<Token>> {
        self.blocking_refetch()
    }
}

impl clients::BlockingOAuthClient for AuthCodeSpotify<UreqClient> {
    fn request_token(&self, code: &str) -> ClientResult<()> {
        self.blocking_exchange_code(code)
    }
}

/// Generic code written once over the client traits: the blocking twin
/// takes any `BlockingOAuthClient` (the `replace`), so the sync-only client
/// too.
#[twoworlds::dual(replace(clients::OAuthClient => clients::BlockingOAuthClient))]
pub async fn login_and_list<C: clients::OAuthClient>(
    client: &C,
    code: &str,
) -> ClientResult<String> {
    client.request_token(code).await?;
    client.current_user_saved_tracks(2).await
}
