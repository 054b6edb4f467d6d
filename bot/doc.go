// Package bot is qunbot's WeCom (企业微信) protocol layer: callback crypto,
// the 智能机器人 JSON and self-built app XML wire formats normalized into
// Event, and Client, which delivers Actions through WeCom's server APIs.
//
// Crypto implements the WXBizMsgCrypt scheme itself rather than through
// silenceper/wechat's util.DecryptMsg, because that function rejects an empty
// receiveid, which is exactly what every 智能机器人 callback carries, and
// does not validate PKCS#7 padding strictly.
//
// Client reuses silenceper/wechat where it fits (the cache.Cache interface
// for tokens, appchat request structs, util.CommonError for errcodes) but
// makes the HTTP calls itself: silenceper hard-codes qyapi.weixin.qq.com
// (tests and `qunbot sim` need a configurable base URL), uses an HTTP client
// without timeouts, returns nil errors for some non-zero errcodes, and never
// drops a token WeCom declared invalid. Here every answer's errcode is
// checked, an invalid or expired token (40014/42001) is refetched once under
// a single-flight and the call retried once, and APIError.Permanent tells the
// outbox whether a retry can help. Errors never contain request URLs, whose
// query strings hold the app secret, the access token or a webhook key.
//
// Calls that need an access token fail with ErrAPIDisabled (permanent) when
// no app secret is configured; webhook posts and response_url answers need
// none and still work.
package bot
