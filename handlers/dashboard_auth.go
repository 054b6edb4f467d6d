package handlers

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

// The dashboard signs in with the admin token once and then carries a cookie.
// The cookie holds an HMAC keyed by the token, never the token itself: it
// proves the browser knew the token, and it stops working the moment the
// token changes, so an old cookie cannot be replayed.
const (
	sessionCookie = "qunbot_dashboard"
	sessionLabel  = "qunbot dashboard session v1"
	sessionMaxAge = 7 * 24 * 60 * 60 // seconds
	loginPath     = "/dashboard/login"
)

// sessionValue is the cookie value for token.
func sessionValue(token string) string {
	m := hmac.New(sha256.New, []byte(token))
	m.Write([]byte(sessionLabel))
	return hex.EncodeToString(m.Sum(nil))
}

// adminAuthorized reports whether the request carries the admin token, as a
// bearer header or as the dashboard cookie. Both compare in constant time.
func (s *server) adminAuthorized(c *gin.Context) bool {
	if s.AdminToken == "" {
		return false
	}
	if token, ok := strings.CutPrefix(c.GetHeader("Authorization"), "Bearer "); ok {
		return sameToken(strings.TrimSpace(token), s.AdminToken)
	}
	cookie, err := c.Cookie(sessionCookie)
	if err != nil || cookie == "" {
		return false
	}
	return hmac.Equal([]byte(cookie), []byte(sessionValue(s.AdminToken)))
}

// wantsHTML tells a browser (which asks for text/html) from an API client,
// which gets a 401 instead of a redirect to the log-in form.
func wantsHTML(c *gin.Context) bool {
	return strings.Contains(c.GetHeader("Accept"), "text/html")
}

// requireDashboard guards the dashboard page: browsers without a session go
// to the log-in form, API clients get 401.
func (s *server) requireDashboard(c *gin.Context) {
	switch {
	case s.adminAuthorized(c):
		c.Next()
	case !wantsHTML(c):
		c.Header("WWW-Authenticate", `Bearer realm="qunbot"`)
		msg := "missing or wrong bearer token"
		if s.AdminToken == "" {
			msg = "dashboard disabled: set QUNBOT_ADMIN_TOKEN"
		}
		abortJSON(c, http.StatusUnauthorized, msg)
	case s.AdminToken == "":
		s.renderLogin(c, http.StatusUnauthorized, "")
		c.Abort()
	default:
		c.Redirect(http.StatusSeeOther, loginPath)
		c.Abort()
	}
}

// showLogin answers the log-in form, or the "disabled" notice.
func (s *server) showLogin(c *gin.Context) {
	status := http.StatusOK
	if s.AdminToken == "" {
		status = http.StatusUnauthorized
	}
	s.renderLogin(c, status, "")
}

// login checks the posted token and, when it is right, sets the session
// cookie and sends the browser to the dashboard. Wrong tokens are throttled
// per client address (login_throttle.go).
func (s *server) login(c *gin.Context) {
	if s.AdminToken == "" {
		s.renderLogin(c, http.StatusUnauthorized, "")
		return
	}
	addr := c.RemoteIP()
	if wait := s.logins.wait(addr); wait > 0 {
		s.tooManyLogins(c, wait)
		return
	}
	if !sameToken(strings.TrimSpace(c.PostForm("token")), s.AdminToken) {
		if wait := s.logins.failed(addr); wait > 0 {
			s.Log.WarnContext(c.Request.Context(), "dashboard log-in throttled", "client", addr, "wait", wait.String())
			s.tooManyLogins(c, wait)
			return
		}
		s.renderLogin(c, http.StatusUnauthorized, "令牌不正确，请重试。")
		return
	}
	s.logins.succeeded(addr)
	s.setSession(c, sessionValue(s.AdminToken), sessionMaxAge)
	c.Redirect(http.StatusSeeOther, "/dashboard")
}

// tooManyLogins refuses an attempt while its address must wait, saying how long.
func (s *server) tooManyLogins(c *gin.Context, wait time.Duration) {
	secs := int((wait + time.Second - 1) / time.Second)
	c.Header("Retry-After", strconv.Itoa(secs))
	s.renderLogin(c, http.StatusTooManyRequests, fmt.Sprintf("令牌错误次数过多，请%d秒后再试。", secs))
}

// logout clears the cookie and goes back to the log-in form.
func (s *server) logout(c *gin.Context) {
	s.setSession(c, "", -1)
	c.Redirect(http.StatusSeeOther, loginPath)
}

// setSession writes the cookie for the whole site (the page's scripts read
// /api/v1 with it). SameSite=Strict keeps it off every cross-site request.
func (s *server) setSession(c *gin.Context, value string, maxAge int) {
	secure := c.Request.TLS != nil || strings.EqualFold(c.GetHeader("X-Forwarded-Proto"), "https")
	http.SetCookie(c.Writer, &http.Cookie{
		Name: sessionCookie, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: secure, SameSite: http.SameSiteStrictMode,
	})
}
