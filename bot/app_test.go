package bot

import (
	"encoding/xml"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestParseAppGolden(t *testing.T) {
	app := func(e Event) Event { e.Channel = ChannelApp; return e }
	tests := []struct {
		file string
		want Event // ID of events is checked separately
	}{
		{"text.xml", app(Event{ID: "app:1456453720", Kind: KindMessage, At: time.Unix(1476422779, 0).UTC(), From: "ChenJiaShun", MsgType: "text", Text: "/in G1 /warn bob"})},
		{"image.xml", app(Event{ID: "app:1456453721", Kind: KindMessage, At: time.Unix(1476422780, 0).UTC(), From: "lisi", MsgType: "image"})},
		{"voice.xml", app(Event{ID: "app:1456453722", Kind: KindMessage, At: time.Unix(1476422781, 0).UTC(), From: "lisi", MsgType: "voice", Text: "签到"})},
		{"link.xml", app(Event{ID: "app:1456453723", Kind: KindMessage, At: time.Unix(1476422782, 0).UTC(), From: "lisi", MsgType: "link"})},
		{"location.xml", app(Event{ID: "app:1456453724", Kind: KindMessage, At: time.Unix(1476422783, 0).UTC(), From: "lisi", MsgType: "location"})},
		{"add_member.xml", app(Event{Kind: KindMemberJoin, At: time.Unix(1700000000, 0).UTC(), ChatID: "G3", From: "sys",
			Member: MemberChange{ChangeType: "update", UpdateDetail: "add_member", UserIDs: []string{"wmAAA", "bob"}, Count: 2, JoinScene: 3, LastMemVer: "v1", CurMemVer: "v2"}})},
		{"del_member.xml", app(Event{Kind: KindMemberLeave, At: time.Unix(1700000000, 0).UTC(), ChatID: "G3", From: "sys",
			Member: MemberChange{ChangeType: "update", UpdateDetail: "del_member", UserIDs: []string{"bob"}, Count: 1, QuitScene: 1, LastMemVer: "v2", CurMemVer: "v3"}})},
		{"change_name.xml", app(Event{Kind: KindGroupChange, At: time.Unix(1700000001, 0).UTC(), ChatID: "G3", From: "sys", Member: MemberChange{ChangeType: "update", UpdateDetail: "change_name"}})},
		{"create.xml", app(Event{Kind: KindGroupChange, At: time.Unix(1700000002, 0).UTC(), ChatID: "G3", From: "sys", Member: MemberChange{ChangeType: "create"}})},
		{"dismiss.xml", app(Event{Kind: KindGroupChange, At: time.Unix(1700000003, 0).UTC(), ChatID: "G3", From: "sys", Member: MemberChange{ChangeType: "dismiss"}})},
		{"template_card_event.xml", app(Event{Kind: KindCardClick, At: time.Unix(1700000004, 0).UTC(), From: "admin1", Card: CardClick{EventKey: "remove:42", TaskID: "task-42", CardType: "button_interaction"}})},
		{"msgaudit_notify.xml", app(Event{Kind: KindArchiveNotify, At: time.Unix(1700000005, 0).UTC(), From: "sys"})},
	}
	ids := map[string]string{}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := ParseApp(readGolden(t, "app/"+tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(got.ID, "app:") || len(got.ID) < 5 {
				t.Errorf("ID = %q, want app:<...>", got.ID)
			}
			if prev, dup := ids[got.ID]; dup {
				t.Errorf("ID %s also given to %s", got.ID, prev)
			}
			ids[got.ID] = tt.file
			if tt.want.ID == "" {
				tt.want.ID = got.ID
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestParseAppRejects(t *testing.T) {
	tests := []struct {
		name string
		body []byte
		want error
	}{
		{"unknown MsgType", readGolden(t, "app/unknown_type.xml"), ErrUnsupported},
		{"unknown event", readGolden(t, "app/enter_agent.xml"), ErrUnsupported},
		{"not xml", []byte(`{"msgtype":"text"}`), ErrMalformed},
		{"wrong root", []byte(`<doc><MsgType>text</MsgType></doc>`), ErrMalformed},
		{"no MsgType", []byte(`<xml><Content>hi</Content></xml>`), ErrMalformed},
		{"text without MsgId", []byte(`<xml><MsgType>text</MsgType><Content>hi</Content></xml>`), ErrMalformed},
		{"event without Event", []byte(`<xml><MsgType>event</MsgType></xml>`), ErrMalformed},
		{"bad CreateTime", []byte(`<xml><MsgType>text</MsgType><CreateTime>soon</CreateTime><MsgId>1</MsgId></xml>`), ErrMalformed},
	}
	for _, tt := range tests {
		if _, err := ParseApp(tt.body); !errors.Is(err, tt.want) {
			t.Errorf("%s: err = %v, want %v", tt.name, err, tt.want)
		}
	}
}

// TestAppEventIDs checks that the event identity separates events that
// differ in any distinguishing field and stays stable across redeliveries.
func TestAppEventIDs(t *testing.T) {
	base := string(readGolden(t, "app/add_member.xml"))
	id := func(body string) string {
		t.Helper()
		ev, err := ParseApp([]byte(body))
		if err != nil {
			t.Fatal(err)
		}
		return ev.ID
	}
	orig := id(base)
	if again := id(base); again != orig {
		t.Errorf("redelivery ID = %s, want %s", again, orig)
	}
	variants := map[string][2]string{
		"other member":      {"<Item><![CDATA[bob]]></Item>", "<Item><![CDATA[carol]]></Item>"},
		"other chat":        {"G3", "G4"},
		"other second":      {"1700000000", "1700000001"},
		"other detail":      {"add_member", "del_member"},
		"other change type": {"[update]", "[create]"},
		"other version":     {"[v2]", "[v9]"},
		"other scene":       {"<JoinScene>3", "<JoinScene>0"},
		"member order":      {"<Item><![CDATA[wmAAA]]></Item><Item><![CDATA[bob]]></Item>", "<Item><![CDATA[wmAAAbob]]></Item>"},
	}
	for name, r := range variants {
		if !strings.Contains(base, r[0]) {
			t.Fatalf("%s: golden lacks %q", name, r[0])
		}
		if got := id(strings.Replace(base, r[0], r[1], 1)); got == orig {
			t.Errorf("%s: ID unchanged (%s)", name, got)
		}
	}
	card := string(readGolden(t, "app/template_card_event.xml"))
	for name, r := range map[string][2]string{"other key": {"remove:42", "ignore:42"}, "other task": {"task-42", "task-43"}, "other clicker": {"admin1", "admin2"}} {
		if id(strings.Replace(card, r[0], r[1], 1)) == id(card) {
			t.Errorf("card %s: ID unchanged", name)
		}
	}
}

func TestParseAppEnvelope(t *testing.T) {
	tests := []struct {
		body, want string
		err        error
	}{
		{"<xml><ToUserName><![CDATA[ww]]></ToUserName><Encrypt><![CDATA[abc]]></Encrypt><AgentID><![CDATA[1]]></AgentID></xml>", "abc", nil},
		{"<xml>\n<Encrypt>\n abc \n</Encrypt>\n</xml>", "abc", nil},
		{"<xml><Encrypt></Encrypt></xml>", "", ErrMalformed},
		{"<other><Encrypt>abc</Encrypt></other>", "", ErrMalformed},
		{`{"encrypt":"abc"}`, "", ErrMalformed},
	}
	for _, tt := range tests {
		got, err := ParseAppEnvelope([]byte(tt.body))
		if got != tt.want || !errors.Is(err, tt.err) {
			t.Errorf("ParseAppEnvelope(%q) = %q, %v; want %q, %v", tt.body, got, err, tt.want, tt.err)
		}
	}
}

func TestAppReplyRoundTrip(t *testing.T) {
	c := mustCrypto(t, "tok", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "ww1")
	at := time.Unix(1700000000, 0)
	content := "已处理 ]]> <tag> & done"
	body, err := c.AppReply("lisi", "ww1", content, "1700000000", "99", at)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(body), "<xml><Encrypt><![CDATA[") || !strings.Contains(string(body), "<TimeStamp>1700000000</TimeStamp>") {
		t.Errorf("envelope = %s", body)
	}
	plain, err := c.ParseAppReply(body)
	if err != nil {
		t.Fatal(err)
	}
	var r appTextReply
	if err := xml.Unmarshal(plain, &r); err != nil {
		t.Fatal(err)
	}
	if r.ToUserName.Value != "lisi" || r.FromUserName.Value != "ww1" || r.CreateTime != at.Unix() || r.MsgType.Value != "text" || r.Content.Value != content {
		t.Errorf("reply = %+v (plaintext %s)", r, plain)
	}
}
