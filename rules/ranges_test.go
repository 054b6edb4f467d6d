package rules

import "testing"

// TestSettingRanges: every numeric setting takes its documented bounds and
// refuses one step past them (README.md lists the same table).
func TestSettingRanges(t *testing.T) {
	tests := []struct{ key, lo, hi, below, above string }{
		{"checkin.points", "0", "10000", "-1", "10001"},
		{"checkin.streak_bonus", "0", "10000", "-1", "10001"},
		{"checkin.streak_bonus_max", "0", "100000", "-1", "100001"},
		{"checkin.makeup_cost", "0", "100000", "-1", "100001"},
		{"message.points", "0", "1000", "-1", "1001"},
		{"message.cooldown", "0", "1d", "-1s", "1d1s"},
		{"message.daily_cap", "0", "10000", "-1", "10001"},
		{"invite.points", "0", "10000", "-1", "10001"},
		{"invite.clawback_within", "0", "365d", "-1s", "365d1s"},
		{"violation.expire", "0", "3650d", "-1s", "3650d1s"},
		{"violation.flood", "0/0", "1000/1d", "-1/10s", "1001/10s"},
		{"violation.repeat", "0/0", "1000/1d", "1/-1s", "3/1d1s"},
		{"probation", "0", "365d", "-1s", "365d1s"},
		{"welcome.quiz.timeout", "1m", "7d", "59s", "7d1s"},
		{"reply.cooldown", "0", "1d", "-1s", "1d1s"},
		{"levels", "0 新人", "0 新人, 1000000000 神", "-1 新人", "0 新人, 1000000001 神"},
		{"violation.ladder", "1 mute 1m", "100 mute 365d", "0 warn", "101 warn"},
		{"violation.ladder", "1 mute 1m", "1 mute 365d", "1 mute 59s", "1 mute 365d1s"},
		{"shop", "贴纸:0", "贴纸:1000000:1000000:1000000", "贴纸:-1", "贴纸:1000001"},
		{"shop", "贴纸:1:0:0", "贴纸:1:*:*", "贴纸:1:-1", "贴纸:1:1000001"},
	}
	for _, tt := range tests {
		for _, v := range []string{tt.lo, tt.hi} {
			if err := CheckSetting(tt.key, v); err != nil {
				t.Errorf("%s %q refused: %v", tt.key, v, err)
			}
		}
		for _, v := range []string{tt.below, tt.above} {
			if err := CheckSetting(tt.key, v); err == nil {
				t.Errorf("%s %q accepted, want it refused", tt.key, v)
			}
		}
	}
}

// TestPointsCannotPassTheCap: a credit that would take a member past
// MaxPoints is refused, so no sum of points can overflow.
func TestPointsCannotPassTheCap(t *testing.T) {
	env := newModEnv(t, nil)
	env.say("amy", "早")
	env.f.earned = MaxPoints - 5
	wantContains(t, "/givepoints past the cap", env.say("owner1", "/givepoints amy +6"), "上限")
	wantContains(t, "/givepoints up to the cap", env.say("owner1", "/givepoints amy +5"), "+5")
}
