//go:build !msgaudit

package archive

// NewSDK is WeCom's Finance SDK; this build has none (build tag msgaudit).
func NewSDK(corpID, secret string) (Source, func(), error) { return nil, nil, ErrNoSDK }

// SDKBuilt reports whether this build links WeCom's Finance SDK.
const SDKBuilt = false
