package rules

// wordAutomaton finds any of many words in a text in one pass over its bytes
// (Aho-Corasick), so thousands of banned words cost about as much as one.
// It is built once per group and only read afterwards, so it is safe for
// concurrent use.
type wordAutomaton struct {
	next  map[uint64]int32 // (node<<8 | byte) → child node
	root  [256]int32       // the root's children, dense: most steps of a clean text start there
	fail  []int32          // longest proper suffix that is also a trie node
	term  []int32          // index of the word ending exactly at this node; -1 none
	out   []int32          // nearest node on the fail chain (self included) where a word ends; -1 none
	words []string
}

func edge(node int32, b byte) uint64 { return uint64(node)<<8 | uint64(b) }

// newWordAutomaton builds the automaton over words; empty words are ignored.
func newWordAutomaton(words []string) *wordAutomaton {
	a := &wordAutomaton{next: map[uint64]int32{}, fail: []int32{0}, term: []int32{-1}, out: []int32{-1}, words: words}
	for i, w := range words {
		if w == "" {
			continue
		}
		node := int32(0)
		for j := 0; j < len(w); j++ {
			child, ok := a.next[edge(node, w[j])]
			if !ok {
				child = int32(len(a.fail))
				a.next[edge(node, w[j])] = child
				a.fail = append(a.fail, 0)
				a.term = append(a.term, -1)
				a.out = append(a.out, -1)
			}
			node = child
		}
		if a.term[node] < 0 {
			a.term[node] = int32(i)
			a.out[node] = node
		}
	}
	a.link()
	for b := range a.root {
		a.root[b] = a.next[edge(0, byte(b))] // 0 (the root) when absent
	}
	return a
}

// step follows byte b from node, through failure links when needed.
func (a *wordAutomaton) step(node int32, b byte) int32 {
	for node != 0 {
		if n, ok := a.next[edge(node, b)]; ok {
			return n
		}
		node = a.fail[node]
	}
	return a.root[b]
}

// link computes failure and output links breadth first.
func (a *wordAutomaton) link() {
	children := make([][]struct {
		b    byte
		node int32
	}, len(a.fail))
	for k, child := range a.next {
		parent := int32(k >> 8)
		children[parent] = append(children[parent], struct {
			b    byte
			node int32
		}{byte(k), child})
	}
	queue := []int32{}
	for _, c := range children[0] {
		queue = append(queue, c.node) // depth-1 nodes fail to the root
	}
	for len(queue) > 0 {
		node := queue[0]
		queue = queue[1:]
		for _, c := range children[node] {
			f := a.fail[node]
			for {
				if n, ok := a.next[edge(f, c.b)]; ok {
					a.fail[c.node] = n
					break
				}
				if f == 0 {
					break
				}
				f = a.fail[f]
			}
			if a.out[c.node] < 0 {
				a.out[c.node] = a.out[a.fail[c.node]]
			}
			queue = append(queue, c.node)
		}
	}
}

// find returns the first word (by end position) found in text.
func (a *wordAutomaton) find(text string) (string, bool) {
	word := -1
	a.each(text, func(w int) bool { word = w; return false })
	if word < 0 {
		return "", false
	}
	return a.words[word], true
}

// each calls fn with the index of every occurrence of a word in text, in
// order of where they end, until fn returns false.
func (a *wordAutomaton) each(text string, fn func(word int) bool) {
	if len(a.fail) == 1 {
		return
	}
	node := int32(0)
	for i := 0; i < len(text); i++ {
		node = a.step(node, text[i])
		for n := a.out[node]; n > 0; n = a.out[a.fail[n]] {
			if !fn(int(a.term[n])) {
				return
			}
		}
	}
}
