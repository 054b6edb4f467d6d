package bot

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// blockSize is the PKCS#7 block WeCom pads to. It is 32, not AES's 16: the
// official vectors carry pad values up to 30.
const blockSize = 32

// headerLen is the 16 random bytes plus the 4-byte big-endian message length.
const headerLen = 20

var (
	// ErrDecrypt means a payload is not valid WXBizMsgCrypt ciphertext (bad
	// base64, length, padding or message length). The caller answers 400.
	ErrDecrypt = errors.New("bot: cannot decrypt payload")
	// ErrReceiveID means the payload decrypted but was meant for another
	// receiver (another corp, or a non-empty id on the 智能机器人 endpoint).
	ErrReceiveID = errors.New("bot: receiveid mismatch")
	// ErrSignature means msg_signature does not match. The caller answers 401.
	ErrSignature = errors.New("bot: bad msg_signature")
)

// Crypto signs, verifies, encrypts and decrypts WeCom callbacks for one
// (Token, EncodingAESKey, receiveid) triple. It is safe for concurrent use.
type Crypto struct {
	token     string
	receiveID string
	key       []byte
	block     cipher.Block
}

// NewCrypto validates the 43-character EncodingAESKey. receiveID is the corp id
// for self-built app callbacks and "" for the 智能机器人.
func NewCrypto(token, encodingAESKey, receiveID string) (*Crypto, error) {
	if token == "" {
		return nil, errors.New("bot: new crypto: empty token")
	}
	if len(encodingAESKey) != 43 {
		return nil, fmt.Errorf("bot: new crypto: EncodingAESKey has %d characters, want 43", len(encodingAESKey))
	}
	key, err := base64.StdEncoding.DecodeString(encodingAESKey + "=")
	if err != nil || len(key) != 32 {
		return nil, errors.New("bot: new crypto: EncodingAESKey is not 43 base64 characters")
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("bot: new crypto: %w", err)
	}
	return &Crypto{token: token, receiveID: receiveID, key: key, block: block}, nil
}

// ReceiveID is the receiveid this Crypto expects and writes.
func (c *Crypto) ReceiveID() string { return c.receiveID }

// Signature is lowercase hex SHA1 over the sorted concatenation of token,
// timestamp, nonce and data (echostr or the Encrypt value).
func (c *Crypto) Signature(timestamp, nonce, data string) string {
	sum := digest(c, timestamp, nonce, data)
	return hex.EncodeToString(sum[:])
}

// signed is the form a signed value arrives in: a query's echostr, or the
// Encrypt value as a slice of the body it came in.
type signed interface{ ~string | ~[]byte }

// digest is the SHA-1 a signature is the hex of, computed without
// allocating for callbacks of ordinary size: data is put in its place among
// the other three parts, sorted, and all four are hashed from a buffer on
// the stack.
func digest[T signed](c *Crypto, timestamp, nonce string, data T) [sha1.Size]byte {
	parts := [3]string{c.token, timestamp, nonce}
	for i := 1; i < len(parts); i++ { // insertion sort: three strings, no allocation
		for j := i; j > 0 && parts[j] < parts[j-1]; j-- {
			parts[j], parts[j-1] = parts[j-1], parts[j]
		}
	}
	at := 0
	for at < len(parts) && parts[at] <= string(data) {
		at++
	}
	var stack [1024]byte
	buf := stack[:0]
	for i, p := range parts {
		if i == at {
			buf = append(buf, data...)
		}
		buf = append(buf, p...)
	}
	if at == len(parts) {
		buf = append(buf, data...)
	}
	return sha1.Sum(buf)
}

// VerifySignature compares signature (hex, either case) with the expected
// one in constant time.
func (c *Crypto) VerifySignature(signature, timestamp, nonce, data string) bool {
	return verify(c, signature, timestamp, nonce, data)
}

// VerifySignatureBytes is VerifySignature over an Encrypt value sliced from
// a body (AIBotEncrypt, AppEncrypt).
func (c *Crypto) VerifySignatureBytes(signature, timestamp, nonce string, data []byte) bool {
	return verify(c, signature, timestamp, nonce, data)
}

// verify decodes the hex signature (either case) and compares the digests
// in constant time; what may take variable time depends only on the
// signature given, never on the one expected.
func verify[T signed](c *Crypto, signature, timestamp, nonce string, data T) bool {
	var got [sha1.Size]byte
	if len(signature) != hex.EncodedLen(len(got)) {
		return false
	}
	if _, err := hex.Decode(got[:], []byte(signature)); err != nil {
		return false
	}
	want := digest(c, timestamp, nonce, data)
	return subtle.ConstantTimeCompare(got[:], want[:]) == 1
}

// Open verifies the signature over data and decrypts it: the whole inbound
// check of a callback (data is echostr or the Encrypt value).
func (c *Crypto) Open(signature, timestamp, nonce, data string) ([]byte, error) {
	if !c.VerifySignature(signature, timestamp, nonce, data) {
		return nil, ErrSignature
	}
	return c.Decrypt(data)
}

