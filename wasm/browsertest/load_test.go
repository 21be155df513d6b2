//go:build !js

package browsertest

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"convlab/ui/api"
)

// runningFrames is how many frames a page runs to show it keeps running:
// a second at 60 frames a second.
const runningFrames = 60

// TestPageLoads checks that the page starts, offers the whole
// window.convlab handle, and runs for a few seconds without console errors,
// on the browser's first visit to the site too.
func TestPageLoads(t *testing.T) {
	if errs := needEnv(t).firstVisit; len(errs) > 0 {
		t.Errorf("the first visit of a fresh browser logged %d console error(s):\n  %s", len(errs), strings.Join(errs, "\n  "))
	}
	p := openPage(t, "", desktop)
	t.Logf("navigation to ready: %.2f s", p.readyAfter.Seconds())

	names, err := json.Marshal(api.Calls())
	if err != nil {
		t.Fatal(err)
	}
	missing := evaluate[[]string](p, string(names)+`.filter(name => typeof window.convlab[name] !== "function")`)
	if len(missing) > 0 {
		t.Errorf("window.convlab lacks the functions %v", missing)
	}
	// package api spells the rectangle's keys in lower case; Go's JSON
	// decoder would not notice other spellings, so look in the page.
	if ok := evaluate[bool](p, `(r => r !== undefined && ["x", "y", "w", "h"].every(k => typeof r[k] === "number"))(window.convlab.status().layout.pad)`); !ok {
		layout := evaluate[string](p, `String(JSON.stringify(window.convlab.status().layout.pad))`)
		t.Errorf("status().layout.pad = %s, want an object with the numbers x, y, w, h", layout)
	}
	s := p.status()
	if s.State != "idle" || s.Error != "" {
		t.Errorf("fresh page: state %q, error %q; want idle and no error", s.State, s.Error)
	}
	if len(s.Messages) > 0 {
		t.Errorf("no URL parameters given, yet status().messages = %q", s.Messages)
	}
	p.waitFrames(runningFrames) // the page keeps running without errors
	p.expectNoConsoleErrors()
}

// TestInvalidParameters checks that bad URL values are reported with their
// accepted range and replaced by the defaults, and that the page still works.
func TestInvalidParameters(t *testing.T) {
	p := openPage(t, "lr=abc&batch=0", desktop)
	s := p.status()
	t.Logf("messages: %q", s.Messages)

	trainSize := 10 * s.Config.TrainPerClass
	checks := []struct {
		param  string
		bounds []string // numbers the message must name: the accepted range
	}{
		{"lr", []string{"0", "1"}},
		{"batch", []string{"1", fmt.Sprint(trainSize)}},
	}
	for _, c := range checks {
		msg, ok := messageAbout(s.Messages, c.param)
		if !ok {
			t.Errorf("no message names the parameter %q", c.param)
			continue
		}
		for _, b := range c.bounds {
			if !strings.Contains(msg, b) {
				t.Errorf("message %q about %q does not give the accepted range (missing %s)", msg, c.param, b)
			}
		}
	}
	if s.Config.LearningRate != 0.001 || s.Config.BatchSize != 10 {
		t.Errorf("config learningRate %v, batchSize %d; want the defaults 0.001 and 10", s.Config.LearningRate, s.Config.BatchSize)
	}
	if s.State != "idle" || s.Error != "" {
		t.Errorf("state %q, error %q; want idle and no error", s.State, s.Error)
	}

	// The page still trains, with the default batch size.
	if r := evaluate[map[string]any](p, `window.convlab.step()`); r["ok"] != true {
		t.Fatalf("step() = %v, want {ok: true}", r)
	}
	p.waitFor(`window.convlab.status().imagesTrained > 0`, evalTimeout)
	if s := p.status(); s.ImagesTrained != 10 || s.Error != "" {
		t.Errorf("after step(): imagesTrained %d, error %q; want one default batch of 10 and no error", s.ImagesTrained, s.Error)
	}
	p.waitFrames(2)
	p.expectNoConsoleErrors()
}

// messageAbout returns the first message naming the URL parameter param as
// a word of its own.
func messageAbout(messages []string, param string) (string, bool) {
	for _, m := range messages {
		words := strings.FieldsFunc(m, func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
		})
		for _, w := range words {
			if w == param {
				return m, true
			}
		}
	}
	return "", false
}
