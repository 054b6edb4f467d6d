package archive

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Fake is an in-memory message archive for tests and `qunbot sim`: it holds
// records and serves them in seq order, like GetChatData. The RSA layer is
// real (each record's random key is encrypted to the configured public key
// with PKCS#1 v1.5); the SDK's own DecryptData is not public, so the fake
// seals the message with AES-GCM under the random key instead.
type Fake struct {
	pub  *rsa.PublicKey
	ver  int
	mu   sync.Mutex
	recs []Record
	next int
}

// NewFake returns an empty archive encrypting to pub as publickey_ver ver.
func NewFake(pub *rsa.PublicKey, ver int) *Fake { return &Fake{pub: pub, ver: ver} }

// Text is a text message said in a group: what Say archives.
type Text struct {
	ChatID, From, Text string
	At                 time.Time
}

// Say archives a text message in a group and returns its msgid.
func (f *Fake) Say(m Text) (string, error) {
	return f.Add(func(msgID string) any {
		return map[string]any{"msgid": msgID, "action": "send", "from": m.From, "tolist": []string{},
			"roomid": m.ChatID, "msgtime": m.At.UnixMilli(), "msgtype": "text", "text": map[string]string{"content": m.Text}}
	})
}

// Recall archives the taking back of msgID by from in a group.
func (f *Fake) Recall(chatID, from, msgID string, at time.Time) (string, error) {
	return f.Add(func(id string) any {
		return map[string]any{"msgid": id, "action": "recall", "from": from, "tolist": []string{},
			"roomid": chatID, "msgtime": at.UnixMilli(), "msgtype": "revoke", "revoke": map[string]string{"pre_msgid": msgID}}
	})
}

// Add archives the message body(msgid) (any JSON shape of DecryptData) and
// returns the msgid it was given.
func (f *Fake) Add(body func(msgID string) any) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.next++
	msgID := fmt.Sprintf("fake-%d-%s", f.next, randomHex(4))
	plain, err := json.Marshal(body(msgID))
	if err != nil {
		return "", err
	}
	randomKey := randomHex(16)
	sealedKey, err := SealRandomKey(f.pub, randomKey)
	if err != nil {
		return "", err
	}
	sealed, err := sealMessage(randomKey, plain)
	if err != nil {
		return "", err
	}
	f.recs = append(f.recs, Record{Seq: int64(f.next), MsgID: msgID, PublicKeyVer: f.ver,
		EncryptRandomKey: sealedKey, EncryptChatMsg: sealed})
	return msgID, nil
}

// Len is the number of records archived (SkipTo does not count).
func (f *Fake) Len() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.recs)
}

// GetChatData serves up to limit records after seq, in seq order.
func (f *Fake) GetChatData(_ context.Context, seq int64, limit int) ([]Record, error) {
	if limit <= 0 || limit > MaxBatch {
		return nil, fmt.Errorf("archive: limit %d out of 1..%d", limit, MaxBatch)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []Record
	for _, r := range f.recs { // seqs ascend
		if r.Seq > seq {
			out = append(out, r)
			if len(out) == limit {
				break
			}
		}
	}
	return out, nil
}

// DecryptData opens what Add sealed.
func (f *Fake) DecryptData(randomKey, encryptChatMsg string) ([]byte, error) {
	raw, err := base64.StdEncoding.DecodeString(encryptChatMsg)
	if err != nil {
		return nil, fmt.Errorf("archive: fake DecryptData: %w", err)
	}
	g, err := gcmFor(randomKey)
	if err != nil {
		return nil, err
	}
	if len(raw) < g.NonceSize() {
		return nil, errors.New("archive: fake DecryptData: too short")
	}
	plain, err := g.Open(nil, raw[:g.NonceSize()], raw[g.NonceSize():], nil)
	if err != nil {
		return nil, fmt.Errorf("archive: fake DecryptData: %w", err)
	}
	return plain, nil
}

func sealMessage(randomKey string, plain []byte) (string, error) {
	g, err := gcmFor(randomKey)
	if err != nil {
		return "", err
	}
	nonce := make([]byte, g.NonceSize())
	_, _ = rand.Read(nonce)
	return base64.StdEncoding.EncodeToString(g.Seal(nonce, nonce, plain, nil)), nil
}

func gcmFor(randomKey string) (cipher.AEAD, error) {
	k := sha256.Sum256([]byte(randomKey))
	block, err := aes.NewCipher(k[:])
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// SkipTo makes the next record's seq follow seq, as an archive that already
// served seq records would (sim resumes on a data folder whose cursor is past 0).
func (f *Fake) SkipTo(seq int64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if int64(f.next) < seq {
		f.next = int(seq)
	}
}
