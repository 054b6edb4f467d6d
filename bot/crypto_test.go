package bot

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"sort"
	"strings"
	"testing"

	"github.com/silenceper/wechat/v2/util"
)

func TestOfficialVectors(t *testing.T) {
	for _, v := range loadVectors(t).Vectors {
		t.Run(v.ID, func(t *testing.T) {
			c := mustCrypto(t, v.Token, v.EncodingAESKey, v.ReceiveID)
			if got := c.Signature(v.Timestamp, v.Nonce, v.data()); got != v.MsgSignature {
				t.Errorf("Signature = %s, want %s", got, v.MsgSignature)
			}
			got, err := c.Open(v.MsgSignature, v.Timestamp, v.Nonce, v.data())
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			if string(got) != v.Derived.Plaintext {
				t.Errorf("plaintext = %q, want %q", got, v.Derived.Plaintext)
			}
			if v.Kind == "decrypt_post" {
				checkEnvelope(t, v)
			}
			other := mustCrypto(t, v.Token, v.EncodingAESKey, v.ReceiveID+"x")
			if _, err := other.Decrypt(v.data()); !errors.Is(err, ErrReceiveID) {
				t.Errorf("Decrypt with another receiveid: err = %v, want ErrReceiveID", err)
			}
		})
	}
}

func checkEnvelope(t *testing.T, v vector) {
	t.Helper()
	parse := ParseAIBotEnvelope
	if v.Format == "xml" {
		parse = ParseAppEnvelope
	}
	enc, err := parse([]byte(v.PostBody))
	if err != nil || enc != v.Encrypt {
		t.Errorf("envelope = %q, %v; want %q", enc, err, v.Encrypt)
	}
}

func TestSyntheticEmptyReceiveID(t *testing.T) {
	s := loadVectors(t).Synthetic[0]
	c := mustCrypto(t, s.Token, s.EncodingAESKey, s.ReceiveID)
	in := s.Inbound
	got, err := c.Open(in.MsgSignature, in.Timestamp, in.Nonce, in.Encrypt)
	if err != nil || string(got) != in.ExpectedPlaintext {
		t.Fatalf("inbound = %q, %v; want %q", got, err, in.ExpectedPlaintext)
	}
	vu := s.VerifyURL
	got, err = c.Open(vu.MsgSignature, vu.Timestamp, vu.Nonce, vu.EchoStr)
	if err != nil || string(got) != vu.Expected {
		t.Fatalf("echo = %q, %v; want %q", got, err, vu.Expected)
	}
	corp := mustCrypto(t, s.Token, s.EncodingAESKey, "wx5823bf96d3bd56c7")
	if _, err := corp.Decrypt(in.Encrypt); !errors.Is(err, ErrReceiveID) {
		t.Errorf("corp crypto on empty receiveid: err = %v, want ErrReceiveID", err)
	}

	pr := s.PassiveReply
	plain, err := aibotReplyPlain("STREAMID", "hello back")
	if err != nil || string(plain) != pr.Plaintext {
		t.Fatalf("reply plaintext = %s, %v; want %s", plain, err, pr.Plaintext)
	}
	enc := c.encryptWith([]byte(s.RandomPrefix), plain)
	if enc != pr.Encrypt {
		t.Errorf("reply encrypt = %s, want %s", enc, pr.Encrypt)
	}
	body, err := c.aibotEnvelope(enc, pr.Timestamp, pr.Nonce)
	if err != nil || string(body) != pr.Body {
		t.Errorf("reply body = %s, %v; want %s", body, err, pr.Body)
	}
}

// TestSilenceperAgrees cross-checks one official vector with silenceper's
// implementation, which handles non-empty receiveids correctly.
func TestSilenceperAgrees(t *testing.T) {
	v := loadVectors(t).Vectors[1]
	c := mustCrypto(t, v.Token, v.EncodingAESKey, v.ReceiveID)
	if got, want := c.Signature(v.Timestamp, v.Nonce, v.Encrypt), util.Signature(v.Token, v.Timestamp, v.Nonce, v.Encrypt); got != want {
		t.Errorf("Signature = %s, silenceper %s", got, want)
	}
	_, want, err := util.DecryptMsg(v.ReceiveID, v.Encrypt, v.EncodingAESKey)
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.Decrypt(v.Encrypt)
	if err != nil || !bytes.Equal(got, want) {
		t.Errorf("Decrypt = %q, %v; silenceper %q", got, err, want)
	}
	ours, err := c.Encrypt([]byte("ping"))
	if err != nil {
		t.Fatal(err)
	}
	if _, msg, err := util.DecryptMsg(v.ReceiveID, ours, v.EncodingAESKey); err != nil || string(msg) != "ping" {
		t.Errorf("silenceper decrypt of ours = %q, %v", msg, err)
	}
}

