package rules

import (
	"context"
	"slices"
	"sort"
	"time"
)

// activityFake keeps modFake's roll-ups in memory, the way the store does:
// per member and day a message count, per day the group's counters.
type activityFake struct {
	memberDays map[[3]string]int       // chat, day, user → messages
	days       map[[2]string]DayCounts // chat, day
}

func (f *modFake) CountMessage(_ context.Context, chatID, userID, day string, _ time.Time) error {
	a := &f.activity
	if a.memberDays == nil {
		a.memberDays = map[[3]string]int{}
	}
	k := [3]string{chatID, day, userID}
	d := DayCounts{Day: day, Messages: 1}
	if a.memberDays[k] == 0 {
		d.Speakers = 1
	}
	a.memberDays[k]++
	return f.AddDayCounts(context.Background(), chatID, userID, d)
}

func (f *modFake) AddDayCounts(_ context.Context, chatID, _ string, d DayCounts) error {
	a := &f.activity
	if a.days == nil {
		a.days = map[[2]string]DayCounts{}
	}
	k := [2]string{chatID, d.Day}
	c := a.days[k]
	c.Day = d.Day
	c.Add(d)
	a.days[k] = c
	return nil
}

func (f *modFake) DayCounts(_ context.Context, chatID string, w Window) ([]DayCounts, error) {
	var out []DayCounts
	for k, c := range f.activity.days {
		if k[0] == chatID && k[1] >= w.From && k[1] <= w.To {
			out = append(out, c)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Day < out[j].Day })
	return out, nil
}

// speakers sums the window per member; last is each one's latest day.
func (f *modFake) speakers(chatID string, w Window) (map[string]*Speaker, map[string]string) {
	out, last := map[string]*Speaker{}, map[string]string{}
	for k, n := range f.activity.memberDays {
		if k[0] != chatID || k[1] < w.From || k[1] > w.To {
			continue
		}
		s := out[k[2]]
		if s == nil {
			s = &Speaker{UserID: k[2]}
			out[k[2]] = s
		}
		s.Days++
		s.Messages += n
		last[k[2]] = max(last[k[2]], k[1])
	}
	return out, last
}

func (f *modFake) ActiveDays(_ context.Context, chatID string, w Window) ([]ActiveDays, error) {
	count := map[ActiveDays]int{}
	spoke, _ := f.speakers(chatID, w)
	for u, s := range spoke {
		m, ok := f.members[chatID+"/"+u]
		count[ActiveDays{Days: s.Days, Present: !ok || m.LeftAt == nil}]++
	}
	var out []ActiveDays
	for b, n := range count {
		b.Members = n
		out = append(out, b)
	}
	return out, nil
}

func (f *modFake) TopSpeakers(_ context.Context, chatID string, w Window, n int) ([]Speaker, error) {
	var out []Speaker
	spoke, last := f.speakers(chatID, w)
	for _, s := range spoke {
		out = append(out, *s)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Days != b.Days {
			return a.Days > b.Days
		}
		if a.Messages != b.Messages {
			return a.Messages > b.Messages
		}
		if last[a.UserID] != last[b.UserID] {
			return last[a.UserID] > last[b.UserID]
		}
		return out[i].UserID < out[j].UserID
	})
	return out[:min(n, len(out))], nil
}

func (f *modFake) Population(_ context.Context, chatID string, w Window) (members, left int, err error) {
	for _, m := range f.members {
		switch {
		case m.ChatID != chatID:
		case m.LeftAt == nil:
			members++
		case !m.LeftAt.Before(w.Since):
			left++
		}
	}
	return members, left, nil
}

// EachActivity sums each current member's days as the store does.
func (f *modFake) EachActivity(_ context.Context, chatID, day, recentFrom string, fn func(MemberActivity)) error {
	for _, m := range f.members {
		if m.ChatID != chatID || m.LeftAt != nil {
			continue
		}
		a := MemberActivity{UserID: m.UserID, JoinedAt: m.JoinedAt}
		for k, n := range f.activity.memberDays {
			if k[0] != chatID || k[2] != m.UserID || k[1] > day {
				continue
			}
			a.LastDay = max(a.LastDay, k[1])
			if k[1] >= recentFrom {
				a.Recent += n
			}
		}
		fn(a)
	}
	return nil
}

// SegmentCounts sorts the members one at a time, as a past day's segments are.
func (f *modFake) SegmentCounts(ctx context.Context, chatID string, c SegmentCuts) (Segments, error) {
	var sg Segments
	err := f.EachActivity(ctx, chatID, c.Day, c.RecentFrom, func(m MemberActivity) { sg.add(c.segmentOf(m)) })
	return sg, err
}

// QuietMembers treats members without a join time as there all along.
func (f *modFake) QuietMembers(_ context.Context, chatID string, q QuietQuery) ([]QuietMember, int, error) {
	var out []QuietMember
	for _, m := range f.members {
		if m.ChatID != chatID || m.LeftAt != nil || (m.JoinedAt != nil && !m.JoinedAt.Before(q.JoinedBefore)) ||
			slices.Contains(q.Except, m.UserID) {
			continue
		}
		qm := QuietMember{UserID: m.UserID}
		for k, n := range f.activity.memberDays {
			if k[0] == chatID && k[2] == m.UserID {
				qm.LastDay = max(qm.LastDay, k[1])
				if k[1] >= q.From && k[1] <= q.To {
					qm.Messages += n
				}
			}
		}
		if qm.Messages < q.Fewer {
			out = append(out, qm)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].UserID < out[j].UserID })
	return out[:min(q.Limit, len(out))], len(out), nil
}

func (f *modFake) SilentMembers(_ context.Context, chatID string, w Window, n int) ([]string, error) {
	spoke, _ := f.speakers(chatID, w)
	var out []string
	for _, m := range f.members {
		if _, ok := spoke[m.UserID]; m.ChatID == chatID && m.LeftAt == nil && !ok {
			out = append(out, m.UserID)
		}
	}
	sort.Strings(out) // the fake's members have no join time: by userid
	return out[:min(n, len(out))], nil
}
