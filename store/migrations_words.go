package store

import "gorm.io/gorm"

func init() {
	register(Migration{Version: 950, Name: "reasons_without_countdown", Up: upReasonsWithoutCountdown})
}

// upReasonsWithoutCountdown rewrites the reason of violations and pending
// removals recorded while a muted member spoke: earlier versions stored the
// mute's remaining time in it (禁言期间发言（还剩 9分钟59秒）), which read
// as a stale countdown in every later /unwarn and removal decision. The
// modlog keeps its rows as written: it is the audit trail.
func upReasonsWithoutCountdown(tx *gorm.DB) error {
	for _, table := range []string{"mod_violations", "mod_removals"} {
		err := tx.Exec("UPDATE "+table+" SET reason = ? WHERE reason LIKE ?", "禁言期间发言", "禁言期间发言（还剩%").Error
		if err != nil {
			return err
		}
	}
	return nil
}
