package bot

import (
	"errors"
	"strings"
	"testing"
)

// envelopeReader is one envelope format: its scanner, its reference decoder
// and the public function that combines them.
type envelopeReader struct {
	scan   func([]byte) ([]byte, bool)
	decode func([]byte) (string, error)
	parse  func([]byte) (string, error)
}

var (
	xmlReader  = envelopeReader{scanAppEnvelope, decodeAppEnvelope, ParseAppEnvelope}
	jsonReader = envelopeReader{scanAIBotEnvelope, decodeAIBotEnvelope, ParseAIBotEnvelope}
)

// agree checks the scanner against the reference decoder on body: when the
// scanner answers, the decoder must find the same non-empty value, and the
// public function must always answer as the decoder does. It returns
// whether the scanner answered.
func (r envelopeReader) agree(t *testing.T, body []byte) bool {
	t.Helper()
	want, wantErr := r.decode(body)
	got, ok := r.scan(body)
	if ok && (wantErr != nil || string(got) != want) {
		t.Errorf("scanner: %.80q; decoder: %.80q, %v\nbody %.200q", got, want, wantErr, body)
	}
	public, err := r.parse(body)
	if public != want || (err == nil) != (wantErr == nil) || err != nil && !errors.Is(err, ErrMalformed) {
		t.Errorf("parse = %.80q, %v; decoder %.80q, %v", public, err, want, wantErr)
	}
	return ok
}

const b64 = "RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3Qw=="

// huge is a 1 MiB base64 field.
var huge = strings.Repeat("QUJD", 1<<18)

