package bot

import (
	"bytes"
	"encoding/binary"
)

// ParseAppEnvelope returns the Encrypt element of an app callback body.
func ParseAppEnvelope(body []byte) (string, error) {
	enc, err := AppEncrypt(body)
	return string(enc), err
}

// AppEncrypt is ParseAppEnvelope without a copy: the Encrypt value is a
// slice of body when the body has WeCom's plain shape.
func AppEncrypt(body []byte) ([]byte, error) {
	if enc, ok := scanAppEnvelope(body); ok {
		return enc, nil
	}
	enc, err := decodeAppEnvelope(body)
	return []byte(enc), err
}

// ParseAIBotEnvelope returns the encrypt field of a 智能机器人 POST body. The
// JSON-callback variant's tousername and agentid fields are accepted and ignored.
func ParseAIBotEnvelope(body []byte) (string, error) {
	enc, err := AIBotEncrypt(body)
	return string(enc), err
}

// AIBotEncrypt is ParseAIBotEnvelope without a copy: the encrypt value is a
// slice of body when the body has WeCom's plain shape.
func AIBotEncrypt(body []byte) ([]byte, error) {
	if enc, ok := scanAIBotEnvelope(body); ok {
		return enc, nil
	}
	enc, err := decodeAIBotEnvelope(body)
	return []byte(enc), err
}

// The envelope scanners read the shape WeCom sends, and nothing else, in one
// pass without encoding/xml or encoding/json (which cost most of a callback's
// crypto path). They answer ok only when the body is so plain that the full
// decoder must find the same value: printable ASCII, no entities, comments,
// escapes, attributes, nesting or repeated Encrypt. Anything else (ok false)
// goes to the full decoder, which then decides, so the scanners never accept
// or refuse differently from it (the differential tests and fuzz targets in
// envelope_test.go hold them to that).

// Byte classes of the scanners.
const (
	clsSpace     = 1 << iota // XML white space without '\r' (the decoder rewrites "\r\n")
	clsName                  // in a plain element name: [A-Za-z0-9_]
	clsText                  // plain XML text: printable ASCII without '<', '&' and ']'
	clsCDATA                 // CDATA content: printable ASCII, tab and newline
	clsJSONStr               // a JSON string's content needing no unescaping
	clsJSONSpace             // JSON white space
)

var byteClass = func() (t [256]uint8) {
	for b := 0x20; b < 0x7f; b++ {
		t[b] |= clsText | clsCDATA | clsJSONStr
	}
	for _, b := range []byte("\t\n") {
		t[b] |= clsSpace | clsText | clsCDATA
	}
	t[' '] |= clsSpace
	for _, b := range []byte("<&]") {
		t[b] &^= clsText
	}
	t['"'] &^= clsJSONStr
	t['\\'] &^= clsJSONStr
	for _, b := range []byte(" \t\n\r") {
		t[b] |= clsJSONSpace
	}
	for b := range 256 {
		if 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' || b == '_' {
			t[b] |= clsName
		}
	}
	return t
}()

// all reports whether every byte of s is in class, when s cannot hold the
// class's excluded bytes other than those in maybe (a value that ends at the
// first '<' holds none). It first tests the common case: printable ASCII
// (sixteen bytes at a time, branch-free) without any byte of maybe (a SIMD
// search each); only when that fails are the bytes looked up one by one.
// The scanners read the whole Encrypt value, so this is most of their time.
func all(s []byte, class uint8, maybe string) bool {
	if !printable(s) {
		return allBytes(s, class)
	}
	for i := range len(maybe) {
		if bytes.IndexByte(s, maybe[i]) >= 0 {
			return false
		}
	}
	return true
}

func allBytes(s []byte, class uint8) bool {
	for _, b := range s {
		if byteClass[b]&class == 0 {
			return false
		}
	}
	return true
}

const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
)

// printable reports whether every byte of s is in 0x20..0x7e. The word test
// is from "Bit Twiddling Hacks" (Sean Eron Anderson): masked with highs,
// (w-ones*0x20)&^w is non-zero when a byte of w is below 0x20, and w+ones|w
// when one is above 0x7e.
func printable(s []byte) bool {
	var bad uint64
	for ; len(s) >= 16; s = s[16:] {
		w, v := binary.LittleEndian.Uint64(s), binary.LittleEndian.Uint64(s[8:])
		bad |= (w-ones*0x20)&^w | (w + ones | w) | (v-ones*0x20)&^v | (v + ones | v)
	}
	for _, b := range s {
		if b < 0x20 || b > 0x7e {
			return false
		}
	}
	return bad&highs == 0
}

// skip returns the first index from i whose byte is not in class.
func skip(b []byte, i int, class uint8) int {
	for i < len(b) && byteClass[b[i]]&class != 0 {
		i++
	}
	return i
}

// at reports whether b holds s at i.
func at(b []byte, i int, s string) bool {
	return i >= 0 && len(b)-i >= len(s) && string(b[i:i+len(s)]) == s
}

// asciiFoldEqual is bytes.EqualFold for the ASCII names the scanners accept.
func asciiFoldEqual(b []byte, s string) bool { return bytes.EqualFold(b, []byte(s)) }

