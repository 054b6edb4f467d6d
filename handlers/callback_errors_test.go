package handlers

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/qunbot/qunbot/bot"
)

// callbackCount reads qunbot_callbacks_total{endpoint,outcome}.
func callbackCount(t *testing.T, reg *prometheus.Registry, endpoint, outcome string) float64 {
	t.Helper()
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range families {
		if mf.GetName() != "qunbot_callbacks_total" {
			continue
		}
		for _, m := range mf.GetMetric() {
			labels := map[string]string{}
			for _, l := range m.GetLabel() {
				labels[l.GetName()] = l.GetValue()
			}
			if labels["endpoint"] == endpoint && labels["outcome"] == outcome {
				return m.GetCounter().GetValue()
			}
		}
	}
	t.Fatalf("no qunbot_callbacks_total{endpoint=%q,outcome=%q}", endpoint, outcome)
	return 0
}

// wire builds deliveries of one endpoint, so the error table runs on both.
type wire struct {
	endpoint    string
	deliver     func(t *testing.T, c *bot.Crypto, plain string, at time.Time) delivery
	crypto      func(f *fixture) *bot.Crypto
	receiveID   string // the receiveid the endpoint expects
	token, key  string
	valid       string // a plaintext the endpoint accepts
	malformed   string // a plaintext it cannot parse
	unsupported string // a well-formed plaintext of a type it ignores
	badEnvelope string
}

var wires = []wire{
	{
		endpoint: endpointAIBot, deliver: aibotDelivery, crypto: func(f *fixture) *bot.Crypto { return f.aibot },
		receiveID: "", token: aibotToken, key: aibotKey, valid: aibotText, malformed: `{"msgid":`,
		unsupported: `{"msgid":"s1","msgtype":"stream","stream":{"id":"x"}}`, badEnvelope: `{"tousername":"x"}`,
	},
	{
		endpoint: endpointApp, deliver: appDelivery, crypto: func(f *fixture) *bot.Crypto { return f.app },
		receiveID: corpID, token: appToken, key: appKey, valid: appText, malformed: `<xml><MsgType>text`,
		unsupported: `<xml><FromUserName>bob</FromUserName><CreateTime>1795000000</CreateTime><MsgType>event</MsgType>` +
			`<Event>some_future_event</Event></xml>`,
		badEnvelope: `<xml><ToUserName>x</ToUserName></xml>`,
	},
}

