package handlers

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
)

// verifyURL answers WeCom's URL verification (GET): check the signature over
// echostr, decrypt it and answer the bare plaintext, with no newline.
func (s *server) verifyURL(c *gin.Context, ch *channel) answer {
	q := readQuery(c)
	// echostr is base64; a '+' that reached us unencoded was turned into a space.
	echo := []byte(strings.ReplaceAll(c.Query("echostr"), " ", "+"))
	if a, ok := s.authenticate(ch, q, echo); !ok {
		return a
	}
	if len(echo) == 0 {
		return reject(http.StatusBadRequest, outcomeMalformed)
	}
	plain, a, ok := s.decrypt(ch, echo)
	if !ok {
		return a
	}
	return answer{status: http.StatusOK, outcome: outcomeOK, body: plain, contentType: "text/plain; charset=utf-8"}
}