func TestRoundTrip(t *testing.T) {
	const key = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"
	for _, rid := range []string{"", "wx5823bf96d3bd56c7"} {
		c := mustCrypto(t, "tok", key, rid)
		for n := 0; n <= 70; n++ {
			msg := bytes.Repeat([]byte{'a' + byte(n%26)}, n)
			enc, err := c.Encrypt(msg)
			if err != nil {
				t.Fatal(err)
			}
			got, err := c.Decrypt(enc)
			if err != nil || !bytes.Equal(got, msg) {
				t.Fatalf("rid %q len %d: got %q, %v", rid, n, got, err)
			}
		}
	}
}

func TestNewCryptoRejectsBadKeys(t *testing.T) {
	const key = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"
	tests := map[string]struct{ token, key string }{
		"short key":    {"t", key[:42]},
		"long key":     {"t", key + "A"},
		"non-base64":   {"t", key[:42] + "!"},
		"empty token":  {"", key},
		"empty key":    {"t", ""},
		"padded input": {"t", key[:42] + "="},
	}
	for name, tt := range tests {
		if _, err := NewCrypto(tt.token, tt.key, ""); err == nil {
			t.Errorf("%s: NewCrypto succeeded, want an error", name)
		}
	}
}

// rawEncrypt CBC-encrypts a block-aligned plaintext as is, to build payloads
// the real Encrypt never produces.
func rawEncrypt(c *Crypto, plain []byte) string {
	buf := bytes.Clone(plain)
	cipher.NewCBCEncrypter(c.block, c.key[:aes.BlockSize]).CryptBlocks(buf, buf)
	return base64.StdEncoding.EncodeToString(buf)
}

// layout builds 16 random bytes, msg_len n, body, then pad bytes.
func layout(n uint32, body string, pad []byte) []byte {
	p := append(bytes.Repeat([]byte{'r'}, 16), binary.BigEndian.AppendUint32(nil, n)...)
	return append(append(p, body...), pad...)
}

func TestDecryptRejectsBadInput(t *testing.T) {
	c := mustCrypto(t, "tok", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "corp")
	good, _ := c.Encrypt([]byte("hello"))
	pad := func(v byte, n int) []byte { return bytes.Repeat([]byte{v}, n) }
	tests := []struct {
		name, data string
		want       error
	}{
		{"empty", "", ErrDecrypt},
		{"garbage base64", "%%%not-base64%%%", ErrDecrypt},
		{"not a block multiple", base64.StdEncoding.EncodeToString(make([]byte, 33)), ErrDecrypt},
		{"truncated ciphertext", good[:len(good)-24] + "====", ErrDecrypt},
		{"pad 0", rawEncrypt(c, layout(5, "hellocorp", pad(0, 3))), ErrDecrypt},
		{"pad 33", rawEncrypt(c, layout(5, "hellocorp", []byte{0, 0, 33})), ErrDecrypt},
		{"pad over length", rawEncrypt(c, append(pad(0, 15), 32)), ErrDecrypt},
		{"unequal pad bytes", rawEncrypt(c, layout(5, "hellocorp", []byte{2, 3, 3})), ErrDecrypt},
		{"msg_len too large", rawEncrypt(c, layout(500, "hellocorp", pad(3, 3))), ErrDecrypt},
		{"msg_len huge", rawEncrypt(c, layout(0xFFFFFFFF, "hellocorp", pad(3, 3))), ErrDecrypt},
		{"shorter than header", rawEncrypt(c, append([]byte("0123456789"), pad(22, 22)...)), ErrDecrypt},
		{"wrong receiveid", rawEncrypt(c, layout(5, "helloevil", pad(3, 3))), ErrReceiveID},
		{"receiveid prefix only", rawEncrypt(c, layout(5, "hellocor", pad(4, 4))), ErrReceiveID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := c.Decrypt(tt.data)
			if !errors.Is(err, tt.want) {
				t.Errorf("Decrypt = %q, %v; want %v", got, err, tt.want)
			}
		})
	}
}

