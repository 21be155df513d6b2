package session

import (
	"encoding/json"
	"strings"
	"testing"

	"convlab/ui/runner"
)

// A run at η = 1 stops learning without diverging: the session reports
// why, after the epoch that showed it and in status(), and the run trains
// on to its last epoch.
func TestSessionReportsAStallAtLearningRateOne(t *testing.T) {
	sess := newTestSession(t, "opt=sgd&lr=1&epochs=4&perclass=20&testper=2&batch=10")
	if sess.Stalled() != nil {
		t.Fatal("a new session reports a stall")
	}
	runToEnd(t, sess)
	if sess.State() != runner.Finished || len(sess.History()) != 4 || sess.Err() != nil {
		t.Fatalf("state %v after %d epochs, error %v: a stall must not stop the run", sess.State(), len(sess.History()), sess.Err())
	}
	w := sess.Stalled()
	if w == nil {
		t.Fatalf("no stall reported at η = 1 (training accuracy %.2f)", sess.History()[3].Train.Accuracy)
	}
	if w.Epoch != 4 || w.LearningRate != 1 {
		t.Errorf("warning for epoch %d at η %g, want the last epoch (4) at η 1", w.Epoch, w.LearningRate)
	}
	st := sess.Status()
	if st.Stalled == nil || st.Stalled.Message != w.String() || st.Stalled.Epoch != 4 ||
		st.Stalled.DeadLayer != w.DeadLayer || st.Stalled.LearningRate != 1 {
		t.Fatalf("status().stalled = %+v, want the session's warning %+v", st.Stalled, w)
	}
	if !strings.Contains(st.Stalled.Message, "learning rate 1 ") || !strings.Contains(st.Stalled.Message, "such as 0.1") {
		t.Errorf("message %q does not name the learning rate and a smaller one", st.Stalled.Message)
	}
	js, err := json.Marshal(st)
	if err != nil || !strings.Contains(string(js), `"stalled":{"message":"not learning`) {
		t.Errorf("status JSON (error %v) lacks the warning: %.300s", err, js)
	}
	t.Logf("%s", st.Stalled.Message)

	if err := sess.Reset(sess.Settings()); err != nil || sess.Stalled() != nil {
		t.Errorf("after Reset (error %v) the new run still reports %v", err, sess.Stalled())
	}
}

// A learning run (the homework's Momentum, η = 0.001) reports no stall
// after any epoch, and status().stalled is null.
func TestLearningSessionReportsNoStall(t *testing.T) {
	sess := newTestSession(t, "opt=momentum&lr=0.001&epochs=5&perclass=20&testper=2&batch=10")
	sess.Start()
	epochs := 0
	for ticks := 0; sess.State() == runner.Running; ticks++ {
		if ticks == 100000 {
			t.Fatal("the run did not end")
		}
		sess.Tick(0)
		if n := len(sess.History()); n > epochs {
			epochs = n
			if w := sess.Stalled(); w != nil {
				t.Errorf("epoch %d: %s", n, w)
			}
		}
	}
	if sess.State() != runner.Finished || epochs != 5 {
		t.Fatalf("state %v after %d epochs", sess.State(), epochs)
	}
	js, err := json.Marshal(sess.Status())
	if err != nil || !strings.Contains(string(js), `"stalled":null`) {
		t.Errorf("status JSON (error %v) does not say stalled: null: %.300s", err, js)
	}
}
