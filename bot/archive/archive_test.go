package archive

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/qunbot/qunbot/bot"
)

var (
	keyOnce sync.Once
	testKey *rsa.PrivateKey
)

func key(t *testing.T) *rsa.PrivateKey {
	t.Helper()
	keyOnce.Do(func() {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		testKey = k
	})
	return testKey
}

type memCursor struct {
	mu    sync.Mutex
	seq   int64
	saves []int64
}

func (c *memCursor) ArchiveCursor(context.Context) (int64, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.seq, nil
}

func (c *memCursor) SaveArchiveCursor(_ context.Context, seq int64) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seq = max(c.seq, seq)
	c.saves = append(c.saves, seq)
	return nil
}

type memLease struct{ busy bool }

func (l *memLease) Acquire(context.Context, time.Duration) (bool, error) { return !l.busy, nil }
func (l *memLease) Renew(context.Context, time.Duration) (bool, error)   { return true, nil }
func (l *memLease) Release(context.Context) error                        { return nil }

// engine records what it is handed, and fails the events named in fail.
type engine struct {
	mu   sync.Mutex
	got  []bot.Event
	fail map[string]error
}

func (e *engine) Handle(_ context.Context, ev bot.Event) ([]bot.Action, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if err := e.fail[ev.Text]; err != nil {
		return nil, err
	}
	e.got = append(e.got, ev)
	return nil, nil
}

func (e *engine) texts(from string) []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []string
	for _, ev := range e.got {
		if ev.From == from {
			out = append(out, ev.Text)
		}
	}
	return out
}

func newPuller(t *testing.T, f *Fake, e *engine, c *memCursor) *Puller {
	return &Puller{Source: f, Keys: NewKeys(key(t)), Cursor: c, Lease: &memLease{}, Engine: e, Batch: 3, Lanes: 3}
}

var at = time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)

