package rules

import (
	"errors"
	"fmt"
	"regexp"
	"regexp/syntax"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Banword is one banned word, or a regular expression when Regex is set.
type Banword struct {
	ChatID  string
	Pattern string // the word, or the expression without its slashes
	Regex   bool
	Actor   string
}

// maxRegexInsts bounds an admin-written expression (its length is
// MaxRegexBytes): RE2 never backtracks, but a huge program still costs time
// on every message.
const maxRegexInsts = 2000

// ParseBanword reads the argument of /banword add: a word, or /regex/.
// A bad or too large expression is a UserError saying why.
func ParseBanword(arg string) (Banword, error) {
	arg = strings.TrimSpace(arg)
	if len(arg) > 2 && strings.HasPrefix(arg, "/") && strings.HasSuffix(arg, "/") {
		expr := arg[1 : len(arg)-1]
		if err := checkRegex(expr); err != nil {
			return Banword{}, Userf(sayRegexUnusable, expr, err)
		}
		return Banword{Pattern: expr, Regex: true}, nil
	}
	if normalizeText(arg) == "" {
		return Banword{}, Userf(sayUsage, banwordUsage)
	}
	if utf8.RuneCountInString(arg) > MaxBanwordLen {
		return Banword{}, Userf(sayBanwordTooLong, MaxBanwordLen)
	}
	return Banword{Pattern: arg}, nil
}

// checkRegex compiles expr under the size limits.
func checkRegex(expr string) error {
	if len(expr) > MaxRegexBytes {
		return fmt.Errorf(sayRegexTooLong, len(expr), MaxRegexBytes)
	}
	re, err := syntax.Parse("(?i)"+expr, syntax.Perl)
	if err != nil {
		var se *syntax.Error
		if errors.As(err, &se) {
			switch se.Code {
			case syntax.ErrInvalidRepeatSize, syntax.ErrLarge, syntax.ErrNestingDepth:
				return fmt.Errorf(sayRegexTooComplex, regexProblem(se.Code))
			}
			return fmt.Errorf(sayRegexSyntax, regexProblem(se.Code))
		}
		return errors.New(sayRegexSyntaxBare)
	}
	prog, err := syntax.Compile(re.Simplify())
	if err != nil || len(prog.Inst) > maxRegexInsts {
		return fmt.Errorf(sayRegexTooManyInsts, maxRegexInsts)
	}
	if regexp.MustCompile("(?i)" + expr).MatchString("") {
		return errors.New(sayRegexMatchesEmpty)
	}
	return nil
}

func regexProblem(code syntax.ErrorCode) string {
	if s, ok := regexProblems[code]; ok {
		return s
	}
	return sayRegexUnparsable
}

// banMatcher is a group's banned words and expressions compiled once: every
// word in one automaton, and every expression behind a second automaton of
// the literals it needs, so a message is scanned twice whatever the list size
// and only the expressions whose literals occur are run.
type banMatcher struct {
	words    *wordAutomaton
	literals *wordAutomaton // literals required by expressions
	byLit    [][]int        // literal index → expressions needing it
	always   []int          // expressions without a usable literal
	regexes  []*regexp.Regexp
	sources  []string
}

// newBanMatcher compiles a group's list. Entries that no longer compile (the
// limits changed since they were stored) are skipped rather than failing
// every message of the group.
func newBanMatcher(list []Banword) *banMatcher {
	m := &banMatcher{}
	var words, lits []string
	litIndex := map[string]int{}
	for _, b := range list {
		if !b.Regex {
			if w := normalizeText(b.Pattern); w != "" {
				words = append(words, w)
			}
			continue
		}
		if checkRegex(b.Pattern) != nil {
			continue
		}
		i := len(m.regexes)
		m.regexes = append(m.regexes, regexp.MustCompile("(?i)"+b.Pattern))
		m.sources = append(m.sources, b.Pattern)
		req := requiredLiterals(b.Pattern)
		if req == nil {
			m.always = append(m.always, i)
		}
		for _, l := range req {
			li, ok := litIndex[l]
			if !ok {
				li = len(lits)
				litIndex[l] = li
				lits = append(lits, l)
				m.byLit = append(m.byLit, nil)
			}
			m.byLit[li] = append(m.byLit[li], i)
		}
	}
	m.words = newWordAutomaton(words)
	m.literals = newWordAutomaton(lits)
	return m
}

// match reports the first banned word or expression text contains, naming it.
func (m *banMatcher) match(text string) (what string, ok bool) {
	if w, ok := m.words.find(normalizeText(text)); ok {
		return w, true
	}
	if len(m.regexes) == 0 {
		return "", false
	}
	try := func(i int) bool {
		if m.regexes[i].MatchString(text) {
			what, ok = "/"+m.sources[i]+"/", true
		}
		return ok
	}
	for _, i := range m.always {
		if try(i) {
			return what, ok
		}
	}
	tried := map[int]bool{}
	m.literals.each(foldForFilter(text), func(lit int) bool {
		for _, i := range m.byLit[lit] {
			if !tried[i] {
				tried[i] = true
				if try(i) {
					return false
				}
			}
		}
		return true
	})
	return what, ok
}

// normalizeText folds case and full-width forms and drops spaces and
// zero-width characters, so "加 微 信" and "ＶＸ" are caught like "加微信" and "vx".
func normalizeText(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case unicode.IsSpace(r), r == '\u200b', r == '\u200c', r == '\u200d', r == '\ufeff':
			continue
		case r >= '！' && r <= '～':
			r -= '！' - '!'
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

const banwordUsage = sayUseBanword
