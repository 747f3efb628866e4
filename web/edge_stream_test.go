package web_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/gorilla/websocket"
	"pgregory.net/rapid"

	"parktwin/web"
)

// closedWith reads conn until it ends and returns its close frame's code
// and reason; the test fails when it ends without one.
func closedWith(t *testing.T, conn *websocket.Conn) (int, string) {
	t.Helper()
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	for {
		_, _, err := conn.ReadMessage()
		if err == nil {
			continue
		}
		var ce *websocket.CloseError
		if !errors.As(err, &ce) {
			t.Fatalf("the stream ended without a close frame: %v", err)
		}
		return ce.Code, ce.Text
	}
}

// A subscribe message names each layer at most once: a list longer than
// there are layers is refused (close 4400) before it is searched, and so
// is such a ?layers=.
func TestSubscribeLayerListIsBounded(t *testing.T) {
	base, _, _ := startServer(t)
	conn := dial(t, base, "?layers=alarms", nil)
	if m := next(t, conn); m.Type != "snapshot" {
		t.Fatalf("first message %s", m.Type)
	}
	b, _ := json.Marshal(map[string]any{"type": "subscribe", "layers": slices.Repeat([]string{"tanks"}, 5000)})
	if err := conn.WriteMessage(websocket.TextMessage, b); err != nil {
		t.Fatal(err)
	}
	code, text := closedWith(t, conn)
	if code != web.CloseBadClient || !strings.Contains(text, "5000 names, at most") {
		t.Errorf("5,000 layer names: closed %d %q, want %d naming the limit", code, text, web.CloseBadClient)
	}

	q := "?layers=" + strings.Repeat("tanks,", 100) + "alarms"
	url := "ws" + strings.TrimPrefix(base, "http") + "/api/v1/stream" + q
	_, res, err := wsDial(url, nil)
	if err == nil || res == nil || res.StatusCode != http.StatusUnprocessableEntity {
		status := 0
		if res != nil {
			status = res.StatusCode
		}
		t.Errorf("?layers= with 101 names: %v %d, want 422", err, status)
	}
}

// A close frame's reason fits in the frame, cut on a character: an
// unknown layer named with 150 Chinese characters (450 bytes) closes the
// stream with 4400 and a reason of at most 123 bytes of UTF-8, not with a
// dropped connection (the library sends no frame with a longer one).
func TestCloseReasonFitsTheFrame(t *testing.T) {
	base, _, _ := startServer(t)
	conn := dial(t, base, "?layers=alarms", nil)
	next(t, conn)
	b, _ := json.Marshal(map[string]any{"type": "subscribe", "layers": []string{strings.Repeat("层", 150)}})
	if err := conn.WriteMessage(websocket.TextMessage, b); err != nil {
		t.Fatal(err)
	}
	code, text := closedWith(t, conn)
	if code != web.CloseBadClient || len(text) > 123 || !utf8.ValidString(text) ||
		!strings.HasPrefix(text, `unknown layer "层层`) || !strings.HasSuffix(text, "层…") {
		t.Errorf("closed %d with %d bytes %q, want %d and at most 123 bytes, cut after a whole character", code, len(text), text, web.CloseBadClient)
	}
}

// Whatever it is given, a close reason is at most 123 bytes of UTF-8: the
// text itself when it fits, else a prefix of it cut on a character and
// marked "…".
func TestCloseText(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := rapid.OneOf(rapid.String(), rapid.StringN(0, 200, -1),
			rapid.StringOf(rapid.RuneFrom([]rune("层a€𝄞"))),
			rapid.Map(rapid.SliceOf(rapid.Byte()), func(b []byte) string { return string(b) })).Draw(t, "s")
		got := web.CloseText(s)
		if len(got) > 123 || !utf8.ValidString(got) {
			t.Fatalf("%q → %d bytes %q", s, len(got), got)
		}
		valid := strings.ToValidUTF8(s, "\uFFFD")
		if len(valid) <= 123 {
			if got != valid {
				t.Fatalf("%q fits, but became %q", s, got)
			}
			return
		}
		cut, ok := strings.CutSuffix(got, "…")
		if !ok || !strings.HasPrefix(valid, cut) || len(got) < 123-3 {
			t.Fatalf("%q (%d bytes) → %q, want a prefix of 120 to 123 bytes and …", s, len(valid), got)
		}
	})
}
