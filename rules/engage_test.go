package rules

import (
	"errors"
	"testing"
	"time"
)

var shanghai = time.FixedZone("CST", 8*3600)

func TestCheckinPoints(t *testing.T) {
	c := CheckinSettings{Points: 5, StreakBonus: 1, StreakBonusMax: 5}
	for _, tt := range []struct{ streak, want int }{{1, 5}, {2, 6}, {3, 7}, {6, 10}, {7, 10}, {100, 10}, {0, 5}} {
		if got := checkinPoints(c, tt.streak); got != tt.want {
			t.Errorf("checkinPoints(day %d) = %d, want %d", tt.streak, got, tt.want)
		}
	}
	c = CheckinSettings{Points: 10, StreakBonus: 3, StreakBonusMax: 7}
	if got, want := checkinPoints(c, 4), 17; got != want {
		t.Errorf("checkinPoints(day 4, bonus 3 max 7) = %d, want %d", got, want)
	}
}

func TestStreakOn(t *testing.T) {
	tests := []struct {
		name  string
		last  Checkin
		found bool
		want  int
	}{
		{"first ever", Checkin{}, false, 1},
		{"yesterday", Checkin{Day: "2026-11-20", Streak: 4}, true, 5},
		{"missed a day", Checkin{Day: "2026-11-19", Streak: 4}, true, 1},
		{"across a month", Checkin{Day: "2026-10-31", Streak: 2}, false, 1},
	}
	for _, tt := range tests {
		if got := streakOn("2026-11-21", tt.last, tt.found); got != tt.want {
			t.Errorf("%s: streakOn = %d, want %d", tt.name, got, tt.want)
		}
	}
	if got, want := streakOn("2026-11-01", Checkin{Day: "2026-10-31", Streak: 2}, true), 3; got != want {
		t.Errorf("across a month: got %d, want %d", got, want)
	}
	if got, want := prevDay("2026-01-01"), "2025-12-31"; got != want {
		t.Errorf("prevDay = %q, want %q", got, want)
	}
}

func TestBoardAt(t *testing.T) {
	at := time.Date(2026, 11, 21, 23, 30, 0, 0, shanghai) // a Saturday
	tests := []struct {
		period, key string
		from, to    time.Time
	}{
		{PeriodDay, "2026-11-21", time.Date(2026, 11, 21, 0, 0, 0, 0, shanghai), time.Date(2026, 11, 22, 0, 0, 0, 0, shanghai)},
		{PeriodWeek, "2026-W47", time.Date(2026, 11, 16, 0, 0, 0, 0, shanghai), time.Date(2026, 11, 23, 0, 0, 0, 0, shanghai)},
		{PeriodMonth, "2026-11", time.Date(2026, 11, 1, 0, 0, 0, 0, shanghai), time.Date(2026, 12, 1, 0, 0, 0, 0, shanghai)},
		{PeriodAll, "all", time.Time{}, time.Time{}},
	}
	for _, tt := range tests {
		b := BoardAt(tt.period, at)
		if b.Key != tt.key || !b.From.Equal(tt.from) || !b.To.Equal(tt.to) {
			t.Errorf("BoardAt(%s) = %s [%v, %v), want %s [%v, %v)", tt.period, b.Key, b.From, b.To, tt.key, tt.from, tt.to)
		}
	}
	// A Sunday belongs to the week that started the Monday before; the ISO
	// year of the first days of January can be the year before.
	if got := BoardAt(PeriodWeek, time.Date(2026, 11, 22, 12, 0, 0, 0, shanghai)).Key; got != "2026-W47" {
		t.Errorf("Sunday week = %s, want 2026-W47", got)
	}
	if got := BoardAt(PeriodWeek, time.Date(2027, 1, 1, 12, 0, 0, 0, shanghai)).Key; got != "2026-W53" {
		t.Errorf("1 Jan 2027 week = %s, want 2026-W53", got)
	}
	// UTC 16:30 on the 21st is already the 22nd in Shanghai.
	utc := time.Date(2026, 11, 21, 16, 30, 0, 0, time.UTC)
	if got := BoardAt(PeriodDay, utc.In(shanghai)).Key; got != "2026-11-22" {
		t.Errorf("day of %v in Shanghai = %s, want 2026-11-22", utc, got)
	}
}

func TestBoardContains(t *testing.T) {
	b := BoardAt(PeriodDay, time.Date(2026, 11, 21, 8, 0, 0, 0, shanghai))
	for _, tt := range []struct {
		at   time.Time
		want bool
	}{
		{time.Date(2026, 11, 21, 0, 0, 0, 0, shanghai), true},
		{time.Date(2026, 11, 21, 23, 59, 59, 0, shanghai), true},
		{time.Date(2026, 11, 22, 0, 0, 0, 0, shanghai), false},
		{time.Date(2026, 11, 20, 23, 59, 59, 0, shanghai), false},
	} {
		if got := b.Contains(tt.at); got != tt.want {
			t.Errorf("Contains(%v) = %v, want %v", tt.at, got, tt.want)
		}
	}
	if !BoardAt(PeriodAll, time.Now()).Contains(time.Unix(0, 0)) {
		t.Error("the all-time board must contain every row")
	}
}

