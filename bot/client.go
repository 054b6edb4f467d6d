package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/silenceper/wechat/v2/cache"
	"github.com/silenceper/wechat/v2/util"
	"golang.org/x/sync/singleflight"
)

// DefaultAPIBase is WeCom's API host.
const DefaultAPIBase = "https://qyapi.weixin.qq.com"

// maxResponse bounds how much of an API answer is read.
const maxResponse = 4 << 20

// ClientConfig configures a Client. Only Secret is needed for token-based
// calls; webhook and response_url posts work without it.
type ClientConfig struct {
	APIBase string // default DefaultAPIBase; tests and sim point it at a fake
	CorpID  string
	AgentID int
	Secret  string
	HTTP    *http.Client // default: 10 s total timeout
	Tokens  cache.Cache  // default: cache.NewMemory(); the store's TokenCache shares tokens across replicas
}

// Client calls WeCom's server APIs with a cached access token.
type Client struct {
	cfg    ClientConfig
	base   string
	http   *http.Client
	tokens cache.Cache
	flight singleflight.Group
}

// NewClient fills the defaults of cfg.
func NewClient(cfg ClientConfig) *Client {
	c := &Client{cfg: cfg, http: cfg.HTTP, tokens: cfg.Tokens}
	c.base = strings.TrimRight(cfg.APIBase, "/")
	if c.base == "" {
		c.base = DefaultAPIBase
	}
	if c.http == nil {
		c.http = &http.Client{Timeout: 10 * time.Second}
	}
	if c.tokens == nil {
		c.tokens = cache.NewMemory()
	}
	return c
}

// call performs one token-authenticated API call. GET when body is nil,
// otherwise a JSON POST. On 40014/42001 it drops the token, fetches a new one
// and retries exactly once.
func (c *Client) call(ctx context.Context, api string, query url.Values, body, out any) error {
	for attempt := 0; ; attempt++ {
		tok, err := c.token(ctx)
		if err != nil {
			return err
		}
		q := url.Values{}
		for k, v := range query {
			q[k] = v
		}
		q.Set("access_token", tok)
		err = c.do(ctx, api, c.apiURL(api, q), body, out)
		var ae *APIError
		if attempt == 0 && errors.As(err, &ae) && ae.tokenInvalid() {
			c.dropToken(ctx, tok)
			continue
		}
		return err
	}
}

func (c *Client) apiURL(api string, q url.Values) string {
	return c.base + "/cgi-bin/" + api + "?" + q.Encode()
}

// do sends one request and checks the errcode of the answer. Errors never
// contain the URL: its query holds the secret, the token or the webhook key.
func (c *Client) do(ctx context.Context, api, rawURL string, body, out any) error {
	req, err := newRequest(ctx, rawURL, body)
	if err != nil {
		return fmt.Errorf("bot: %s: %w", api, err)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return fmt.Errorf("bot: %s: %w", api, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	if err != nil {
		return fmt.Errorf("bot: %s: read answer: %w", api, err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("bot: %s: HTTP status %d", api, resp.StatusCode)
	}
	var ce util.CommonError
	if err := json.Unmarshal(b, &ce); err != nil {
		return fmt.Errorf("bot: %s: answer is not JSON: %w", api, err)
	}
	if ce.ErrCode != 0 {
		return &APIError{API: api, Code: int(ce.ErrCode), Msg: ce.ErrMsg}
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			return fmt.Errorf("bot: %s: decode answer: %w", api, err)
		}
	}
	return nil
}

func newRequest(ctx context.Context, rawURL string, body any) (*http.Request, error) {
	if body == nil {
		return http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	}
	b, err := marshalJSON(body)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, rawURL, bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	return req, nil
}
