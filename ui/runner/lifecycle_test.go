package runner

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"convlab/nn"
)

// Every command in every state: where it leads, and whether it moved the
// run.
func TestLifecycleTransitions(t *testing.T) {
	idle := Lifecycle{}
	running := Lifecycle{state: Running}
	paused := Lifecycle{state: Paused}
	stepping := Lifecycle{state: Paused, stepping: true}
	finished := Lifecycle{state: Finished}
	failed := Lifecycle{state: Failed}
	tests := []struct {
		from  Lifecycle
		c     Command
		to    Lifecycle
		moved bool
	}{
		{idle, Start{}, running, true}, {idle, Pause{}, idle, false}, {idle, Step{}, stepping, true},
		{running, Start{}, running, false}, {running, Pause{}, paused, true}, {running, Step{}, running, false},
		{paused, Start{}, running, true}, {paused, Pause{}, paused, false}, {paused, Step{}, stepping, true},
		// A Step during a step is sent on: the run may have finished the
		// first before it arrives, and then trains another.
		{stepping, Start{}, running, true}, {stepping, Pause{}, stepping, false}, {stepping, Step{}, stepping, true},
		{finished, Start{}, finished, false}, {finished, Pause{}, finished, false}, {finished, Step{}, finished, false},
		{failed, Start{}, failed, false}, {failed, Pause{}, failed, false}, {failed, Step{}, failed, false},
		// Configure and Cancel replace the Lifecycle; Apply ignores them.
		{running, Cancel{}, running, false}, {running, Configure{}, running, false},
	}
	for _, tc := range tests {
		name := fmt.Sprintf("%T from %v (stepping %v)", tc.c, tc.from.state, tc.from.stepping)
		allowed := tc.from.Allows(tc.c)
		l := tc.from
		moved := l.Apply(tc.c)
		if l != tc.to || moved != tc.moved || allowed != moved {
			t.Errorf("%s: now %+v, moved %v, allowed %v; want %+v, moved %v", name, l, moved, allowed, tc.to, tc.moved)
		}
	}
	l := stepping
	if !l.StepDone() || l != paused || l.StepDone() {
		t.Errorf("StepDone: %+v", l)
	}
	for _, from := range []Lifecycle{idle, running, stepping} {
		done, broken := from, from
		done.Finish()
		broken.Fail()
		if done != finished || broken != failed || !done.Ended() || !broken.Ended() || done.Busy() || broken.Busy() {
			t.Errorf("from %+v: Finish gives %+v, Fail %+v", from, done, broken)
		}
	}
	if !running.Busy() || !stepping.Busy() || idle.Busy() || paused.Busy() {
		t.Error("Busy is not running or stepping")
	}
}

// A Lifecycle that applies the commands it sends and follows an engine's
// events ends where the engine's ends, whatever the commands and however
// late the events arrive: the session's view of a run agrees with the
// run's.
func TestFollowerAgreesWithTheEngine(t *testing.T) {
	lib := testLibrary(t)
	rng := rand.New(rand.NewPCG(1, 2))
	commands := []Command{Start{}, Pause{}, Step{}}
	ends := map[State]int{}
	for trial := range 30 {
		e := NewEngine(lib)
		// 300 images in mini-batches of 25: 36 units, so some trials end
		// before the run does.
		e.Handle(Configure{Run: 1, Settings: short(nn.OptimizerSGD, 25, 1, 30)})
		var follower Lifecycle
		var inFlight []Event
		deliver := func() {
			for _, ev := range inFlight {
				if s, ok := ev.(StateChanged); ok {
					follower.Follow(s)
				}
			}
			inFlight = e.TakeEvents()
		}
		var sent []string
		for range 12 {
			c := commands[rng.IntN(len(commands))]
			sent = append(sent, fmt.Sprintf("%T", c))
			if follower.Apply(c) {
				e.Handle(c)
			}
			for range rng.IntN(4) {
				e.Work(0)
			}
			if rng.IntN(2) == 0 {
				deliver()
			}
		}
		for units := 0; e.Busy(); units++ { // a step, or the run, to its end
			if units == unitsForever {
				t.Fatal("the engine is still busy")
			}
			e.Work(0)
		}
		deliver()
		deliver()
		ends[e.life.State()]++
		if follower != e.life {
			t.Fatalf("trial %d, commands %v: the follower shows %+v, the engine %+v", trial, sent, follower, e.life)
		}
	}
	t.Logf("the trials ended %v", ends)
	if ends[Paused] == 0 || ends[Finished] == 0 {
		t.Errorf("the trials ended %v: want some paused, some finished", ends)
	}
}
