package bot

import (
	"bytes"
	"crypto/sha1"
	"encoding/base64"
	"os"
	"testing"
	"time"
)

// openCase is one inbound callback as it reaches the handler: the signed
// query and the POST body.
type openCase struct {
	name                        string
	crypto                      *Crypto
	sample                      *sampleCrypt
	envelope                    func([]byte) ([]byte, error)
	signature, timestamp, nonce string
	body                        []byte
	plain                       string
}

// openCases are a 智能机器人 group text message (JSON envelope, receiveid
// "") and the official XML vector of a self-built app message.
func openCases(tb testing.TB) []openCase {
	tb.Helper()
	vf := loadVectors(tb)
	s := vf.Synthetic[0]
	c := mustCrypto(tb, s.Token, s.EncodingAESKey, "")
	plain, err := os.ReadFile("testdata/aibot/text_group.json")
	if err != nil {
		tb.Fatal(err)
	}
	plain = bytes.TrimSpace(plain)
	enc, err := c.Encrypt(plain)
	if err != nil {
		tb.Fatal(err)
	}
	ts, nonce := "1750000000", "1372623149"
	cases := []openCase{{
		name: "aibot_json", crypto: c, sample: newSampleCrypt(s.Token, s.EncodingAESKey, "", true),
		envelope: AIBotEncrypt, signature: c.Signature(ts, nonce, enc), timestamp: ts, nonce: nonce,
		body: []byte(`{"encrypt":"` + enc + `"}`), plain: string(plain),
	}}
	for _, v := range vf.Vectors {
		if v.ID == "go_xml_decrypt" {
			cases = append(cases, openCase{
				name: "app_xml", crypto: mustCrypto(tb, v.Token, v.EncodingAESKey, v.ReceiveID),
				sample:   newSampleCrypt(v.Token, v.EncodingAESKey, v.ReceiveID, false),
				envelope: AppEncrypt, signature: v.MsgSignature, timestamp: v.Timestamp, nonce: v.Nonce,
				body: []byte(v.PostBody), plain: v.Derived.Plaintext,
			})
		}
	}
	if len(cases) != 2 {
		tb.Fatal("vector go_xml_decrypt missing")
	}
	return cases
}

// open is the handlers' inbound path: envelope, signature, decrypt.
func (oc openCase) open() ([]byte, error) {
	enc, err := oc.envelope(oc.body)
	if err != nil {
		return nil, err
	}
	if !oc.crypto.VerifySignatureBytes(oc.signature, oc.timestamp, oc.nonce, enc) {
		return nil, ErrSignature
	}
	return oc.crypto.DecryptBytes(enc)
}

func (oc openCase) openSample() ([]byte, error) {
	return oc.sample.DecryptMsg(oc.signature, oc.timestamp, oc.nonce, oc.body)
}

// floor is what no path can skip: SHA-1 over the signed parts, base64
// decoding and AES-CBC decryption of the Encrypt value, with nothing else
// (no envelope, no checks, no allocation).
func (oc openCase) floor() func() ([]byte, error) {
	enc, err := oc.envelope(oc.body)
	if err != nil {
		panic(err)
	}
	signed := []byte(oc.crypto.token + oc.timestamp + oc.nonce + string(enc))
	buf := make([]byte, base64.StdEncoding.DecodedLen(len(enc)))
	return func() ([]byte, error) {
		sha1.Sum(signed)
		n, err := base64.StdEncoding.Decode(buf, enc)
		oc.crypto.decryptCBC(buf[:n])
		return buf[:n], err
	}
}

// TestOpenCasesAgree checks that both paths the benchmark compares open the
// same messages to the same plaintext, and that qunbot's allocates only the
// buffer the message is returned in.
func TestOpenCasesAgree(t *testing.T) {
	for _, oc := range openCases(t) {
		for name, open := range map[string]func() ([]byte, error){"qunbot": oc.open, "sample": oc.openSample} {
			if got, err := open(); err != nil || string(got) != oc.plain {
				t.Errorf("%s %s = %q, %v; want %q", oc.name, name, got, err, oc.plain)
			}
		}
		if n := testing.AllocsPerRun(100, func() { _, _ = oc.open() }); n != 1 {
			t.Errorf("%s: %v allocations per callback, want 1", oc.name, n)
		}
	}
}

// BenchmarkOpenCallback is signature + envelope + decrypt of one callback:
// qunbot's path beside a re-implementation of Tencent's official Go sample
// (crypto_sample_test.go) and the floor of the three primitives, serially
// and with b.RunParallel. Besides the wall
// time it reports cpu-ns/op, the process's CPU time per callback (garbage
// collection included), which other jobs on a shared machine do not stretch.
func BenchmarkOpenCallback(b *testing.B) {
	for _, oc := range openCases(b) {
		for _, impl := range []struct {
			name string
			open func() ([]byte, error)
		}{{"qunbot", oc.open}, {"sample", oc.openSample}, {"floor", oc.floor()}} {
			b.Run(oc.name+"/"+impl.name, func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(len(oc.body)))
				start := cpuTime()
				for b.Loop() {
					if _, err := impl.open(); err != nil {
						b.Fatal(err)
					}
				}
				reportCPU(b, start)
			})
			b.Run(oc.name+"/"+impl.name+"/parallel", func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(len(oc.body)))
				start := cpuTime()
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						if _, err := impl.open(); err != nil {
							b.Error(err)
							return
						}
					}
				})
				reportCPU(b, start)
			})
		}
	}
}

func reportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
}
