//go:build msgaudit && !(linux && cgo)

package archive

import "errors"

// SDKBuilt reports whether this build links WeCom's Finance SDK.
const SDKBuilt = false

// NewSDK: WeCom ships the Finance SDK for Linux only, and it needs cgo.
func NewSDK(corpID, secret string) (Source, func(), error) {
	return nil, nil, errors.New("archive: the Finance SDK needs linux and cgo (CGO_ENABLED=1)")
}
