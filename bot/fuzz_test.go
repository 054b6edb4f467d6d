package bot

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzDecrypt checks that Decrypt never panics, fails only with its two
// sentinels, answers as DecryptBytes does, and that whatever it accepts
// survives a round trip.
func FuzzDecrypt(f *testing.F) {
	vf := loadVectors(f)
	v := vf.Vectors[0]
	for _, vec := range vf.Vectors {
		if vec.EncodingAESKey == v.EncodingAESKey {
			f.Add(vec.data())
		}
	}
	for _, bad := range []string{"", "====", "%%%", "AAAAAAAAAAAAAAAAAAAAAA==", v.EchoStr[:20], v.EchoStr + "AAAA"} {
		f.Add(bad)
	}
	c := mustCrypto(f, v.Token, v.EncodingAESKey, v.ReceiveID)
	f.Fuzz(func(t *testing.T, data string) {
		msg, err := c.Decrypt(data)
		raw := []byte(data)
		fromBytes, bytesErr := c.DecryptBytes(raw)
		if !bytes.Equal(msg, fromBytes) || (err == nil) != (bytesErr == nil) || string(raw) != data ||
			errors.Is(err, ErrReceiveID) != errors.Is(bytesErr, ErrReceiveID) {
			t.Fatalf("Decrypt = %q, %v; DecryptBytes = %q, %v (input left %q)", msg, err, fromBytes, bytesErr, raw)
		}
		if err != nil {
			if !errors.Is(err, ErrDecrypt) && !errors.Is(err, ErrReceiveID) {
				t.Fatalf("error %v is neither ErrDecrypt nor ErrReceiveID", err)
			}
			return
		}
		enc, err := c.Encrypt(msg)
		if err != nil {
			t.Fatal(err)
		}
		again, err := c.Decrypt(enc)
		if err != nil || !bytes.Equal(again, msg) {
			t.Fatalf("round trip = %q, %v; want %q", again, err, msg)
		}
	})
}

func addGoldens(f *testing.F, dir string) {
	f.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", dir, "*"))
	if err != nil || len(files) == 0 {
		f.Fatalf("no goldens in %s: %v", dir, err)
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

// parseOK is what every parser result must satisfy: either a sentinel error
// or an event with an identity, a channel and a kind.
func parseOK(t *testing.T, ev Event, err error, ch Channel) {
	t.Helper()
	if err != nil {
		if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrUnsupported) {
			t.Fatalf("error %v is neither ErrMalformed nor ErrUnsupported", err)
		}
		return
	}
	if ev.ID == "" || ev.Channel != ch || ev.Kind == "" {
		t.Fatalf("incomplete event %+v", ev)
	}
}

func FuzzParseAIBot(f *testing.F) {
	addGoldens(f, "aibot")
	f.Add([]byte(`{"msgid":"x","msgtype":"event","event":null}`))
	f.Add([]byte(`{"msgid":"x","msgtype":"mixed","mixed":{"msg_item":[{"msgtype":"text"}]}}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, body []byte) {
		ev, err := ParseAIBot(body)
		parseOK(t, ev, err, ChannelAIBot)
		_, _ = ParseAIBotEnvelope(body)
	})
}

func FuzzParseApp(f *testing.F) {
	addGoldens(f, "app")
	f.Add([]byte(`<xml><MsgType>event</MsgType><Event>change_external_chat</Event><MemChangeList><Item/></MemChangeList></xml>`))
	f.Add([]byte(`<xml><MsgType>text</MsgType><MsgId>1</MsgId><JoinScene>99999999999999999999</JoinScene></xml>`))
	f.Add([]byte(`<xml`))
	f.Fuzz(func(t *testing.T, body []byte) {
		ev, err := ParseApp(body)
		parseOK(t, ev, err, ChannelApp)
		_, _ = ParseAppEnvelope(body)
	})
}