func TestParsePeriod(t *testing.T) {
	for in, want := range map[string]string{"": PeriodWeek, "day": PeriodDay, "今日": PeriodDay, "month": PeriodMonth, "all": PeriodAll, "总榜": PeriodAll} {
		if got, ok := ParsePeriod(in); !ok || got != want {
			t.Errorf("ParsePeriod(%q) = %q %v, want %q", in, got, ok, want)
		}
	}
	if _, ok := ParsePeriod("year"); ok {
		t.Error("ParsePeriod(year) accepted")
	}
}

func TestCountsTowardRank(t *testing.T) {
	for kind, want := range map[string]bool{
		LedgerCheckin: true, LedgerMessage: true, LedgerInvite: true, LedgerClawback: true,
		LedgerGrant: true, LedgerRedeem: false, LedgerMakeup: false,
	} {
		if got := CountsTowardRank(kind); got != want {
			t.Errorf("CountsTowardRank(%s) = %v, want %v", kind, got, want)
		}
	}
}

func TestMessageSlots(t *testing.T) {
	for _, tt := range []struct {
		m    MessageSettings
		want int
	}{{MessageSettings{Points: 1, DailyCap: 20}, 20}, {MessageSettings{Points: 2, DailyCap: 20}, 10}, {MessageSettings{Points: 0, DailyCap: 20}, 0}, {MessageSettings{Points: 3, DailyCap: 2}, 0}} {
		if got := messageSlots(tt.m); got != tt.want {
			t.Errorf("messageSlots(%+v) = %d, want %d", tt.m, got, tt.want)
		}
	}
}

func TestParseGrant(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want int
		ok   bool
	}{{"+10", 10, true}, {"-5", -5, true}, {"7", 7, true}, {"0", 0, false}, {"+x", 0, false}, {"1000001", 0, false}, {"", 0, false}} {
		got, ok := parseGrant(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("parseGrant(%q) = %d %v, want %d %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestCheckRedeem(t *testing.T) {
	item := ShopItem{Name: "咖啡券", Cost: 50, Stock: 2, Limit: 1}
	tests := []struct {
		name                string
		balance, sold, mine int
		ok                  bool
		item                ShopItem
	}{
		{"fine", 60, 0, 0, true, item},
		{"balance", 49, 0, 0, false, item},
		{"stock", 100, 2, 0, false, item},
		{"limit", 100, 1, 1, false, item},
		{"unlimited", 50, 1000, 1000, true, ShopItem{Name: "贴纸", Cost: 50, Stock: -1, Limit: -1}},
	}
	for _, tt := range tests {
		err := checkRedeem(tt.item, tt.balance, tt.sold, tt.mine)
		var ue *UserError
		if (err == nil) != tt.ok || (err != nil && !errors.As(err, &ue)) {
			t.Errorf("%s: checkRedeem = %v, want ok=%v", tt.name, err, tt.ok)
		}
	}
}

func TestWeeklyTopNext(t *testing.T) {
	tests := []struct {
		after time.Time
		next  time.Time
		week  string
	}{
		{time.Date(2026, 11, 23, 8, 59, 0, 0, shanghai), time.Date(2026, 11, 23, 9, 0, 0, 0, shanghai), "2026-W47"},
		{time.Date(2026, 11, 23, 9, 0, 0, 0, shanghai), time.Date(2026, 11, 30, 9, 0, 0, 0, shanghai), "2026-W48"},
		{time.Date(2026, 11, 26, 3, 0, 0, 0, shanghai), time.Date(2026, 11, 30, 9, 0, 0, 0, shanghai), "2026-W48"},
	}
	for _, tt := range tests {
		next, ok := weeklyTopNext(nil, tt.after)
		if !ok || !next.Equal(tt.next) {
			t.Errorf("weeklyTopNext(%v) = %v %v, want %v", tt.after, next, ok, tt.next)
		}
		if b, ok := finishedWeek(dateRun(next), shanghai); !ok || b.Key != tt.week {
			t.Errorf("finishedWeek(%q) = %q, want %q", dateRun(next), b.Key, tt.week)
		}
	}
}

func TestEngagementCommandsMatch(t *testing.T) {
	table := newCommandTable(allCommands())
	for _, tt := range []struct{ text, want, rest string }{
		{"签到", "checkin", ""}, {"/checkin", "checkin", ""}, {"补签", "makeup", ""},
		{"积分", "points", ""}, {"排行 month", "top", "month"}, {"/top all", "top", "all"},
		{"商城", "shop", ""}, {"兑换 咖啡券", "redeem", "咖啡券"}, {"兑换咖啡券", "redeem", "咖啡券"},
		{"/givepoints @张三 +10 活动", "givepoints", "@张三 +10 活动"},
	} {
		c, args, ok := table.match(tt.text)
		if !ok || c.Name != tt.want || args.Raw != tt.rest {
			t.Errorf("match(%q) = %v %q, want %q %q", tt.text, ok, args.Raw, tt.want, tt.rest)
		}
	}
}

func TestTitleLine(t *testing.T) {
	s, err := Layers{}.Compile()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := titleLine(s, 30), "新人（累计30，距「活跃成员」还差20）"; got != want {
		t.Errorf("titleLine(30) = %q, want %q", got, want)
	}
	if got, want := titleLine(s, 1200), "元老（累计1200）"; got != want {
		t.Errorf("titleLine(1200) = %q, want %q", got, want)
	}
}
