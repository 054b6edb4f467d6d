package bot

import (
	"errors"
	"fmt"
)

// ErrAPIDisabled is returned (wrapped as permanent) by every call that needs
// an access token when no app secret is configured.
var ErrAPIDisabled = errors.New("bot: API calls disabled: no app secret")

// APIError is a non-zero errcode from a WeCom API.
type APIError struct {
	API  string // e.g. "appchat/send"
	Code int
	Msg  string
}

func (e *APIError) Error() string {
	return fmt.Sprintf("bot: wecom %s: errcode %d: %s", e.API, e.Code, e.Msg)
}

// temporaryCodes are the errcodes worth retrying: system busy, frequency and
// concurrency limits, and token trouble that survived the one refresh. Every
// other errcode means the request itself is wrong (bad chatid, removed
// webhook, missing permission, untrusted IP) and fails the same way again.
var temporaryCodes = map[int]bool{
	-1:    true, // system busy
	40014: true, // invalid access_token
	41001: true, // missing access_token
	42001: true, // access_token expired
	45009: true, // API frequency limit
	45011: true, // API frequency limit
	45033: true, // too many concurrent calls
	// 智能机器人 long connection: the connection was superseded or not yet
	// subscribed; the next subscribed connection can send.
	846609: true,
}

// Permanent reports whether retrying the same call is pointless.
func (e *APIError) Permanent() bool { return !temporaryCodes[e.Code] }

// tokenInvalid reports whether the access token must be dropped and refetched.
func (e *APIError) tokenInvalid() bool { return e.Code == 40014 || e.Code == 42001 }

// permanentError marks an error qunbot itself knows cannot succeed on retry
// (missing configuration, an action without its fields).
type permanentError struct{ err error }

func (p permanentError) Error() string   { return p.err.Error() }
func (p permanentError) Unwrap() error   { return p.err }
func (p permanentError) Permanent() bool { return true }

func permanent(format string, args ...any) error {
	return permanentError{fmt.Errorf(format, args...)}
}
