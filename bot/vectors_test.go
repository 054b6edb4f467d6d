package bot

import (
	"encoding/json"
	"os"
	"testing"
)

// vector is one official WXBizMsgCrypt sample from testdata/vectors.json.
type vector struct {
	ID             string `json:"id"`
	Kind           string `json:"kind"`
	Format         string `json:"format"`
	Token          string `json:"token"`
	EncodingAESKey string `json:"encoding_aes_key"`
	ReceiveID      string `json:"receiveid"`
	MsgSignature   string `json:"msg_signature"`
	Timestamp      string `json:"timestamp"`
	Nonce          string `json:"nonce"`
	EchoStr        string `json:"echostr"`
	PostBody       string `json:"post_body"`
	Encrypt        string `json:"encrypt"`
	Derived        struct {
		Plaintext string `json:"plaintext"`
	} `json:"derived"`
}

// data is what the signature covers: echostr or the Encrypt value.
func (v vector) data() string {
	if v.Kind == "verify_url" {
		return v.EchoStr
	}
	return v.Encrypt
}

type syntheticPost struct {
	Body              string `json:"body"`
	Encrypt           string `json:"encrypt"`
	ExpectedPlaintext string `json:"expected_plaintext"`
	MsgSignature      string `json:"msg_signature"`
	Nonce             string `json:"nonce"`
	Timestamp         string `json:"timestamp"`
}

// synthetic is the empty-receiveid (智能机器人) vector built with a fixed prefix.
type synthetic struct {
	Token          string        `json:"token"`
	EncodingAESKey string        `json:"encoding_aes_key"`
	ReceiveID      string        `json:"receiveid"`
	RandomPrefix   string        `json:"random_prefix_ascii"`
	Inbound        syntheticPost `json:"inbound_post"`
	PassiveReply   struct {
		Body         string `json:"body"`
		Encrypt      string `json:"encrypt"`
		MsgSignature string `json:"msgsignature"`
		Nonce        string `json:"nonce"`
		Plaintext    string `json:"plaintext"`
		Timestamp    string `json:"timestamp"`
	} `json:"passive_reply"`
	VerifyURL struct {
		EchoStr      string `json:"echostr"`
		Expected     string `json:"expected_echo_plaintext"`
		MsgSignature string `json:"msg_signature"`
		Nonce        string `json:"nonce"`
		Timestamp    string `json:"timestamp"`
	} `json:"verify_url"`
}

type vectorFile struct {
	Vectors   []vector    `json:"vectors"`
	Synthetic []synthetic `json:"synthetic"`
}

func loadVectors(tb testing.TB) vectorFile {
	tb.Helper()
	b, err := os.ReadFile("testdata/vectors.json")
	if err != nil {
		tb.Fatal(err)
	}
	var f vectorFile
	if err := json.Unmarshal(b, &f); err != nil {
		tb.Fatal(err)
	}
	if len(f.Vectors) < 6 || len(f.Synthetic) == 0 {
		tb.Fatalf("got %d vectors and %d synthetic, want 6 and 1", len(f.Vectors), len(f.Synthetic))
	}
	return f
}

func mustCrypto(tb testing.TB, token, key, receiveID string) *Crypto {
	tb.Helper()
	c, err := NewCrypto(token, key, receiveID)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}
