package bot

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"time"

	"github.com/silenceper/wechat/v2/cache"
	"github.com/silenceper/wechat/v2/util"
)

// tokenMargin is how long before WeCom's expiry a cached token is dropped.
const tokenMargin = 5 * time.Minute

// tokenFetchTimeout bounds a shared token fetch, which outlives any single
// caller's context.
const tokenFetchTimeout = 30 * time.Second

// tokenKey names the cached token: one per corp and app, since each app
// secret has its own token.
func (c *Client) tokenKey() string {
	return "access_token:" + c.cfg.CorpID + ":" + strconv.Itoa(c.cfg.AgentID)
}

// token returns the cached access token or fetches one. Concurrent misses
// share one gettoken call.
func (c *Client) token(ctx context.Context) (string, error) {
	if c.cfg.Secret == "" {
		return "", permanentError{ErrAPIDisabled}
	}
	key := c.tokenKey()
	if tok, ok := cache.GetContext(ctx, c.tokens, key).(string); ok && tok != "" {
		return tok, nil
	}
	ch := c.flight.DoChan(key, func() (any, error) {
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), tokenFetchTimeout)
		defer cancel()
		if tok, ok := cache.GetContext(fctx, c.tokens, key).(string); ok && tok != "" {
			return tok, nil
		}
		return c.fetchToken(fctx, key)
	})
	select {
	case r := <-ch:
		if r.Err != nil {
			return "", r.Err
		}
		return r.Val.(string), nil
	case <-ctx.Done():
		return "", fmt.Errorf("bot: access token: %w", ctx.Err())
	}
}

type tokenAnswer struct {
	util.CommonError
	AccessToken string `json:"access_token"`
	ExpiresIn   int    `json:"expires_in"`
}

func (c *Client) fetchToken(ctx context.Context, key string) (string, error) {
	q := url.Values{"corpid": {c.cfg.CorpID}, "corpsecret": {c.cfg.Secret}}
	var ans tokenAnswer
	if err := c.do(ctx, "gettoken", c.base+"/cgi-bin/gettoken?"+q.Encode(), nil, &ans); err != nil {
		return "", err
	}
	if ans.AccessToken == "" {
		return "", errors.New("bot: gettoken: answer has no access_token")
	}
	// A token the cache cannot keep (Redis down) is still good for this
	// call; the next one fetches again.
	_ = cache.SetContext(ctx, c.tokens, key, ans.AccessToken, tokenTTL(ans.ExpiresIn))
	return ans.AccessToken, nil
}

// tokenTTL keeps a safety margin before WeCom's expiry.
func tokenTTL(expiresIn int) time.Duration {
	if expiresIn <= 0 {
		expiresIn = 7200
	}
	d := time.Duration(expiresIn) * time.Second
	if d <= 2*tokenMargin {
		return d / 2
	}
	return d - tokenMargin
}

// dropToken forgets used, unless another caller already replaced it.
func (c *Client) dropToken(ctx context.Context, used string) {
	key := c.tokenKey()
	if tok, _ := cache.GetContext(ctx, c.tokens, key).(string); tok == used {
		_ = cache.DeleteContext(ctx, c.tokens, key)
	}
}
