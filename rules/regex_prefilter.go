package rules

import (
	"regexp/syntax"
	"strings"
	"unicode"
)

// requiredLiterals returns strings of which at least one occurs (folded by
// foldForFilter) in every text the expression matches, or nil when no such
// set is known. A group's expressions are only run on a message that holds
// one of their literals, found for all of them in one automaton pass; the
// rest of the time 200 expressions cost one scan.
func requiredLiterals(expr string) []string {
	re, err := syntax.Parse("(?i)"+expr, syntax.Perl)
	if err != nil {
		return nil
	}
	return literalsOf(re.Simplify())
}

func literalsOf(re *syntax.Regexp) []string {
	switch re.Op {
	case syntax.OpLiteral:
		if s, ok := filterLiteral(re.Rune); ok {
			return []string{s}
		}
	case syntax.OpCapture:
		return literalsOf(re.Sub[0])
	case syntax.OpPlus:
		return literalsOf(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return literalsOf(re.Sub[0])
		}
	case syntax.OpConcat:
		var best []string
		for _, sub := range re.Sub {
			if l := literalsOf(sub); l != nil && (best == nil || shortest(l) > shortest(best)) {
				best = l
			}
		}
		return best
	case syntax.OpAlternate:
		var all []string
		for _, sub := range re.Sub {
			l := literalsOf(sub)
			if l == nil {
				return nil
			}
			all = append(all, l...)
		}
		return all
	}
	return nil
}

func shortest(list []string) int {
	n := -1
	for _, s := range list {
		if n < 0 || len(s) < n {
			n = len(s)
		}
	}
	return n
}

// filterLiteral lower-cases a literal for the prefilter, refusing runes whose
// case-folding orbit foldForFilter cannot represent (Greek sigma, for one).
func filterLiteral(runes []rune) (string, bool) {
	var b strings.Builder
	for _, r := range runes {
		orbit := 1
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			orbit++
		}
		if orbit > 2 && r != 'k' && r != 'K' && r != 's' && r != 'S' {
			return "", false
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String(), b.Len() > 0
}

// foldForFilter lower-cases text the way filterLiteral folds literals,
// including the Kelvin sign and the long s that (?i) equates with k and s.
func foldForFilter(text string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '\u212a':
			return 'k'
		case '\u017f':
			return 's'
		}
		return unicode.ToLower(r)
	}, text)
}