// appEnvelopes are XML bodies, WeCom's shapes (fast: the scanner must answer)
// and hostile ones (the scanner may answer, but only as encoding/xml does).
var appEnvelopes = []struct {
	body string
	fast bool
}{
	{"<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><Encrypt><![CDATA[" + b64 + "]]></Encrypt><AgentID><![CDATA[218]]></AgentID></xml>", true},
	{"<xml><ToUserName><![CDATA[ww1]]></ToUserName>\n<Encrypt><![CDATA[" + b64 + "]]></Encrypt>\n<AgentID><![CDATA[1000002]]></AgentID>\n</xml>\n", true},
	{"  \n<xml>\n\t<Encrypt>" + b64 + "</Encrypt>\n\t<AgentID>1000002</AgentID>\n</xml>", true},
	{"<xml><Encrypt><![CDATA[ " + b64 + "\n]]>\n</Encrypt></xml>", true},
	{"<xml><Encrypt><![CDATA[" + huge + "]]></Encrypt></xml>", true},
	{"<xml><Encrypt>" + b64 + "</Encrypt></xml>trailing <garbage & ]]> \x00", true},
	{"<xml><Encrypt>" + b64 + "</Encrypt><Other>a > b</Other></xml>", true},
	{"<xml><_x>1</_x><x_1>\"quoted\" 'text'</x_1><Encrypt>" + b64 + "</Encrypt></xml>", true},
	{"<xml><1st>digit first</1st><Encrypt>" + b64 + "</Encrypt></xml>", false},
	{"<xml><Encrypt>" + b64 + "</Encrypt><9>x</9></xml>", false},
	{"<xml><Encrypt><![CDATA[a<![CDATA[b]]></Encrypt></xml>", true},
	{"<xml><a-b>x</a-b><Encrypt>y</Encrypt></xml>", false},
	{"<xml><xmlns>x</xmlns><xml>y</xml><Encrypt>z</Encrypt></xml>", true},
	{"<xml><a.b>x</a.b><Encrypt>y</Encrypt></xml>", false},
	{"<xml><名>x</名><Encrypt>y</Encrypt></xml>", false},
	// entities and character references
	{"<xml><Encrypt>a&amp;b</Encrypt></xml>", false},
	{"<xml><Encrypt>&#65;&#x42;C</Encrypt></xml>", false},
	{"<xml><Encrypt>&lt;x&gt;</Encrypt></xml>", false},
	{"<xml><Encrypt>&bogus;</Encrypt></xml>", false},
	{"<xml><Encrypt>a & b</Encrypt></xml>", false},
	{"<xml><ToUserName>&amp;</ToUserName><Encrypt>" + b64 + "</Encrypt></xml>", false},
	{`<!DOCTYPE xml [<!ENTITY e "ZZZZ">]><xml><Encrypt>&e;</Encrypt></xml>`, false},
	// comments, processing instructions, declarations
	{"<xml><!-- c --><Encrypt>" + b64 + "</Encrypt></xml>", false},
	{"<xml><Encrypt>ab<!-- c -->cd</Encrypt></xml>", false},
	{"<xml><Encrypt><!-- <![CDATA[x]]> -->y</Encrypt></xml>", false},
	{"<?xml version=\"1.0\" encoding=\"UTF-8\"?><xml><Encrypt>" + b64 + "</Encrypt></xml>", false},
	{"<xml><?pi x?><Encrypt>" + b64 + "</Encrypt></xml>", false},
	{"\ufeff<xml><Encrypt>" + b64 + "</Encrypt></xml>", false},
	// duplicated, nested, renamed, namespaced tags
	{"<xml><Encrypt>first</Encrypt><Encrypt>second</Encrypt></xml>", false},
	{"<xml><Encrypt>a</Encrypt><Encrypt></Encrypt><Encrypt>c</Encrypt></xml>", false},
	{"<xml><encrypt>lower</encrypt></xml>", false},
	{"<xml><ENCRYPT>upper</ENCRYPT><Encrypt>x</Encrypt></xml>", false},
	{"<xml><Encrypt>x</Encrypt><encrypt>y</encrypt></xml>", false},
	{"<xml><a:Encrypt xmlns:a=\"u\">ns</a:Encrypt></xml>", false},
	{"<xml><Foo><Encrypt>nested</Encrypt></Foo></xml>", false},
	{"<xml><Encrypt><Encrypt>inner</Encrypt></Encrypt></xml>", false},
	{"<xml><xml><Encrypt>x</Encrypt></xml></xml>", false},
	{"<root><Encrypt>x</Encrypt></root>", false},
	{"<XML><Encrypt>x</Encrypt></XML>", false},
	{"<xml a=\"1\"><Encrypt>x</Encrypt></xml>", false},
	{"<xml ><Encrypt>x</Encrypt></xml>", false},
	{"<xml><Encrypt a=\"1\">x</Encrypt></xml>", false},
	{"<xml><Encrypt/></xml>", false},
	{"<xml/>", false},
	{"<xml><Encrypt>x</Encrypt ></xml>", false},
	{"<xml><Encrypt>x</Other></xml>", false},
	{"<xml><Encrypt>x</encrypt></xml>", false},
	{"<xml><Encrypt>x</Encrypt>", false},
	{"<xml><Encrypt>x", false},
	{"<xml>", false},
	{"", false},
	{"not xml", false},
	// CDATA edge cases
	{"<xml><Encrypt><![CDATA[ab]]><![CDATA[cd]]></Encrypt></xml>", false},
	{"<xml><Encrypt>ab<![CDATA[cd]]></Encrypt></xml>", false},
	{"<xml><Encrypt><![CDATA[ab]]>cd</Encrypt></xml>", false},
	{"<xml><Encrypt><![CDATA[a]b]]></Encrypt></xml>", true},
	{"<xml><Encrypt><![CDATA[a<&>b]]></Encrypt></xml>", true},
	{"<xml><Encrypt><![CDATA[ab</Encrypt></xml>", false},
	{"<xml><Encrypt>a]]>b</Encrypt></xml>", false},
	{"<xml><Encrypt>a]b</Encrypt></xml>", false},
	{"<xml><Encrypt><![cdata[x]]></Encrypt></xml>", false},
	// white space, line ends, bytes outside printable ASCII
	{"<xml><Encrypt>ab\r\ncd</Encrypt></xml>", false},
	{"<xml><Encrypt><![CDATA[ab\rcd]]></Encrypt></xml>", false},
	{"<xml>\r\n<Encrypt>x</Encrypt></xml>", false},
	{"<xml><Encrypt>\t" + b64 + "\n</Encrypt></xml>", true},
	{"<xml><Encrypt> \t\n </Encrypt></xml>", false},
	{"<xml><Encrypt></Encrypt></xml>", false},
	{"<xml><Encrypt><![CDATA[]]></Encrypt></xml>", false},
	{"<xml><Encrypt>ab\x00cd</Encrypt></xml>", false},
	{"<xml><Encrypt>ab\x01cd</Encrypt></xml>", false},
	{"<xml><Encrypt><![CDATA[ab\x0bcd]]></Encrypt></xml>", false},
	{"<xml><Encrypt>ab\x7fcd</Encrypt></xml>", false},
	{"<xml><Encrypt>ab\xffcd</Encrypt></xml>", false},
	{"<xml><Encrypt>密文</Encrypt></xml>", false},
	{"<xml><ToUserName>\xc3\x28</ToUserName><Encrypt>x</Encrypt></xml>", false},
	{"<xml><ToUserName>x\x01</ToUserName><Encrypt>" + b64 + "</Encrypt></xml>", false},
	{"<xml><Encrypt>" + huge + "\x01</Encrypt></xml>", false},
}

func TestAppEnvelopeScannerAgrees(t *testing.T) {
	for _, e := range appEnvelopes {
		if fast := xmlReader.agree(t, []byte(e.body)); e.fast && !fast {
			t.Errorf("the scanner passed WeCom's shape to encoding/xml: %.120q", e.body)
		}
	}
	for _, v := range loadVectors(t).Vectors {
		if v.Format == "xml" && !xmlReader.agree(t, []byte(v.PostBody)) {
			t.Errorf("vector %s: the scanner passed it to encoding/xml", v.ID)
		}
	}
}

