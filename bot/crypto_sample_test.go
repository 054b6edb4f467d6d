package bot

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"sort"
	"strings"
)

// sampleCrypt re-implements, step for step, how Tencent's official Go
// samples open a callback, as the baseline of BenchmarkOpenCallback:
//
//   - XML: github.com/sbzhu/weworkapi_golang, wxbizmsgcrypt/wxbizmsgcrypt.go,
//     WXBizMsgCrypt.DecryptMsg (the Go sample WeCom's README lists);
//   - JSON: github.com/workweixin/weworkapi_golang,
//     json_callback/wxbizjsonmsgcrypt/wxbizjsonmsgcrypt.go, the same
//     DecryptMsg with encoding/json as its protocol processor.
//
// DecryptMsg unmarshals the whole envelope (ToUserName, Encrypt, AgentID)
// with encoding/xml or encoding/json; signs by sorting a []string, joining
// it in a bytes.Buffer, hashing with sha1.New and formatting with
// fmt.Sprintf("%x"); compares with strings.Compare; then, on every message,
// base64-decodes the EncodingAESKey+"=" again, builds a new AES cipher,
// base64-decodes the payload, CBC-decrypts it in place with IV = key[:16],
// strips the padding by its last byte without checking it, reads msg_len and
// slices msg and receiveid, and compares receiveid when one is configured.
// It is written here, not vendored, and kept only for the benchmark.
type sampleCrypt struct {
	token, encodingAESKey, receiverID string
	json                              bool
}

type sampleEnvelope struct {
	ToUserName string `xml:"ToUserName" json:"tousername"`
	Encrypt    string `xml:"Encrypt" json:"encrypt"`
	AgentID    string `xml:"AgentID" json:"agentid"`
}

func newSampleCrypt(token, encodingAESKey, receiverID string, json bool) *sampleCrypt {
	return &sampleCrypt{token: token, encodingAESKey: encodingAESKey + "=", receiverID: receiverID, json: json}
}

func (s *sampleCrypt) parse(body []byte) (sampleEnvelope, error) {
	var env sampleEnvelope
	var err error
	if s.json {
		err = json.Unmarshal(body, &env)
	} else {
		err = xml.Unmarshal(body, &env)
	}
	return env, err
}

func (s *sampleCrypt) signature(timestamp, nonce, data string) string {
	parts := []string{s.token, timestamp, nonce, data}
	sort.Strings(parts)
	var buf bytes.Buffer
	for _, p := range parts {
		buf.WriteString(p)
	}
	h := sha1.New()
	h.Write(buf.Bytes())
	return fmt.Sprintf("%x", h.Sum(nil))
}

func (s *sampleCrypt) cbcDecrypt(data string) ([]byte, error) {
	key, err := base64.StdEncoding.DecodeString(s.encodingAESKey)
	if err != nil {
		return nil, err
	}
	msg, err := base64.StdEncoding.DecodeString(data)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	if len(msg) < aes.BlockSize || len(msg)%aes.BlockSize != 0 {
		return nil, errors.New("sample: bad ciphertext length")
	}
	cipher.NewCBCDecrypter(block, key[:aes.BlockSize]).CryptBlocks(msg, msg)
	return msg, nil
}

func (s *sampleCrypt) splitPlain(plain []byte) (msg, receiverID []byte, err error) {
	if len(plain) == 0 || len(plain)%32 != 0 {
		return nil, nil, errors.New("sample: bad padding")
	}
	plain = plain[:len(plain)-int(plain[len(plain)-1])]
	if len(plain) < 20 {
		return nil, nil, errors.New("sample: plain is too small")
	}
	n := binary.BigEndian.Uint32(plain[16:20])
	if uint32(len(plain)) < 20+n {
		return nil, nil, errors.New("sample: plain is too small")
	}
	return plain[20 : 20+n], plain[20+n:], nil
}

// DecryptMsg is the sample's whole inbound path.
func (s *sampleCrypt) DecryptMsg(signature, timestamp, nonce string, body []byte) ([]byte, error) {
	env, err := s.parse(body)
	if err != nil {
		return nil, err
	}
	if strings.Compare(s.signature(timestamp, nonce, env.Encrypt), signature) != 0 {
		return nil, errors.New("sample: signature not equal")
	}
	plain, err := s.cbcDecrypt(env.Encrypt)
	if err != nil {
		return nil, err
	}
	msg, rid, err := s.splitPlain(plain)
	if err != nil {
		return nil, err
	}
	if len(s.receiverID) > 0 && strings.Compare(string(rid), s.receiverID) != 0 {
		return nil, errors.New("sample: receiver_id is not equal")
	}
	return msg, nil
}