func TestUnequalPadIsTheOnlyFlaw(t *testing.T) {
	c := mustCrypto(t, "tok", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "corp")
	ok := layout(12, "hello worldxcorp", bytes.Repeat([]byte{28}, 28))
	if got, err := c.Decrypt(rawEncrypt(c, ok)); err != nil || string(got) != "hello worldx" {
		t.Fatalf("well-formed layout with pad 28: %q, %v", got, err)
	}
	bad := bytes.Clone(ok)
	bad[len(bad)-20] = 27
	if _, err := c.Decrypt(rawEncrypt(c, bad)); !errors.Is(err, ErrDecrypt) {
		t.Errorf("one unequal pad byte: err = %v, want ErrDecrypt", err)
	}
}

func TestSignatureChecks(t *testing.T) {
	v := loadVectors(t).Vectors[0]
	c := mustCrypto(t, v.Token, v.EncodingAESKey, v.ReceiveID)
	flipped := "1" + v.MsgSignature[1:]
	if flipped == v.MsgSignature {
		flipped = "2" + v.MsgSignature[1:]
	}
	for name, sig := range map[string]string{"flipped": flipped, "empty": "", "short": v.MsgSignature[:39]} {
		if _, err := c.Open(sig, v.Timestamp, v.Nonce, v.EchoStr); !errors.Is(err, ErrSignature) {
			t.Errorf("%s signature: err = %v, want ErrSignature", name, err)
		}
	}
	if !c.VerifySignature(strings.ToUpper(v.MsgSignature), v.Timestamp, v.Nonce, v.EchoStr) {
		t.Error("upper-case hex signature rejected")
	}
	if c.VerifySignature(v.MsgSignature, v.Timestamp+"1", v.Nonce, v.EchoStr) {
		t.Error("signature accepted for another timestamp")
	}
}

func TestDecryptMapsSpacesToPlus(t *testing.T) {
	v := loadVectors(t).Vectors[0]
	if !strings.Contains(v.EchoStr, "+") {
		t.Fatal("vector has no '+' to mangle")
	}
	c := mustCrypto(t, v.Token, v.EncodingAESKey, v.ReceiveID)
	got, err := c.Decrypt(strings.ReplaceAll(v.EchoStr, "+", " "))
	if err != nil || string(got) != v.Derived.Plaintext {
		t.Errorf("Decrypt = %q, %v; want %q", got, err, v.Derived.Plaintext)
	}
}

// TestSignatureSortsLikeTheSpec compares the signature with SHA-1 over
// sort.Strings and strings.Join (PROTOCOL §1.2) for data sorting before,
// between, equal to and after the other parts, as a string and as bytes.
func TestSignatureSortsLikeTheSpec(t *testing.T) {
	c := mustCrypto(t, "m", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "")
	for _, data := range []string{"", "a", "m", "n", "t", "tt", "z", "1409659813", strings.Repeat("Z", 2000)} {
		parts := []string{"m", "1409659813", "t", data}
		sort.Strings(parts)
		sum := sha1.Sum([]byte(strings.Join(parts, "")))
		want := hex.EncodeToString(sum[:])
		if got := c.Signature("1409659813", "t", data); got != want {
			t.Errorf("Signature(data %.10q) = %s, want %s", data, got, want)
		}
		if !c.VerifySignature(want, "1409659813", "t", data) || !c.VerifySignatureBytes(want, "1409659813", "t", []byte(data)) {
			t.Errorf("data %.10q: the spec's signature does not verify", data)
		}
	}
	if n := testing.AllocsPerRun(100, func() { c.VerifySignature(strings.Repeat("0", 40), "1", "2", "data") }); n != 0 {
		t.Errorf("VerifySignature allocates %v times, want 0", n)
	}
}
