package repaint_test

import (
	"image"
	"testing"

	"convlab/ui"
	"convlab/ui/layout"
	"convlab/ui/runner"
	"convlab/ui/screen/repaint"
	"convlab/ui/settings"
)

// measurer measures text as 0.6 of the size a character.
type measurer struct{}

func (measurer) TextWidth(s string, size float64) float64 { return 0.6 * size * float64(len(s)) }

// TestDashboardAtRestPaintsNothing draws the real dashboard on a
// Recorder: the first frame is painted whole, frames of a dashboard at
// rest paint nothing, and a step of training repaints the areas of the
// panels it changes, the header's among them, but not the whole screen;
// with the step explained the dashboard rests again.
func TestDashboardAtRestPaintsNothing(t *testing.T) {
	lib, err := runner.LoadLibrary()
	if err != nil {
		t.Fatal(err)
	}
	app, err := ui.New(lib, func() runner.Backend { return runner.NewLocal(lib) }, []settings.Settings{settings.Defaults()}, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	screen := image.Rect(0, 0, int(layout.DesignWidth), int(layout.DesignHeight))
	r := repaint.NewRecorder(measurer{})
	frame := func(in ui.Input) repaint.Plan {
		app.Update(in)
		r.Begin()
		app.Draw(r)
		return r.Finish(screen, 1)
	}
	if p := frame(ui.Input{}); !p.Full {
		t.Fatalf("first frame: plan %+v, want full", p)
	}
	for i := range 10 {
		if p := frame(ui.Input{}); !p.Nothing() {
			t.Fatalf("frame %d at rest: plan %+v, want nothing", i+2, p)
		}
	}

	p := frame(ui.Input{Keys: []ui.Key{ui.KeyS}}) // one step of training
	if p.Full || len(p.Areas) == 0 {
		t.Fatalf("after a step: plan %+v, want some areas", p)
	}
	header := layout.Compute(layout.DesignWidth, layout.DesignHeight).Header
	inHeader := image.Pt(int(header.X+header.W/2), int(header.Y+header.H/2))
	covered := 0
	for _, a := range p.Areas {
		covered += a.Dx() * a.Dy()
		if inHeader.In(a) {
			inHeader = image.Pt(-1, -1)
		}
	}
	if inHeader.X >= 0 {
		t.Errorf("after a step the header (its status line) is not repainted: areas %v", p.Areas)
	}
	if covered >= screen.Dx()*screen.Dy() {
		t.Errorf("after a step the areas %v cover the whole screen", p.Areas)
	}
	t.Logf("a step repaints %d areas, %.0f%% of the screen", len(p.Areas), 100*float64(covered)/float64(screen.Dx()*screen.Dy()))

	// Paused after the step, which the curves panel explains, the
	// dashboard is at rest again.
	for i := 0; i < 50 && ui.NewHandle(app).Status().Layout["step"].W == 0; i++ {
		frame(ui.Input{})
	}
	if ui.NewHandle(app).Status().Layout["step"].W == 0 {
		t.Fatal("the step is not explained in the curves panel after 50 frames")
	}
	frame(ui.Input{})
	for i := range 10 {
		if p := frame(ui.Input{}); !p.Nothing() {
			t.Fatalf("frame %d at rest after the step explained: plan %+v, want nothing", i+1, p)
		}
	}
}

// BenchmarkDashboardAtRest measures a frame of the dashboard at rest:
// its Update, its drawing on the Recorder and the plan, which paints
// nothing. Recorded in the README at commit bbec2d5 (2-core shared
// machine): about 1.1 ms a frame, Update and Draw together, under
// WebAssembly in Node.js: make kernels && GOOS=js GOARCH=wasm go test
// -exec="$PWD/nn/simd/node_exec" -run '^$' -bench DashboardAtRest
// ./ui/screen/repaint/
func BenchmarkDashboardAtRest(b *testing.B) {
	lib, err := runner.LoadLibrary()
	if err != nil {
		b.Fatal(err)
	}
	app, err := ui.New(lib, func() runner.Backend { return runner.NewLocal(lib) }, []settings.Settings{settings.Defaults()}, 1, nil)
	if err != nil {
		b.Fatal(err)
	}
	screen := image.Rect(0, 0, int(layout.DesignWidth), int(layout.DesignHeight))
	r := repaint.NewRecorder(measurer{})
	b.Run("update", func(b *testing.B) {
		for b.Loop() {
			app.Update(ui.Input{})
		}
	})
	b.Run("draw", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			r.Begin()
			app.Draw(r)
			if p := r.Finish(screen, 1); !p.Nothing() && !p.Full {
				b.Fatalf("plan %+v at rest", p)
			}
		}
	})
}