func say(t *testing.T, f *Fake, chat, from, text string) string {
	t.Helper()
	id, err := f.Say(Text{ChatID: chat, From: from, Text: text, At: at})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestPullHandsGroupMessagesInOrderAndSkipsTheRest(t *testing.T) {
	f := NewFake(&key(t).PublicKey, 3)
	e, c := &engine{}, &memCursor{}
	for i := range 5 {
		say(t, f, "G1", "alice", string(rune('a'+i)))
		say(t, f, "G1", "bob", string(rune('A'+i)))
	}
	say(t, f, "", "alice", "私聊")          // a 1:1 chat
	say(t, f, "G1", "wbROBOT", "机器人自己的话") // a robot
	id := say(t, f, "G1", "alice", "广告")
	if _, err := f.Recall("G1", "alice", id, at); err != nil {
		t.Fatal(err)
	}
	n, err := newPuller(t, f, e, c).Pull(context.Background())
	if err != nil || n != f.Len() {
		t.Fatalf("Pull = %d, %v; want %d records", n, err, f.Len())
	}
	if got, want := e.texts("alice"), []string{"a", "b", "c", "d", "e", "广告", ""}; !slices.Equal(got, want) {
		t.Errorf("alice's events %q, want %q (seq order, private and robot skipped)", got, want)
	}
	last := e.got[len(e.got)-1]
	for _, ev := range e.got {
		if ev.Kind == bot.KindRecall {
			last = ev
		}
	}
	if last.Kind != bot.KindRecall || last.Recalled != EventPrefix+id || last.ID == "" {
		t.Errorf("recall became %+v", last)
	}
	if c.seq != int64(f.Len()) || len(c.saves) != 5 {
		t.Errorf("cursor %d after saves %v, want %d saved once per batch of 3", c.seq, c.saves, f.Len())
	}
	if ev := e.got[0]; ev.Channel != bot.ChannelArchive || ev.ChatID != "G1" || !ev.At.Equal(at) || ev.ID[:8] != EventPrefix {
		t.Errorf("event %+v", ev)
	}
}

func TestCursorStaysBeforeAFailedRecord(t *testing.T) {
	f := NewFake(&key(t).PublicKey, 3)
	down := errors.New("database down")
	e, c := &engine{fail: map[string]error{"4": down}}, &memCursor{}
	for i := range 6 {
		say(t, f, "G1", "alice", string(rune('0'+i)))
	}
	p := newPuller(t, f, e, c)
	if _, err := p.Pull(context.Background()); !errors.Is(err, down) {
		t.Fatalf("Pull error %v, want the engine's", err)
	}
	if c.seq != 3 {
		t.Fatalf("cursor %d, want 3: the batch holding the failure is not passed", c.seq)
	}
	e.fail = nil
	if _, err := p.Pull(context.Background()); err != nil {
		t.Fatal(err)
	}
	// "3" was handed twice: the engine's delivery key makes that harmless.
	if got, want := e.texts("alice"), []string{"0", "1", "2", "3", "3", "4", "5"}; !slices.Equal(got, want) {
		t.Errorf("handed %q, want %q", got, want)
	}
	if c.seq != 6 {
		t.Errorf("cursor %d, want 6", c.seq)
	}
}

func TestAnotherReplicaHoldsTheLease(t *testing.T) {
	f := NewFake(&key(t).PublicKey, 3)
	say(t, f, "G1", "alice", "hi")
	p := newPuller(t, f, &engine{}, &memCursor{})
	p.Lease = &memLease{busy: true}
	if n, err := p.Pull(context.Background()); !errors.Is(err, ErrBusy) || n != 0 {
		t.Fatalf("Pull = %d, %v; want ErrBusy", n, err)
	}
}

func TestKeysByVersionAndFromFiles(t *testing.T) {
	dir := t.TempDir()
	other, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	write := func(name string, k *rsa.PrivateKey, pkcs8 bool) string {
		b := x509.MarshalPKCS1PrivateKey(k)
		typ := "RSA PRIVATE KEY"
		if pkcs8 {
			b, _ = x509.MarshalPKCS8PrivateKey(k)
			typ = "PRIVATE KEY"
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: b}), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	keys, err := LoadKeys("2=" + write("v2.pem", other, false) + ", 3=" + write("v3.pem", key(t), true))
	if err != nil {
		t.Fatal(err)
	}
	for ver, k := range map[int]*rsa.PrivateKey{2: other, 3: key(t)} {
		sealed, err := SealRandomKey(&k.PublicKey, "random-key")
		if err != nil {
			t.Fatal(err)
		}
		if got, err := keys.OpenRandomKey(ver, sealed); err != nil || got != "random-key" {
			t.Errorf("version %d: %q, %v", ver, got, err)
		}
	}
	if _, err := keys.OpenRandomKey(4, "AAAA"); err == nil {
		t.Error("a version without a key opened")
	}
	for _, bad := range []string{"", "x=" + filepath.Join(dir, "v2.pem"), filepath.Join(dir, "missing.pem")} {
		if _, err := LoadKeys(bad); err == nil {
			t.Errorf("LoadKeys(%q) accepted", bad)
		}
	}
}

func TestDecodeMessageTypes(t *testing.T) {
	cases := []struct {
		name, json string
		want       bot.Event
		skip       string
	}{
		{"mixed", `{"msgid":"m1","action":"send","from":"a","roomid":"G","msgtime":1000,"msgtype":"mixed","mixed":{"item":[{"type":"text","content":"{\"content\":\"看这个\"}"},{"type":"image","content":"{}"}]}}`,
			bot.Event{ID: "archive:m1", MsgType: "mixed", Text: "看这个"}, ""},
		{"link", `{"msgid":"m2","action":"send","from":"a","roomid":"G","msgtime":1000,"msgtype":"link","link":{"title":"优惠","link_url":"http://x.cn"}}`,
			bot.Event{ID: "archive:m2", MsgType: "link", Text: "优惠\nhttp://x.cn"}, ""},
		{"mini-program", `{"msgid":"m3","action":"send","from":"a","roomid":"G","msgtime":1000,"msgtype":"weapp","weapp":{"title":"小程序"}}`,
			bot.Event{ID: "archive:m3", MsgType: "miniprogram", Text: "小程序"}, ""},
		{"card", `{"msgid":"m4","action":"send","from":"a","roomid":"G","msgtime":1000,"msgtype":"card","card":{"corpname":"某公司","userid":"bob"}}`,
			bot.Event{ID: "archive:m4", MsgType: "card", Text: "某公司 bob"}, ""},
		{"switch", `{"msgid":"m5","action":"switch","from":"a","roomid":"G","msgtime":1000}`, bot.Event{}, "action"},
		{"vote", `{"msgid":"m6","action":"send","from":"a","roomid":"G","msgtime":1000,"msgtype":"vote"}`, bot.Event{}, "type"},
		{"configured bot", `{"msgid":"m7","action":"send","from":"qunbot","roomid":"G","msgtime":1000,"msgtype":"text","text":{"content":"x"}}`, bot.Event{}, "bot"},
	}
	for _, c := range cases {
		d, err := decode([]byte(c.json), map[string]bool{"qunbot": true})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if d.SkipReason != c.skip || (c.skip == "" && (d.Event.ID != c.want.ID || d.Event.MsgType != c.want.MsgType || d.Event.Text != c.want.Text)) {
			t.Errorf("%s: got %+v", c.name, d)
		}
	}
	for _, bad := range []string{`{`, `{"action":"send"}`, `{"msgid":"r","action":"recall","from":"a","roomid":"G","msgtype":"revoke"}`} {
		if _, err := decode([]byte(bad), nil); err == nil {
			t.Errorf("decode(%s) accepted", bad)
		}
	}
}

// The fake served over HTTP (how the end-to-end tests feed a separate qunbot
// process) is the same archive.
func TestPullFromTheFakeOverHTTP(t *testing.T) {
	f := NewFake(&key(t).PublicKey, 3)
	say(t, f, "G1", "alice", "hi")
	say(t, f, "G1", "bob", "@qunbot\u2005签到")
	srv := httptest.NewServer(f.Handler())
	defer srv.Close()
	e, c := &engine{}, &memCursor{}
	p := newPuller(t, f, e, c)
	p.Source = NewHTTPSource(srv.URL)
	if n, err := p.Pull(context.Background()); err != nil || n != 2 {
		t.Fatalf("Pull = %d, %v", n, err)
	}
	if got := e.texts("bob"); !slices.Equal(got, []string{"签到"}) {
		t.Errorf("bob's texts %q (mentions stripped, and marked)", got)
	}
	for _, ev := range e.got {
		if ev.Mentions != (ev.From == "bob") {
			t.Errorf("%s: Mentions %v", ev.From, ev.Mentions)
		}
	}
	if _, err := NewHTTPSource(srv.URL).GetChatData(context.Background(), 0, MaxBatch+1); err == nil {
		t.Error("a limit over 1000 was served")
	}
}
