package handlers

import (
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// vectorFile is testdata/vectors.json: WeCom's official crypto vectors and a
// synthetic 智能机器人 (empty receiveid) one.
type vectorFile struct {
	Vectors []struct {
		ID, Token, Receiveid, Timestamp, Nonce, Echostr string
		AESKey                                          string `json:"encoding_aes_key"`
		Signature                                       string `json:"msg_signature"`
		Derived                                         struct{ Plaintext string }
	}
	Synthetic []struct {
		Token     string
		AESKey    string `json:"encoding_aes_key"`
		VerifyURL struct {
			Echostr, Nonce, Timestamp string
			Signature                 string `json:"msg_signature"`
			Plaintext                 string `json:"expected_echo_plaintext"`
		} `json:"verify_url"`
		InboundPost struct {
			Body, Nonce, Timestamp string
			Signature              string `json:"msg_signature"`
		} `json:"inbound_post"`
	}
}

func loadVectors(t *testing.T) vectorFile {
	t.Helper()
	b, err := os.ReadFile("testdata/vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var v vectorFile
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func unixClock(t *testing.T, ts string) func() time.Time {
	t.Helper()
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return func() time.Time { return time.Unix(sec, 30) }
}

func verifyPath(endpoint string, q url.Values, echostr string) string {
	q.Set("echostr", echostr)
	return "/wecom/" + endpoint + "?" + q.Encode()
}

func TestVerifyURLOfficialVectorOnApp(t *testing.T) {
	for _, v := range loadVectors(t).Vectors {
		if v.Echostr == "" {
			continue
		}
		t.Run(v.ID, func(t *testing.T) {
			f := newFixture(t, func(d *Deps) {
				d.App = mustCrypto(t, v.Token, v.AESKey, v.Receiveid)
				d.Now = unixClock(t, v.Timestamp)
			})
			q := url.Values{"msg_signature": {v.Signature}, "timestamp": {v.Timestamp}, "nonce": {v.Nonce}}
			res := f.do(t, http.MethodGet, verifyPath(endpointApp, q, v.Echostr), nil)
			if res.status != http.StatusOK || res.body != v.Derived.Plaintext {
				t.Errorf("got %d %q, want 200 %q (bare, no newline)", res.status, res.body, v.Derived.Plaintext)
			}
			// A '+' sent unencoded arrives as a space; it is put back.
			raw := "/wecom/app?msg_signature=" + v.Signature + "&timestamp=" + v.Timestamp + "&nonce=" + v.Nonce +
				"&echostr=" + strings.ReplaceAll(url.QueryEscape(v.Echostr), "%2B", "+")
			if res := f.do(t, http.MethodGet, raw, nil); res.body != v.Derived.Plaintext {
				t.Errorf("unencoded '+': got %d %q, want %q", res.status, res.body, v.Derived.Plaintext)
			}
		})
	}
}

func TestVerifyURLEmptyReceiveIDOnAIBot(t *testing.T) {
	s := loadVectors(t).Synthetic[0]
	f := newFixture(t, func(d *Deps) {
		d.AIBot = mustCrypto(t, s.Token, s.AESKey, "")
		d.Now = unixClock(t, s.VerifyURL.Timestamp)
	})
	v := s.VerifyURL
	q := url.Values{"msg_signature": {v.Signature}, "timestamp": {v.Timestamp}, "nonce": {v.Nonce}}
	if res := f.do(t, http.MethodGet, verifyPath(endpointAIBot, q, v.Echostr), nil); res.status != http.StatusOK ||
		res.body != v.Plaintext {
		t.Errorf("got %d %q, want 200 %q", res.status, res.body, v.Plaintext)
	}
}

func TestVerifyURL(t *testing.T) {
	tests := []struct {
		name      string
		endpoint  string
		token     string
		key       string
		receiveID string // the receiveid the echostr is encrypted with
		at        time.Duration
		unsigned  bool
		status    int
		outcome   string
	}{
		{"aibot", endpointAIBot, aibotToken, aibotKey, "", 0, false, http.StatusOK, outcomeOK},
		{"app", endpointApp, appToken, appKey, corpID, 0, false, http.StatusOK, outcomeOK},
		{"aibot non-empty receiveid", endpointAIBot, aibotToken, aibotKey, corpID, 0, false, http.StatusBadRequest, outcomeUndecryptable},
		{"app wrong receiveid", endpointApp, appToken, appKey, "wwOther", 0, false, http.StatusBadRequest, outcomeUndecryptable},
		{"app empty receiveid", endpointApp, appToken, appKey, "", 0, false, http.StatusBadRequest, outcomeUndecryptable},
		{"wrong token", endpointApp, "nope", appKey, corpID, 0, false, http.StatusUnauthorized, outcomeBadSignature},
		{"no signature", endpointAIBot, aibotToken, aibotKey, "", 0, true, http.StatusUnauthorized, outcomeBadSignature},
		{"stale", endpointAIBot, aibotToken, aibotKey, "", -time.Hour, false, http.StatusUnauthorized, outcomeStale},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, nil)
			sender := mustCrypto(t, tt.token, tt.key, tt.receiveID)
			echo := mustEncrypt(t, sender, "echo-4242")
			q := signedQuery(sender, now.Add(tt.at), echo)
			if tt.unsigned {
				q.Del("msg_signature")
			}
			res := f.do(t, http.MethodGet, verifyPath(tt.endpoint, q, echo), nil)
			if res.status != tt.status {
				t.Errorf("status = %d, want %d", res.status, tt.status)
			}
			if tt.status == http.StatusOK && res.body != "echo-4242" {
				t.Errorf("body = %q, want %q", res.body, "echo-4242")
			}
			if got := callbackCount(t, f.reg, tt.endpoint, tt.outcome); got != 1 {
				t.Errorf("%s count = %v, want 1", tt.outcome, got)
			}
		})
	}
}

func TestSyntheticAIBotDelivery(t *testing.T) {
	s := loadVectors(t).Synthetic[0]
	in := s.InboundPost
	f := newFixture(t, func(d *Deps) {
		d.AIBot = mustCrypto(t, s.Token, s.AESKey, "")
		d.Now = unixClock(t, in.Timestamp)
	})
	f.decider.actions = replyActions("hello back")
	q := url.Values{"msg_signature": {in.Signature}, "timestamp": {in.Timestamp}, "nonce": {in.Nonce}}
	res := f.do(t, http.MethodPost, "/wecom/aibot?"+q.Encode(), []byte(in.Body))
	if res.status != http.StatusOK {
		t.Fatalf("status = %d, want 200", res.status)
	}
	if ev := f.decider.events[0]; ev.ID != "MSGID_TEST_1" || ev.ChatID != "CHATID" || ev.From != "zhangsan" || ev.Text != "hello" {
		t.Errorf("event = %+v", ev)
	}
}