// scanAppEnvelope reads <xml> followed by simple elements, each one CDATA
// section or plain text, up to </xml>; what follows </xml> is not read (nor
// is it by encoding/xml).
func scanAppEnvelope(b []byte) ([]byte, bool) {
	i := skip(b, 0, clsSpace)
	if !at(b, i, "<xml>") {
		return nil, false
	}
	i += len("<xml>")
	var enc []byte
	found := false
	for {
		i = skip(b, i, clsSpace)
		if at(b, i, "</xml>") {
			break
		}
		name, val, next, ok := scanElement(b, i)
		if !ok {
			return nil, false
		}
		i = next
		switch {
		case string(name) == "Encrypt" && !found:
			enc, found = val, true
		case asciiFoldEqual(name, "Encrypt"):
			return nil, false // repeated, or another spelling: the decoder decides
		}
	}
	enc = bytes.Trim(enc, " \t\n")
	return enc, len(enc) > 0
}

// scanElement reads <Name>content</Name> at i: content is one CDATA section
// (white space may follow it) or plain text.
func scanElement(b []byte, i int) (name, val []byte, next int, ok bool) {
	if !at(b, i, "<") {
		return nil, nil, 0, false
	}
	j := skip(b, i+1, clsName)
	name = b[i+1 : j]
	if len(name) == 0 || '0' <= name[0] && name[0] <= '9' || !at(b, j, ">") { // names start with a letter or '_'
		return nil, nil, 0, false
	}
	i = j + 1
	if at(b, i, "<![CDATA[") {
		i += len("<![CDATA[")
		end := cdataEnd(b[i:])
		if end < 0 || !all(b[i:i+end], clsCDATA, "") {
			return nil, nil, 0, false
		}
		val = b[i : i+end]
		i = skip(b, i+end+len("]]>"), clsSpace)
	} else {
		end := bytes.IndexByte(b[i:], '<')
		if end < 0 || !all(b[i:i+end], clsText, "&]") { // it ends at the first '<'
			return nil, nil, 0, false
		}
		val = b[i : i+end]
		i += end
	}
	if !at(b, i, "</") || !at(b, i+2, string(name)) || !at(b, i+2+len(name), ">") {
		return nil, nil, 0, false
	}
	return name, val, i + 3 + len(name), true
}

// cdataEnd is the index of the first "]]>" in b, or -1. It looks for ']'
// (a SIMD search; base64 has none), not for the three bytes.
func cdataEnd(b []byte) int {
	for i := 0; ; {
		k := bytes.IndexByte(b[i:], ']')
		if k < 0 {
			return -1
		}
		if i += k; at(b, i, "]]>") {
			return i
		}
		i++
	}
}

// scanAIBotEnvelope reads one flat JSON object whose values are strings
// without escapes or integers, and nothing after it.
func scanAIBotEnvelope(b []byte) ([]byte, bool) {
	i := skip(b, 0, clsJSONSpace)
	if !at(b, i, "{") {
		return nil, false
	}
	var enc []byte
	found := false
	for i++; ; i++ {
		key, next, ok := scanJSONString(b, skip(b, i, clsJSONSpace))
		if !ok {
			return nil, false
		}
		i = skip(b, next, clsJSONSpace)
		if !at(b, i, ":") {
			return nil, false
		}
		i = skip(b, i+1, clsJSONSpace)
		isEnc := asciiFoldEqual(key, "encrypt")
		if isEnc && (found || string(key) != "encrypt") {
			return nil, false // repeated, or another spelling: the decoder decides
		}
		if val, next, ok := scanJSONString(b, i); ok {
			if isEnc {
				enc, found = val, true
			}
			i = next
		} else if next, ok := scanJSONInt(b, i); ok && !isEnc {
			i = next
		} else {
			return nil, false
		}
		i = skip(b, i, clsJSONSpace)
		if at(b, i, "}") {
			break
		}
		if !at(b, i, ",") {
			return nil, false
		}
	}
	if skip(b, i+1, clsJSONSpace) != len(b) || !found || len(enc) == 0 {
		return nil, false
	}
	return enc, true
}

// scanJSONString reads a string needing no unescaping at i.
func scanJSONString(b []byte, i int) (val []byte, next int, ok bool) {
	if !at(b, i, `"`) {
		return nil, 0, false
	}
	end := bytes.IndexByte(b[i+1:], '"')
	if end < 0 || !all(b[i+1:i+1+end], clsJSONStr, `\`) { // it ends at the first '"'
		return nil, 0, false
	}
	return b[i+1 : i+1+end], i + 2 + end, true
}

// scanJSONInt reads -?(0|[1-9][0-9]*) at i; a fraction or exponent after it
// is then not a ',' or '}', so the caller gives up.
func scanJSONInt(b []byte, i int) (next int, ok bool) {
	if at(b, i, "-") {
		i++
	}
	switch {
	case at(b, i, "0"):
		return i + 1, true
	case i < len(b) && '1' <= b[i] && b[i] <= '9':
		for i++; i < len(b) && '0' <= b[i] && b[i] <= '9'; i++ {
		}
		return i, true
	}
	return 0, false
}
