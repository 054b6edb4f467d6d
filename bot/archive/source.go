package archive

import (
	"context"
	"errors"
)

// MaxBatch is the most records GetChatData returns at once (WeCom's limit).
const MaxBatch = 1000

// Record is one archived message as GetChatData returns it, still encrypted.
type Record struct {
	Seq              int64  `json:"seq"`
	MsgID            string `json:"msgid"`
	PublicKeyVer     int    `json:"publickey_ver"`
	EncryptRandomKey string `json:"encrypt_random_key"` // base64, RSA PKCS#1 v1.5
	EncryptChatMsg   string `json:"encrypt_chat_msg"`
}

// Source is the seam in front of WeCom's Finance SDK: the SDK itself
// (sdk_msgaudit.go) or Fake.
type Source interface {
	// GetChatData returns up to limit records after seq, in seq order.
	GetChatData(ctx context.Context, seq int64, limit int) ([]Record, error)
	// DecryptData opens encryptChatMsg with the random key that was
	// RSA-decrypted from the record's encrypt_random_key.
	DecryptData(randomKey, encryptChatMsg string) ([]byte, error)
}

// ErrNoSDK says this build cannot pull the archive: it was built without the
// build tag msgaudit.
var ErrNoSDK = errors.New("QUNBOT_ARCHIVE_SECRET：全流量模式要拉取会话存档，需要带企业微信 C SDK 的构建（go build -tags msgaudit，或 docker build --target msgaudit），这个程序没有，qunbot 未启动")
