package longconn

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"time"
)

// Commands of the long connection (LONGCONN.md §2). Requests go client →
// server and are acknowledged by a frame with no cmd and the same req_id;
// callbacks go server → client.
const (
	cmdSubscribe      = "aibot_subscribe"
	cmdPing           = "ping"
	cmdRespondMsg     = "aibot_respond_msg"
	cmdRespondWelcome = "aibot_respond_welcome_msg"
	cmdRespondUpdate  = "aibot_respond_update_msg"
	cmdSendMsg        = "aibot_send_msg"
	cmdMsgCallback    = "aibot_msg_callback"
	cmdEventCallback  = "aibot_event_callback"
)

// codeInvalidReqID answers a req_id from before a reconnect (LONGCONN.md §3).
const codeInvalidReqID = 846605

type headers struct {
	ReqID string `json:"req_id"`
}

// request is a frame qunbot sends.
type request struct {
	Cmd     string  `json:"cmd"`
	Headers headers `json:"headers"`
	Body    any     `json:"body,omitempty"`
}

// frame is a frame qunbot receives: a callback (Cmd set) or the ack of one of
// its requests (Cmd empty, ErrCode and ErrMsg set).
type frame struct {
	Cmd     string          `json:"cmd"`
	Headers headers         `json:"headers"`
	Body    json.RawMessage `json:"body"`
	ErrCode int             `json:"errcode"`
	ErrMsg  string          `json:"errmsg"`
}

type subscribeBody struct {
	BotID  string `json:"bot_id"`
	Secret string `json:"secret"`
}

type streamBody struct {
	MsgType string `json:"msgtype"`
	Stream  struct {
		ID      string `json:"id"`
		Finish  bool   `json:"finish"`
		Content string `json:"content"`
	} `json:"stream"`
}

type textBody struct {
	MsgType string `json:"msgtype"`
	Text    struct {
		Content string `json:"content"`
	} `json:"text"`
}

// updateBody replaces a clicked card, for everyone, by a text_notice card
// that says what the click did.
type updateBody struct {
	ResponseType string `json:"response_type"`
	TemplateCard struct {
		CardType  string `json:"card_type"`
		MainTitle struct {
			Title string `json:"title"`
		} `json:"main_title"`
		TaskID string `json:"task_id,omitempty"`
	} `json:"template_card"`
}

type sendBody struct {
	ChatID   string `json:"chatid"`
	ChatType int    `json:"chat_type"` // 1 single, 2 group; always set (0 would resolve group first)
	MsgType  string `json:"msgtype"`
	Markdown struct {
		Content string `json:"content"`
	} `json:"markdown"`
}

// eventType is body.event.eventtype of an event callback.
func eventType(body json.RawMessage) string {
	var b struct {
		Event struct {
			EventType string `json:"eventtype"`
		} `json:"event"`
	}
	_ = json.Unmarshal(body, &b)
	return b.Event.EventType
}

// newReqID follows the official SDK's convention, <cmd>_<ms>_<8 hex>.
func newReqID(cmd string, now time.Time) string {
	b := make([]byte, 4)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return cmd + "_" + strconv.FormatInt(now.UnixMilli(), 10) + "_" + hex.EncodeToString(b)
}
