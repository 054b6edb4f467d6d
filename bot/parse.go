package bot

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode"
)

var (
	// ErrMalformed means a body is not the JSON or XML WeCom sends (or lacks
	// the fields every payload has). The caller answers 400.
	ErrMalformed = errors.New("bot: malformed payload")
	// ErrUnsupported means a well-formed payload of a type qunbot ignores. The
	// caller answers an empty 200 so WeCom does not retry.
	ErrUnsupported = errors.New("bot: unsupported payload type")
)

// stripMention removes one leading @mention token (WeCom follows it with a
// space or U+2005) and trims the rest.
func stripMention(s string) string {
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(s, "@") {
		return s
	}
	i := strings.IndexFunc(s, unicode.IsSpace)
	if i < 0 {
		return ""
	}
	return strings.TrimSpace(s[i:])
}

// unixTime maps a WeCom unix-seconds value to a time; 0 stays the zero time.
func unixTime(sec int64) time.Time {
	if sec <= 0 {
		return time.Time{}
	}
	return time.Unix(sec, 0).UTC()
}

// flexInt decodes a JSON number or a numeric string; WeCom's JSON is not
// consistent about quoting numbers.
type flexInt int64

func (f *flexInt) UnmarshalJSON(b []byte) error {
	b = bytes.Trim(b, `"`)
	if len(b) == 0 || string(b) == "null" {
		*f = 0
		return nil
	}
	n, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil {
		return err
	}
	*f = flexInt(n)
	return nil
}

// StripMentions removes every leading @mention token: the archive keeps a
// message's mentions (of the bot or of anyone) as typed.
func StripMentions(s string) string {
	for {
		t := stripMention(s)
		if t == s || !strings.HasPrefix(s, "@") {
			return t
		}
		s = t
	}
}

// MatchText is a message's text as the match between an @-callback and its
// archive copy compares it: leading mentions stripped, every run of spaces
// (U+2005 included) one space.
func MatchText(s string) string {
	return strings.Join(strings.Fields(StripMentions(s)), " ")
}
