package ui

import (
	"strings"
	"testing"

	"convlab/ui/runner"
)

// A run at η = 1 stops learning: the banner says why, in lines that fit
// it, status().stalled has it, and Esc hides it while training goes on.
func TestBannerExplainsAStallUntilEsc(t *testing.T) {
	a := newTestApp(t, "opt=sgd&lr=1&epochs=4&perclass=20&testper=2&batch=10")
	h := NewHandle(a)
	a.apply(do(startRun))
	runUntil(t, h, 20000, "a stall warning", func() bool { return a.sess().Stalled() != nil })
	h.Update(Input{})
	msg := a.sess().Stalled().String()
	if st := h.Status().Stalled; st == nil || st.Message != msg {
		t.Fatalf("status().stalled = %+v, want the message %q", st, msg)
	}
	if m := a.messages(); len(m) != 1 || m[0] != msg {
		t.Fatalf("banner messages %q, want the stall warning alone", m)
	}
	rec := &recorder{}
	a.Draw(rec)
	width := bannerRect(a.bannerArea(), 0).W - 20
	var shown []string
	for _, s := range rec.texts {
		if strings.Contains(msg, s) && len(s) > 20 {
			shown = append(shown, s)
			if w := rec.TextWidth(s, bannerText); w > width {
				t.Errorf("banner line %q is %.0f wide, the banner %.0f", s, w, width)
			}
		}
	}
	if got := strings.Join(shown, " "); got != msg {
		t.Errorf("the banner shows %q, want the warning %q", got, msg)
	}

	h.Update(Input{Keys: []Key{KeyEscape}})
	if m := a.messages(); len(m) != 0 {
		t.Errorf("after Esc the banner shows %q", m)
	}
	if h.Status().Stalled == nil {
		t.Error("Esc cleared status().stalled; it only hides the banner")
	}
	runUntil(t, h, 20000, "the run's end", func() bool { return a.sess().State() != runner.Running })
	if a.sess().State() != runner.Finished || len(a.sess().History()) != 4 {
		t.Errorf("the run ended %v after %d epochs, want finished after 4: a stall does not stop it", a.sess().State(), len(a.sess().History()))
	}
	if m := a.messages(); len(m) != 0 {
		t.Errorf("a warning dismissed with Esc came back: %q", m)
	}
}
