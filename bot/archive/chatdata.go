package archive

import (
	"encoding/json"
	"fmt"
)

// chatData is GetChatData's answer: errcode, errmsg and the records.
type chatData struct {
	ErrCode  int      `json:"errcode"`
	ErrMsg   string   `json:"errmsg"`
	ChatData []Record `json:"chatdata"`
}

// decodeChatData reads GetChatData's JSON; a non-zero errcode is an error.
func decodeChatData(b []byte) ([]Record, error) {
	var d chatData
	if err := json.Unmarshal(b, &d); err != nil {
		return nil, fmt.Errorf("archive: GetChatData answer: %w", err)
	}
	if d.ErrCode != 0 {
		return nil, fmt.Errorf("archive: GetChatData: errcode %d %s", d.ErrCode, d.ErrMsg)
	}
	return d.ChatData, nil
}
