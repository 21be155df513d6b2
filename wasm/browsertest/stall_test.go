//go:build !js

package browsertest

import (
	"strings"
	"testing"
)

// A run at η = 1 in the browser stops learning without diverging: it
// trains to its last epoch in its worker, and status().stalled says why
// and suggests a smaller learning rate.
func TestStallWarningInStatus(t *testing.T) {
	p := openPage(t, "opt=sgd&lr=1&epochs=4&perclass=20&testper=2&batch=10&autostart=1", desktop)
	s := p.waitForRunEnd(runTimeout)
	w := s.Stalled
	if w == nil {
		t.Fatalf("no status().stalled after %d epochs at η = 1 (test accuracy %.2f)", len(s.Epochs), s.Epochs[len(s.Epochs)-1].TestAccuracy)
	}
	t.Logf("%s", w.Message)
	if s.Error != "" || w.Epoch != 4 || w.LearningRate != 1 || (w.DeadLayer == "" && w.FlatEpochs == 0) {
		t.Errorf("error %q, stalled %+v: want no error and a warning after epoch 4 at η 1 naming a dead layer or a flat loss", s.Error, w)
	}
	for _, want := range []string{"not learning", "learning rate 1 ", "such as 0.1"} {
		if !strings.Contains(w.Message, want) {
			t.Errorf("message %q lacks %q", w.Message, want)
		}
	}
	p.expectNoConsoleErrors()
}
