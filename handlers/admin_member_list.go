package handlers

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/qunbot/qunbot/rules"
)

// MemberLister streams a group's members, a page at a time, to fn.
type MemberLister interface {
	Members(ctx context.Context, chatID string, f rules.MemberFilter, fn func(rules.MemberView) error) error
}

// maxMemberList bounds ?limit= of the member list (a WeCom group has at
// most a few thousand members; the list itself is streamed).
const maxMemberList = 1_000_000

// memberFlush is how many members are written between flushes.
const memberFlush = 500

// listMembers streams every member the bot knows in the group (past members
// too), by userid: {"members":[...]} with the member fields, or with
// ?format=csv one row each for a spreadsheet. ?segment= keeps one segment,
// ?limit= the first n. Memory stays bounded whatever the group's size: rows
// are read a page at a time and written as they come.
func (s *server) listMembers(c *gin.Context) {
	if s.Members == nil {
		abortJSON(c, http.StatusServiceUnavailable, "member list not available")
		return
	}
	f := rules.MemberFilter{Segment: c.Query("segment")}
	if f.Segment != "" && !slices.ContainsFunc(rules.SegmentNames, func(n struct{ Key, Name string }) bool { return n.Key == f.Segment }) {
		abortJSON(c, http.StatusBadRequest, "segment must be high_value, potential, silent or churned")
		return
	}
	if c.Query("limit") != "" {
		n, ok := queryLimit(c, 0, maxMemberList)
		if !ok {
			return
		}
		f.Limit = n
	}
	var w memberWriter
	switch format := c.Query("format"); format {
	case "", "json":
		w = &jsonMembers{s: s, c: c}
	case "csv":
		w = &csvMembers{s: s, c: c, w: csv.NewWriter(c.Writer)}
	default:
		abortJSON(c, http.StatusBadRequest, "format must be json or csv")
		return
	}
	n := 0
	err := s.Members.Members(c.Request.Context(), c.Param("chatid"), f, func(m rules.MemberView) error {
		if n == 0 {
			w.start()
		}
		if n++; n%memberFlush == 0 {
			c.Writer.Flush()
		}
		return w.write(s.memberJSON(m))
	})
	switch {
	case err != nil && n == 0:
		s.fail(c, err)
	case err != nil: // the status is sent: end the body short, a reader sees it cut
		s.Log.ErrorContext(c.Request.Context(), "admin API: member list cut short", "chat_id", c.Param("chatid"), "err", err)
	default:
		if n == 0 {
			w.start()
		}
		w.end()
	}
}

// memberWriter writes the member list in one format.
type memberWriter interface {
	start()
	write(m memberJSON) error
	end()
}

type jsonMembers struct {
	s     *server
	c     *gin.Context
	wrote bool
}

func (j *jsonMembers) start() {
	j.c.Header("Content-Type", "application/json; charset=utf-8")
	j.c.Status(http.StatusOK)
	j.c.Writer.WriteString(`{"members":[`)
}

func (j *jsonMembers) write(m memberJSON) error {
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	if j.wrote {
		j.c.Writer.WriteString(",")
	}
	j.wrote = true
	_, err = j.c.Writer.Write(b)
	return err
}

func (j *jsonMembers) end() { j.c.Writer.WriteString("]}") }

// csvColumns are the member fields, in the JSON names.
var csvColumns = []string{"userid", "name", "points", "level", "title", "checkin_streak", "last_checkin_day",
	"warnings", "muted_until", "joined_at", "probation_until", "inviter", "left_at", "is_admin", "segment",
	"last_message_at"}

type csvMembers struct {
	s *server
	c *gin.Context
	w *csv.Writer
}

func (x *csvMembers) start() {
	x.c.Header("Content-Type", "text/csv; charset=utf-8")
	x.c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="members-%s.csv"`, safeFileName(x.c.Param("chatid"))))
	x.c.Status(http.StatusOK)
	x.c.Writer.WriteString("\uFEFF") // a byte-order mark: spreadsheets then read the file as UTF-8
	x.w.Write(csvColumns)
}

func (x *csvMembers) write(m memberJSON) error {
	str := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	err := x.w.Write([]string{cell(m.UserID), cell(m.Name), strconv.Itoa(m.Points), strconv.Itoa(m.Level),
		cell(m.Title), strconv.Itoa(m.CheckinStreak), str(m.LastCheckinDay), strconv.Itoa(m.Warnings),
		str(m.MutedUntil), str(m.JoinedAt), str(m.ProbationUntil), cell(m.Inviter), str(m.LeftAt),
		strconv.FormatBool(m.IsAdmin), m.Segment, str(m.LastMessageAt)})
	if err != nil {
		return err
	}
	x.w.Flush()
	return x.w.Error()
}

func (x *csvMembers) end() { x.w.Flush() }

// cell keeps a text a spreadsheet would run as a formula (=, +, -, @, or a
// tab or carriage return first) as text, with a leading apostrophe.
func cell(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}

// safeFileName keeps a chat id usable in a download's file name.
func safeFileName(v string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || strings.ContainsRune(`"\/:*?<>|`, r) {
			return '_'
		}
		return r
	}, v)
}