// Decrypt returns the message inside a base64 ciphertext. Spaces are mapped
// back to '+' first, since a '+' in a query string that was not percent-encoded
// arrives as a space. It never panics. The ciphertext is decoded into one
// buffer and decrypted in place; the message returned is a slice of it.
func (c *Crypto) Decrypt(data string) ([]byte, error) {
	raw, err := base64.StdEncoding.DecodeString(strings.ReplaceAll(data, " ", "+"))
	if err != nil {
		return nil, fmt.Errorf("%w: base64: %v", ErrDecrypt, err)
	}
	return c.open(raw)
}

// DecryptBytes is Decrypt of an Encrypt value sliced from a body
// (AIBotEncrypt, AppEncrypt); data is left as it was.
func (c *Crypto) DecryptBytes(data []byte) ([]byte, error) {
	if bytes.IndexByte(data, ' ') >= 0 {
		data = bytes.ReplaceAll(data, []byte(" "), []byte("+"))
	}
	raw := make([]byte, base64.StdEncoding.DecodedLen(len(data)))
	n, err := base64.StdEncoding.Decode(raw, data)
	if err != nil {
		return nil, fmt.Errorf("%w: base64: %v", ErrDecrypt, err)
	}
	return c.open(raw[:n])
}

// open decrypts a decoded ciphertext in place and returns the message in it.
func (c *Crypto) open(raw []byte) ([]byte, error) {
	if len(raw) == 0 || len(raw)%aes.BlockSize != 0 {
		return nil, fmt.Errorf("%w: ciphertext length %d is not a non-zero multiple of %d", ErrDecrypt, len(raw), aes.BlockSize)
	}
	c.decryptCBC(raw)
	plain, err := unpad(raw)
	if err != nil {
		return nil, err
	}
	if len(plain) < headerLen {
		return nil, fmt.Errorf("%w: plaintext of %d bytes is shorter than its header", ErrDecrypt, len(plain))
	}
	n := uint64(binary.BigEndian.Uint32(plain[16:headerLen]))
	if n > uint64(len(plain)-headerLen) {
		return nil, fmt.Errorf("%w: msg_len %d exceeds the %d bytes left", ErrDecrypt, n, len(plain)-headerLen)
	}
	end := headerLen + int(n)
	if string(plain[end:]) != c.receiveID {
		return nil, fmt.Errorf("%w: got %q", ErrReceiveID, plain[end:])
	}
	return plain[headerLen:end:end], nil
}

// decryptCBC decrypts p in place with the cached cipher and IV = key[:16].
// It walks the blocks backwards, so each block's predecessor is still
// ciphertext when it is XORed in: no copy and, unlike cipher.NewCBCDecrypter
// (which copies the key schedule on every call), no allocation.
func (c *Crypto) decryptCBC(p []byte) {
	for i := len(p) - aes.BlockSize; i >= 0; i -= aes.BlockSize {
		blk := p[i : i+aes.BlockSize]
		c.block.Decrypt(blk, blk)
		prev := c.key[:aes.BlockSize]
		if i > 0 {
			prev = p[i-aes.BlockSize : i]
		}
		subtle.XORBytes(blk, blk, prev)
	}
}

// unpad strips strict PKCS#7 padding with values 1..32.
func unpad(p []byte) ([]byte, error) {
	pad := int(p[len(p)-1])
	if pad < 1 || pad > blockSize || pad > len(p) {
		return nil, fmt.Errorf("%w: bad padding value %d", ErrDecrypt, pad)
	}
	for _, b := range p[len(p)-pad:] {
		if int(b) != pad {
			return nil, fmt.Errorf("%w: unequal padding bytes", ErrDecrypt)
		}
	}
	return p[:len(p)-pad], nil
}

// Encrypt wraps plain with fresh random bytes and the configured receiveid.
func (c *Crypto) Encrypt(plain []byte) (string, error) {
	random := make([]byte, 16)
	if _, err := rand.Read(random); err != nil {
		return "", fmt.Errorf("bot: encrypt: %w", err)
	}
	return c.encryptWith(random, plain), nil
}

// encryptWith is Encrypt with a given 16-byte prefix, so tests can reproduce
// fixed vectors.
func (c *Crypto) encryptWith(random, plain []byte) string {
	size := headerLen + len(plain) + len(c.receiveID)
	pad := blockSize - size%blockSize
	buf := make([]byte, 0, size+pad)
	buf = append(buf, random[:16]...)
	buf = binary.BigEndian.AppendUint32(buf, uint32(len(plain)))
	buf = append(buf, plain...)
	buf = append(buf, c.receiveID...)
	buf = append(buf, bytes.Repeat([]byte{byte(pad)}, pad)...)
	cipher.NewCBCEncrypter(c.block, c.key[:aes.BlockSize]).CryptBlocks(buf, buf)
	return base64.StdEncoding.EncodeToString(buf)
}
