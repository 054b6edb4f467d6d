package handlers

import (
	"bytes"
	"embed"
	"html/template"
	"io/fs"
	"net/http"
	"path"

	"github.com/gin-gonic/gin"
)

// The dashboard is a static page whose script reads the admin API with the
// session cookie (dashboard_auth.go) and draws inline SVG. Everything is
// embedded: the page makes no request outside this server.
//
//go:embed dashboard
var dashboardFiles embed.FS

var loginPage = template.Must(template.ParseFS(dashboardFiles, "dashboard/login.html"))

// dashboardAssets are the files served under /dashboard/assets/, with their
// types. They hold code and style only, no data, so they need no session
// (the log-in form uses the style sheet).
var dashboardAssets = map[string]string{
	"dashboard.js":  "text/javascript; charset=utf-8",
	"dashboard.css": "text/css; charset=utf-8",
}

// pageCSP allows this origin only: no inline script, no third party.
const pageCSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
	"form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

func (s *server) dashboardRoutes(r gin.IRouter) {
	r.GET("/dashboard", refuseQueryTokens, s.requireDashboard, s.showDashboard)
	r.GET(loginPath, refuseQueryTokens, s.showLogin)
	r.POST(loginPath, refuseQueryTokens, s.login)
	r.GET("/dashboard/logout", s.logout)
	r.POST("/dashboard/logout", s.logout)
	r.GET("/dashboard/assets/:name", s.dashboardAsset)
}

func (s *server) showDashboard(c *gin.Context) {
	page, err := dashboardFiles.ReadFile("dashboard/index.html")
	if err != nil {
		s.fail(c, err)
		return
	}
	pageHeaders(c)
	c.Data(http.StatusOK, "text/html; charset=utf-8", page)
}

func (s *server) dashboardAsset(c *gin.Context) {
	name := c.Param("name")
	kind, ok := dashboardAssets[name]
	if !ok {
		c.AbortWithStatus(http.StatusNotFound)
		return
	}
	data, err := fs.ReadFile(dashboardFiles, path.Join("dashboard", name))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("X-Content-Type-Options", "nosniff")
	c.Header("Cache-Control", "no-cache")
	c.Data(http.StatusOK, kind, data)
}

// loginView is what login.html shows: the form, an error under it, or the
// notice that the dashboard is disabled.
type loginView struct {
	Disabled bool
	Error    string
}

func (s *server) renderLogin(c *gin.Context, status int, errMsg string) {
	var buf bytes.Buffer
	if err := loginPage.Execute(&buf, loginView{Disabled: s.AdminToken == "", Error: errMsg}); err != nil {
		s.fail(c, err)
		return
	}
	pageHeaders(c)
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}

func pageHeaders(c *gin.Context) {
	c.Header("Content-Security-Policy", pageCSP)
	c.Header("X-Content-Type-Options", "nosniff")
	c.Header("Referrer-Policy", "no-referrer")
	c.Header("Cache-Control", "no-store")
}
