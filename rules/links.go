package rules

import (
	"regexp"
	"strings"
)

// linkPattern finds URLs with a scheme, www. hosts, and bare hosts under the
// top-level domains ads use; "file.txt" or "v1.2" are not links.
var linkPattern = regexp.MustCompile(`(?i)(?:https?://|www\.)[^\s<>"'，。、）)]+` +
	`|(?:[a-z0-9-]+\.)+(?:com|cn|net|org|io|cc|co|me|top|xyz|vip|info|shop|link|app|site|online|club|ltd|tv|ly|gl)\b(?:[/:?][^\s<>"'，。、）)]*)?`)

// linkHosts returns the host of every link in text, lower-cased.
func linkHosts(text string) []string {
	var hosts []string
	for _, l := range linkPattern.FindAllString(text, -1) {
		l = strings.ToLower(l)
		if i := strings.Index(l, "://"); i >= 0 {
			l = l[i+3:]
		}
		if i := strings.IndexAny(l, "/:?#"); i >= 0 {
			l = l[:i]
		}
		if l != "" {
			hosts = append(hosts, l)
		}
	}
	return hosts
}

// domainAllowed reports whether host is one of allow or under one of them.
func domainAllowed(host string, allow []string) bool {
	for _, d := range allow {
		d = strings.TrimPrefix(strings.ToLower(strings.TrimSpace(d)), ".")
		if d != "" && (host == d || strings.HasSuffix(host, "."+d)) {
			return true
		}
	}
	return false
}

// foreignLink returns the first link host in text that is not allowed.
func foreignLink(text string, allow []string) (string, bool) {
	for _, h := range linkHosts(text) {
		if !domainAllowed(h, allow) {
			return h, true
		}
	}
	return "", false
}
