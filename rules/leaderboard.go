package rules

import (
	"context"
	"fmt"
	"strings"
)

var topCommand = &Command{
	Name: "top", Aliases: []string{"排行", "排行榜"}, Usage: topUsage,
	Summary: sayAboutTop, Run: runTop,
}

const topUsage = sayUseTop

// topN is how many members a leaderboard shows.
const topN = 10

// BoardEntry is one line of a leaderboard as people read it.
type BoardEntry struct {
	Rank   int
	UserID string
	Name   string
	Points int
	Title  string
}

// ledgerReader is what rebuilding and labelling a board reads from the
// database: inside a turn its Tx, outside (admin API) the store itself.
type ledgerReader interface {
	Engagement
	Members
}

func runTop(ctx context.Context, t *Turn, a Args) (string, error) {
	period, ok := ParsePeriod(strings.ToLower(a.Get(0)))
	if !ok {
		return "", Userf(sayUsage, topUsage)
	}
	b := BoardAt(period, t.Local())
	entries, err := t.e.board(ctx, t.Tx, t.Settings, t.Event.ChatID, b, topN)
	if err != nil {
		return "", err
	}
	return formatBoard(fmt.Sprintf(sayBoardTitle, periodName(b)), entries), nil
}

func formatBoard(title string, entries []BoardEntry) string {
	if len(entries) == 0 {
		return title + sayBoardEmpty
	}
	lines := []string{title}
	for _, e := range entries {
		lines = append(lines, fmt.Sprintf(sayBoardLine, e.Rank, e.Name, e.Points, e.Title))
	}
	return strings.Join(lines, "\n")
}

// Leaderboard is the top of a group's board for the API: period is day,
// week, month or all ("" is week), at the engine's current time.
func (e *Engine) Leaderboard(ctx context.Context, chatID, period string) (Board, []BoardEntry, error) {
	p, ok := ParsePeriod(period)
	if !ok {
		return Board{}, nil, fmt.Errorf("rules: unknown period %q: %w", period, ErrNotFound)
	}
	s, err := e.settings.get(ctx, e.store, chatID)
	if err != nil {
		return Board{}, nil, err
	}
	b := BoardAt(p, e.now().In(e.loc))
	entries, err := e.board(ctx, e.store, s, chatID, b, topN)
	return b, entries, err
}

// board reads the first n of a board, rebuilding it from the ledger when
// Redis has lost it, with names and titles (titles follow all-time earnings).
func (e *Engine) board(ctx context.Context, q ledgerReader, s *Settings, chatID string, b Board, n int) ([]BoardEntry, error) {
	top, err := e.top(ctx, q, chatID, b, n)
	if err != nil {
		return nil, err
	}
	earned, err := e.earnedOf(ctx, q, chatID, b, top)
	if err != nil {
		return nil, err
	}
	out := make([]BoardEntry, len(top))
	for i, r := range top {
		_, title := s.LevelFor(earned[i])
		out[i] = BoardEntry{Rank: i + 1, UserID: r.UserID, Name: nameOf(ctx, q, r.UserID), Points: r.Points, Title: title}
	}
	return out, nil
}

// earnedOf is what each ranked member earned ever (their title's measure),
// read from the all-time board in one call.
func (e *Engine) earnedOf(ctx context.Context, q ledgerReader, chatID string, b Board, top []Ranked) ([]int, error) {
	out := make([]int, len(top))
	users := make([]string, len(top))
	for i, r := range top {
		out[i], users[i] = r.Points, r.UserID
	}
	if b.Period == PeriodAll || len(top) == 0 {
		return out, nil
	}
	all := BoardAt(PeriodAll, b.From)
	return readBoard(ctx, e, q, chatID, all, func() ([]int, bool, error) { return e.counters.Scores(ctx, chatID, all, users) },
		func(l ledgerBoard) []int { return l.scores(users) })
}

func nameOf(ctx context.Context, q Members, userID string) string {
	if name, err := q.Name(ctx, userID); err == nil && name != "" {
		return name
	}
	return userID
}

func (e *Engine) top(ctx context.Context, q ledgerReader, chatID string, b Board, n int) ([]Ranked, error) {
	return readBoard(ctx, e, q, chatID, b, func() ([]Ranked, bool, error) { return e.counters.Top(ctx, chatID, b, n) },
		func(l ledgerBoard) []Ranked { return l.top(n) })
}

func (e *Engine) rankOf(ctx context.Context, q ledgerReader, chatID, userID string, b Board) (rank, score int, err error) {
	r, err := readBoard(ctx, e, q, chatID, b, func() ([2]int, bool, error) {
		rank, score, ok, err := e.counters.RankOf(ctx, chatID, userID, b)
		return [2]int{rank, score}, ok, err
	}, func(l ledgerBoard) [2]int { return l.rankOf(userID) })
	return r[0], r[1], err
}

// readBoard runs read, and once more after rebuilding the board from the
// ledger when read says Redis has lost it. When Redis fails, the answer is
// computed from the ledger (fromLedger): the boards are only a fast copy.
func readBoard[T any](ctx context.Context, e *Engine, q ledgerReader, chatID string, b Board,
	read func() (T, bool, error), fromLedger func(ledgerBoard) T) (T, error) {
	v, ok, err := read()
	if err == nil && ok {
		return v, nil
	}
	totals, lerr := q.EarnedBy(ctx, chatID, b.From, b.To)
	if lerr != nil {
		var zero T
		return zero, lerr
	}
	if err == nil {
		if err = e.counters.RebuildBoard(ctx, chatID, b, totals, e.now()); err == nil {
			if v, ok, err = read(); err == nil && ok {
				return v, nil
			}
		}
	}
	if err != nil {
		e.log.Warn("leaderboard read from the ledger", "chat_id", chatID, "board", b.Key, "err", err)
	}
	return fromLedger(ledgerBoard(totals)), nil
}
