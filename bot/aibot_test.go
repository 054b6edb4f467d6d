package bot

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

func readGolden(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func TestParseAIBotGolden(t *testing.T) {
	const rurl = "https://qyapi.weixin.qq.com/cgi-bin/aibot/response?response_code="
	aibot := func(e Event) Event { e.Channel = ChannelAIBot; return e }
	tests := []struct {
		file string
		want Event
	}{
		{"text_group.json", aibot(Event{ID: "MSG1", Kind: KindMessage, At: time.Unix(1750000000, 0).UTC(), ChatID: "G1", From: "zhangsan", MsgType: "text", Text: "签到", ResponseURL: rurl + "RC1"})},
		{"text_single.json", aibot(Event{ID: "MSG2", Kind: KindMessage, From: "lisi", MsgType: "text", Text: "/points", ResponseURL: rurl + "RC2"})},
		{"text_mention_u2005.json", aibot(Event{ID: "MSG3", Kind: KindMessage, At: time.Unix(1750000001, 0).UTC(), ChatID: "G1", From: "zhangsan", MsgType: "text", Text: "hello robot"})},
		{"mixed.json", aibot(Event{ID: "MSG4", Kind: KindMessage, ChatID: "G1", From: "wangwu", MsgType: "mixed", Text: "看这张图\n第二段"})},
		{"quote.json", aibot(Event{ID: "MSG5", Kind: KindMessage, ChatID: "G1", From: "zhangsan", MsgType: "text", Text: "/warn bob", Quote: "加我微信领红包"})},
		{"voice.json", aibot(Event{ID: "MSG6", Kind: KindMessage, From: "lisi", MsgType: "voice", Text: "签到"})},
		{"image.json", aibot(Event{ID: "MSG7", Kind: KindMessage, From: "lisi", MsgType: "image"})},
		{"file.json", aibot(Event{ID: "MSG8", Kind: KindMessage, From: "lisi", MsgType: "file"})},
		{"event_enter_chat.json", aibot(Event{ID: "EV1", Kind: KindEnterChat, At: time.Unix(1750000100, 0).UTC(), From: "zhangsan"})},
		{"event_template_card.json", aibot(Event{ID: "EV2", Kind: KindCardClick, At: time.Unix(1750000200, 0).UTC(), ChatID: "G1", From: "admin1", ResponseURL: rurl + "RC3",
			Card: CardClick{EventKey: "remove:42", TaskID: "task-42", CardType: "button_interaction"}})},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := ParseAIBot(readGolden(t, "aibot/"+tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestParseAIBotRejects(t *testing.T) {
	tests := []struct {
		name string
		body []byte
		want error
	}{
		{"stream refresh", readGolden(t, "aibot/stream.json"), ErrUnsupported},
		{"feedback event", readGolden(t, "aibot/event_feedback.json"), ErrUnsupported},
		{"unknown msgtype", []byte(`{"msgid":"x","msgtype":"hologram"}`), ErrUnsupported},
		{"not json", []byte(`<xml/>`), ErrMalformed},
		{"no msgid", []byte(`{"msgtype":"text","text":{"content":"hi"}}`), ErrMalformed},
		{"event without type", []byte(`{"msgid":"x","msgtype":"event","event":{}}`), ErrMalformed},
		{"wrong field type", []byte(`{"msgid":"x","msgtype":"text","text":"hi"}`), ErrMalformed},
		{"bad create_time", []byte(`{"msgid":"x","msgtype":"text","create_time":"soon"}`), ErrMalformed},
	}
	for _, tt := range tests {
		if _, err := ParseAIBot(tt.body); !errors.Is(err, tt.want) {
			t.Errorf("%s: err = %v, want %v", tt.name, err, tt.want)
		}
	}
}

func TestStripMention(t *testing.T) {
	tests := map[string]string{
		"@qunbot 签到":                 "签到",
		"@RobotA hello robot":        "hello robot",
		"  @qunbot\u2005 /top week ": "/top week",
		"@qunbot":                    "",
		"签到 @qunbot":                 "签到 @qunbot",
		"plain":                      "plain",
		"@qunbot @bob hi":            "@bob hi",
	}
	for in, want := range tests {
		if got := stripMention(in); got != want {
			t.Errorf("stripMention(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseAIBotEnvelope(t *testing.T) {
	tests := []struct {
		body, want string
		err        error
	}{
		{`{"encrypt":"abc"}`, "abc", nil},
		{`{"tousername":"wx","encrypt":"abc","agentid":218}`, "abc", nil},
		{`{"tousername":"wx","encrypt":"abc","agentid":"218"}`, "abc", nil},
		{`{"encrypt":""}`, "", ErrMalformed},
		{`{}`, "", ErrMalformed},
		{`not json`, "", ErrMalformed},
		{`{"encrypt":5}`, "", ErrMalformed},
	}
	for _, tt := range tests {
		got, err := ParseAIBotEnvelope([]byte(tt.body))
		if got != tt.want || !errors.Is(err, tt.err) {
			t.Errorf("ParseAIBotEnvelope(%s) = %q, %v; want %q, %v", tt.body, got, err, tt.want, tt.err)
		}
	}
}

func TestAIBotReplyRoundTrip(t *testing.T) {
	c := mustCrypto(t, "QDG6eK", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "")
	body, err := c.AIBotReply("S1", "签到成功 +5 <b>&</b>", "1750000000", "42")
	if err != nil {
		t.Fatal(err)
	}
	plain, err := c.ParseAIBotReply(body)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"msgtype":"stream","stream":{"id":"S1","finish":true,"content":"签到成功 +5 <b>&</b>"}}`
	if string(plain) != want {
		t.Errorf("plaintext = %s, want %s", plain, want)
	}
	other := mustCrypto(t, "other", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "")
	if _, err := other.ParseAIBotReply(body); !errors.Is(err, ErrSignature) {
		t.Errorf("reply under another token: err = %v, want ErrSignature", err)
	}
}