func TestCallbackErrors(t *testing.T) {
	for _, w := range wires {
		tests := []struct {
			name    string
			make    func(t *testing.T, f *fixture) delivery
			status  int
			outcome string
		}{
			{"missing signature", func(t *testing.T, f *fixture) delivery {
				d := w.deliver(t, w.crypto(f), w.valid, now)
				d.query.Del("msg_signature")
				return d
			}, http.StatusUnauthorized, outcomeBadSignature},
			{"wrong signature", func(t *testing.T, f *fixture) delivery {
				return w.deliver(t, mustCrypto(t, "otherToken", w.key, w.receiveID), w.valid, now)
			}, http.StatusUnauthorized, outcomeBadSignature},
			{"signature over other data", func(t *testing.T, f *fixture) delivery {
				d := w.deliver(t, w.crypto(f), w.valid, now)
				d.query.Set("nonce", "1")
				return d
			}, http.StatusUnauthorized, outcomeBadSignature},
			{"stale timestamp", func(t *testing.T, f *fixture) delivery {
				return w.deliver(t, w.crypto(f), w.valid, now.Add(-11*time.Minute))
			}, http.StatusUnauthorized, outcomeStale},
			{"future timestamp", func(t *testing.T, f *fixture) delivery {
				return w.deliver(t, w.crypto(f), w.valid, now.Add(11*time.Minute))
			}, http.StatusUnauthorized, outcomeStale},
			{"non-numeric timestamp", func(t *testing.T, f *fixture) delivery {
				d := w.deliver(t, w.crypto(f), w.valid, now)
				enc := encryptOf(t, w, d)
				d.query = url.Values{"timestamp": {"soon"}, "nonce": {"1"},
					"msg_signature": {w.crypto(f).Signature("soon", "1", enc)}}
				return d
			}, http.StatusUnauthorized, outcomeStale},
			{"body over 1 MiB", func(t *testing.T, f *fixture) delivery {
				d := w.deliver(t, w.crypto(f), w.valid, now)
				d.body = append(d.body, bytes.Repeat([]byte(" "), maxBody)...)
				return d
			}, http.StatusRequestEntityTooLarge, outcomeTooLarge},
			{"malformed envelope", func(t *testing.T, f *fixture) delivery {
				d := w.deliver(t, w.crypto(f), w.valid, now)
				d.body = []byte(w.badEnvelope)
				return d
			}, http.StatusBadRequest, outcomeMalformed},
			{"undecryptable", func(t *testing.T, f *fixture) delivery {
				return signedEnvelope(t, w, w.crypto(f), "bm90IGNpcGhlcnRleHQ=")
			}, http.StatusBadRequest, outcomeUndecryptable},
			{"wrong key", func(t *testing.T, f *fixture) delivery {
				other := mustCrypto(t, w.token, strings.Repeat("A", 43), w.receiveID)
				return w.deliver(t, other, w.valid, now)
			}, http.StatusBadRequest, outcomeUndecryptable},
			{"wrong receiveid", func(t *testing.T, f *fixture) delivery {
				return w.deliver(t, mustCrypto(t, w.token, w.key, "wwSomeoneElse"), w.valid, now)
			}, http.StatusBadRequest, outcomeUndecryptable},
			{"malformed payload", func(t *testing.T, f *fixture) delivery {
				return w.deliver(t, w.crypto(f), w.malformed, now)
			}, http.StatusBadRequest, outcomeMalformed},
			{"unsupported type", func(t *testing.T, f *fixture) delivery {
				return w.deliver(t, w.crypto(f), w.unsupported, now)
			}, http.StatusOK, outcomeUnsupported},
		}
		for _, tt := range tests {
			t.Run(w.endpoint+"/"+tt.name, func(t *testing.T) {
				f := newFixture(t, nil)
				res := f.post(t, tt.make(t, f))
				if res.status != tt.status {
					t.Errorf("status = %d, want %d (body %q)", res.status, tt.status, res.body)
				}
				if tt.status == http.StatusOK && res.body != "" {
					t.Errorf("body = %q, want empty", res.body)
				}
				if got := f.decider.calls(); got != 0 {
					t.Errorf("Decider called %d times, want 0", got)
				}
				if got := callbackCount(t, f.reg, w.endpoint, tt.outcome); got != 1 {
					t.Errorf("%s count = %v, want 1", tt.outcome, got)
				}
			})
		}
	}
}

// encryptOf extracts the ciphertext from a delivery's envelope.
func encryptOf(t *testing.T, w wire, d delivery) string {
	t.Helper()
	parse := bot.ParseAIBotEnvelope
	if w.endpoint == endpointApp {
		parse = bot.ParseAppEnvelope
	}
	enc, err := parse(d.body)
	if err != nil {
		t.Fatal(err)
	}
	return enc
}

// signedEnvelope wraps arbitrary "ciphertext" in a correctly signed envelope.
func signedEnvelope(t *testing.T, w wire, c *bot.Crypto, enc string) delivery {
	t.Helper()
	body := `{"encrypt":"` + enc + `"}`
	if w.endpoint == endpointApp {
		body = "<xml><Encrypt><![CDATA[" + enc + "]]></Encrypt></xml>"
	}
	return delivery{"/wecom/" + w.endpoint, signedQuery(c, now, enc), []byte(body)}
}

func TestSkewCheckDisabled(t *testing.T) {
	f := newFixture(t, func(d *Deps) { d.MaxSkew = 0 })
	res := f.post(t, aibotDelivery(t, f.aibot, aibotText, now.Add(-72*time.Hour)))
	if res.status != http.StatusOK || f.decider.calls() != 1 {
		t.Errorf("status %d, Decider calls %d; want 200 and 1 with the skew check off", res.status, f.decider.calls())
	}
}
