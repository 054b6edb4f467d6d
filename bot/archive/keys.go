package archive

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// Keys are the private keys archive records are encrypted to, by
// publickey_ver. WeCom lets an enterprise rotate its key: records keep the
// version they were encrypted to, so older keys stay until their records are
// pulled.
type Keys struct {
	byVer map[int]*rsa.PrivateKey
	any   *rsa.PrivateKey // a key configured without a version opens every version
}

// LoadKeys reads the keys spec names: one PEM file ("/keys/archive.pem", used
// for every publickey_ver) or ver=file pairs ("2=/keys/v2.pem,3=/keys/v3.pem").
func LoadKeys(spec string) (*Keys, error) {
	k := &Keys{byVer: map[int]*rsa.PrivateKey{}}
	for _, part := range strings.Split(spec, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		ver, path, versioned := strings.Cut(part, "=")
		if !versioned {
			path = ver
		}
		pemBytes, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("archive: read private key: %w", err)
		}
		key, err := ParsePrivateKey(pemBytes)
		if err != nil {
			return nil, fmt.Errorf("archive: %s: %w", path, err)
		}
		if !versioned {
			k.any = key
			continue
		}
		n, err := strconv.Atoi(ver)
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("archive: key version %q is not a positive number (ver=file)", ver)
		}
		k.byVer[n] = key
	}
	if k.any == nil && len(k.byVer) == 0 {
		return nil, errors.New("archive: no private key named")
	}
	return k, nil
}

// NewKeys holds one key for every version (tests, sim).
func NewKeys(key *rsa.PrivateKey) *Keys { return &Keys{byVer: map[int]*rsa.PrivateKey{}, any: key} }

// ParsePrivateKey reads an RSA private key in PEM, PKCS#1 ("RSA PRIVATE KEY",
// what WeCom's console examples use) or PKCS#8 ("PRIVATE KEY").
func ParsePrivateKey(pemBytes []byte) (*rsa.PrivateKey, error) {
	block, _ := pem.Decode(pemBytes)
	if block == nil {
		return nil, errors.New("no PEM block")
	}
	if k, err := x509.ParsePKCS1PrivateKey(block.Bytes); err == nil {
		return k, nil
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, errors.New("not an RSA private key (PKCS#1 or PKCS#8 PEM)")
	}
	rk, ok := k.(*rsa.PrivateKey)
	if !ok {
		return nil, errors.New("not an RSA private key")
	}
	return rk, nil
}

// OpenRandomKey RSA-decrypts a record's encrypt_random_key (base64, PKCS#1
// v1.5) with the key of its publickey_ver.
func (k *Keys) OpenRandomKey(ver int, encrypted string) (string, error) {
	key := k.byVer[ver]
	if key == nil {
		key = k.any
	}
	if key == nil {
		return "", fmt.Errorf("archive: no private key for publickey_ver %d", ver)
	}
	raw, err := base64.StdEncoding.DecodeString(encrypted)
	if err != nil {
		return "", fmt.Errorf("archive: encrypt_random_key is not base64: %w", err)
	}
	plain, err := rsa.DecryptPKCS1v15(nil, key, raw)
	if err != nil {
		return "", fmt.Errorf("archive: decrypt random key (publickey_ver %d): %w", ver, err)
	}
	return string(plain), nil
}

// SealRandomKey is the other side of OpenRandomKey: what WeCom does with the
// enterprise's public key. The fake archive uses it.
func SealRandomKey(pub *rsa.PublicKey, randomKey string) (string, error) {
	sealed, err := rsa.EncryptPKCS1v15(rand.Reader, pub, []byte(randomKey))
	if err != nil {
		return "", fmt.Errorf("archive: seal random key: %w", err)
	}
	return base64.StdEncoding.EncodeToString(sealed), nil
}
