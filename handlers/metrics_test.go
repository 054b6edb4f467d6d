package handlers

import (
	"net/http"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

func TestMetricsEndpoint(t *testing.T) {
	reg := prometheus.NewRegistry()
	m := NewMetrics(reg)
	f := newFixture(t, func(d *Deps) { d.Registry, d.Metrics = nil, m })
	if err := m.WatchOutboxDepth(func() float64 { return 3 }); err != nil {
		t.Fatal(err)
	}
	m.RuleHit("checkin")
	m.WeComAPIError("appchat/send", 86003)

	f.decider.actions = replyActions("ok")
	f.post(t, aibotDelivery(t, f.aibot, aibotText, now))
	f.post(t, delivery{"/wecom/app", signedQuery(f.app, now, "x"), []byte("<xml>")})

	res := f.do(t, http.MethodGet, "/metrics", nil)
	for _, want := range []string{
		`qunbot_callbacks_total{endpoint="aibot",outcome="ok"} 1`,
		`qunbot_callbacks_total{endpoint="app",outcome="malformed"} 1`,
		`qunbot_callbacks_total{endpoint="app",outcome="ok"} 0`,
		`qunbot_callback_duration_seconds_count{endpoint="aibot"} 1`,
		`qunbot_callback_duration_seconds_bucket{endpoint="app",le="5"} 1`,
		`qunbot_rule_hits_total{rule="checkin"} 1`,
		`qunbot_wecom_api_errors_total{api="appchat/send",code="86003"} 1`,
		`qunbot_outbox_depth 3`,
	} {
		if !strings.Contains(res.body, want+"\n") {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

func TestAccessLogKeepsSecretsOut(t *testing.T) {
	f := newFixture(t, nil)
	f.decider.actions = replyActions("ok")
	d := aibotDelivery(t, f.aibot, aibotText, now)
	f.post(t, d)
	f.do(t, http.MethodGet, "/api/v1/groups?x=1", nil)
	logs := f.logs.String()
	for _, secret := range []string{d.query.Get("msg_signature"), "msg_signature", "签到", "encrypt"} {
		if strings.Contains(logs, secret) {
			t.Errorf("the log shows %q:\n%s", secret, logs)
		}
	}
	for _, want := range []string{`"method":"POST","path":"/wecom/aibot","status":200`, `"query":"x=1"`} {
		if !strings.Contains(logs, want) {
			t.Errorf("the log lacks %s:\n%s", want, logs)
		}
	}
}
