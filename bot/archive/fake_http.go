package archive

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// The fake archive over HTTP, so a separate qunbot process (the end-to-end
// and crash tests drive the real binary) can pull from it:
// QUNBOT_ARCHIVE_FAKE_URL points the process at it instead of the SDK.

// Handler serves f: GET /getchatdata?seq=&limit= answers GetChatData's
// JSON; POST /decryptdata {"key","msg"} answers the plaintext.
func (f *Fake) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /getchatdata", func(w http.ResponseWriter, r *http.Request) {
		seq, _ := strconv.ParseInt(r.URL.Query().Get("seq"), 10, 64)
		limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
		recs, err := f.GetChatData(r.Context(), seq, limit)
		d := chatData{ChatData: recs, ErrMsg: "ok"}
		if err != nil {
			d = chatData{ErrCode: 10000, ErrMsg: err.Error()}
		}
		_ = json.NewEncoder(w).Encode(d)
	})
	mux.HandleFunc("POST /decryptdata", func(w http.ResponseWriter, r *http.Request) {
		var in struct{ Key, Msg string }
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		plain, err := f.DecryptData(in.Key, in.Msg)
		if err != nil {
			http.Error(w, err.Error(), http.StatusUnprocessableEntity)
			return
		}
		_, _ = w.Write(plain)
	})
	return mux
}

// HTTPSource pulls from a Fake served by Handler.
type HTTPSource struct {
	Base   string
	Client *http.Client
}

// NewHTTPSource returns a Source reading the fake archive at base.
func NewHTTPSource(base string) *HTTPSource {
	return &HTTPSource{Base: base, Client: &http.Client{Timeout: 10 * time.Second}}
}

func (h *HTTPSource) GetChatData(ctx context.Context, seq int64, limit int) ([]Record, error) {
	u := h.Base + "/getchatdata?" + url.Values{"seq": {strconv.FormatInt(seq, 10)}, "limit": {strconv.Itoa(limit)}}.Encode()
	body, err := h.do(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	return decodeChatData(body)
}

func (h *HTTPSource) DecryptData(randomKey, encryptChatMsg string) ([]byte, error) {
	in, _ := json.Marshal(map[string]string{"key": randomKey, "msg": encryptChatMsg})
	return h.do(context.Background(), http.MethodPost, h.Base+"/decryptdata", in)
}

func (h *HTTPSource) do(ctx context.Context, method, u string, in []byte) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, u, bytes.NewReader(in))
	if err != nil {
		return nil, err
	}
	resp, err := h.Client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("archive: fake archive: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("archive: fake archive: %s: %s", resp.Status, bytes.TrimSpace(body))
	}
	return body, err
}