// aibotEnvelopes are JSON bodies, as appEnvelopes.
var aibotEnvelopes = []struct {
	body string
	fast bool
}{
	{`{"encrypt":"` + b64 + `"}`, true},
	{`{"tousername":"wx5823bf96d3bd56c7","encrypt":"` + b64 + `","agentid":"218"}`, true},
	{"{ \"tousername\": \"ww1\",\r\n \"encrypt\": \"" + b64 + "\", \"agentid\": 218 }\n", true},
	{`{"agentid":-1,"encrypt":"` + b64 + `","n":0}`, true},
	{`{"encrypt":"` + huge + `"}`, true},
	{`{"encrypt":" spaced "}`, true},
	{`{"agentid":"1","agentid":2,"":"","encrypt":"x"}`, true},
	// escapes and case variants
	{`{"encrypt":"ab\/cd"}`, false},
	{`{"encrypt":"\u0041BC"}`, false},
	{`{"encr\u0079pt":"x"}`, false},
	{`{"Encrypt":"x"}`, false},
	{`{"ENCRYPT":"x","encrypt":"y"}`, false},
	{`{"encrypt":"x","Encrypt":"y"}`, false},
	{`{"encrypt":"first","encrypt":"second"}`, false},
	{`{"encrypt":"first","encrypt":""}`, false},
	// values the scanner leaves to encoding/json
	{`{"encrypt":null}`, false},
	{`{"encrypt":12}`, false},
	{`{"encrypt":true}`, false},
	{`{"encrypt":["x"]}`, false},
	{`{"encrypt":{"v":"x"}}`, false},
	{`{"encrypt":"x","agentid":1.5}`, false},
	{`{"encrypt":"x","agentid":1e5}`, false},
	{`{"encrypt":"x","agentid":01}`, false},
	{`{"encrypt":"x","agentid":-}`, false},
	{`{"encrypt":"x","agentid":-0}`, true},
	{`{"encrypt":"x","ok":true}`, false},
	{`{"encrypt":"x","obj":{"encrypt":"y"}}`, false},
	// broken or trailing
	{`{"encrypt":"x"}garbage`, false},
	{`{"encrypt":"x"} {"encrypt":"y"}`, false},
	{`{"encrypt":"x",}`, false},
	{`{"encrypt":"x"`, false},
	{`{"encrypt" "x"}`, false},
	{`{"encrypt":"x}`, false},
	{`{}`, false},
	{`[]`, false},
	{`null`, false},
	{``, false},
	{"\ufeff{\"encrypt\":\"x\"}", false},
	{`{"encrypt":""}`, false},
	// bytes outside printable ASCII
	{"{\"encrypt\":\"a\x01b\"}", false},
	{"{\"encrypt\":\"a\tb\"}", false},
	{"{\"encrypt\":\"a\x7fb\"}", false},
	{"{\"encrypt\":\"a\xffb\"}", false},
	{`{"encrypt":"密文"}`, false},
	{"{\"encrypt\":\"" + huge + "\x01\"}", false},
	{"{\"to\":\"\xc3\x28\",\"encrypt\":\"x\"}", false},
}

func TestAIBotEnvelopeScannerAgrees(t *testing.T) {
	for _, e := range aibotEnvelopes {
		if fast := jsonReader.agree(t, []byte(e.body)); e.fast && !fast {
			t.Errorf("the scanner passed WeCom's shape to encoding/json: %.120q", e.body)
		}
	}
	for _, v := range loadVectors(t).Vectors {
		if v.Format == "json" && !jsonReader.agree(t, []byte(v.PostBody)) {
			t.Errorf("vector %s: the scanner passed it to encoding/json", v.ID)
		}
	}
}

// TestAllAgreesWithBytes puts every byte value at every position of 38 bytes
// of base64 (two 16-byte rounds and a tail) and compares the fast test with
// the byte-by-byte one, for every byte the caller did not rule out.
func TestAllAgreesWithBytes(t *testing.T) {
	base := []byte("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVph1A")
	for _, c := range []struct {
		class        uint8
		maybe, ruled string // ruled: bytes the caller's search stopped at
	}{{clsText, "&]", "<"}, {clsCDATA, "", ""}, {clsJSONStr, `\`, `"`}} {
		for pos := range base {
			for v := range 256 {
				if strings.IndexByte(c.ruled, byte(v)) >= 0 {
					continue
				}
				s := append([]byte(nil), base...)
				s[pos] = byte(v)
				if got, want := all(s, c.class, c.maybe), allBytes(s, c.class); got != want {
					t.Fatalf("class %d, byte %#x at %d: all = %v, byte by byte %v", c.class, v, pos, got, want)
				}
			}
		}
	}
}

func FuzzAppEnvelopeScanner(f *testing.F) {
	for _, e := range appEnvelopes {
		if len(e.body) < 4096 {
			f.Add([]byte(e.body))
		}
	}
	f.Fuzz(func(t *testing.T, body []byte) { xmlReader.agree(t, body) })
}

func FuzzAIBotEnvelopeScanner(f *testing.F) {
	for _, e := range aibotEnvelopes {
		if len(e.body) < 4096 {
			f.Add([]byte(e.body))
		}
	}
	f.Fuzz(func(t *testing.T, body []byte) { jsonReader.agree(t, body) })
}
