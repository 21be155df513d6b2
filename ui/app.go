package ui

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"convlab/ui/layout"
	"convlab/ui/session"
	"convlab/ui/settings"
)

// trainBudget is how long each Update may train. At 60 updates a second it
// leaves most of every frame for drawing and input.
const trainBudget = 8 * time.Millisecond

// App is the dashboard: an ebiten.Game around a training session.
type App struct {
	sess         *session.Session
	messages     []string // problems with the URL's settings, shown until dismissed
	errDismissed bool     // the training error has been dismissed with Esc

	fonts  *fonts
	white  *ebiten.Image
	scale  float64 // device pixels per logical unit
	layout layout.Dashboard
	input  pointerInput

	controls *controls
	pad      *pad
	insight  *insight
}

// New builds the dashboard around a session with the given settings;
// problems are shown as messages (the session already uses defaults for
// them).
func New(lib *session.Library, backend session.Backend, settings settings.Settings, problems []settings.Problem) (*App, error) {
	sess, err := session.New(lib, backend, settings)
	if err != nil {
		return nil, err
	}
	f, err := loadFonts()
	if err != nil {
		return nil, err
	}
	a := &App{sess: sess, fonts: f, white: newWhite(), scale: 1, layout: layout.Compute(layout.DesignWidth, layout.DesignHeight)}
	for _, p := range problems {
		a.notify("URL parameter " + p.Error())
	}
	if a.pad, err = newPad(); err != nil {
		return nil, err
	}
	a.controls = newControls(settings)
	a.insight = newInsight()
	return a, nil
}

// Session returns the training session the dashboard shows.
func (a *App) Session() *session.Session { return a.sess }

// Update handles input and trains for a few milliseconds.
func (a *App) Update() error {
	a.input.read(a.scale)
	a.handleKeys()
	a.controls.update(a, &a.input, a.layout.Controls)
	a.pad.update(a, &a.input, a.layout.Pad)
	a.insight.update(a, &a.input)
	a.sess.Tick(trainBudget)
	return nil
}

// Draw paints the whole dashboard.
func (a *App) Draw(screen *ebiten.Image) {
	screen.Fill(colBackground)
	c := &canvas{dst: screen, scale: a.scale, fonts: a.fonts, white: a.white}
	a.drawHeader(c, a.layout)
	a.controls.draw(c, a, a.layout.Controls)
	a.pad.draw(c, a, a.layout.Pad)
	a.drawCurves(c, a.layout.Curves)
	a.insight.draw(c, a, a.layout)
	a.drawMessages(c)
}

// Layout is ebiten's integer form of LayoutF, which ebiten prefers.
func (a *App) Layout(outsideWidth, outsideHeight int) (int, int) {
	w, h := a.LayoutF(float64(outsideWidth), float64(outsideHeight))
	return int(w), int(h)
}

// LayoutF sizes the screen in device pixels, so drawing is crisp on HiDPI
// screens, and lays out the panels.
func (a *App) LayoutF(outsideWidth, outsideHeight float64) (float64, float64) {
	dpr := ebiten.Monitor().DeviceScaleFactor()
	w, h := outsideWidth*dpr, outsideHeight*dpr
	a.scale = layout.Scale(w, h)
	a.layout = layout.Compute(w/a.scale, h/a.scale)
	return w, h
}

// CSSScale converts logical units to CSS pixels of the page.
func (a *App) CSSScale() float64 { return a.scale / ebiten.Monitor().DeviceScaleFactor() }

// FPS is the measured frame rate.
func (a *App) FPS() float64 { return ebiten.ActualFPS() }

// TPS is the measured update rate.
func (a *App) TPS() float64 { return ebiten.ActualTPS() }

func (a *App) handleKeys() {
	switch {
	case justPressed(ebiten.KeySpace):
		a.toggleRun()
	case justPressed(ebiten.KeyS):
		a.sess.Step()
	case justPressed(ebiten.KeyR):
		_ = a.reset(a.controls.settings()) // a problem is shown as a message
	case justPressed(ebiten.KeyEscape):
		a.messages = nil
		a.errDismissed = a.sess.Err() != nil
	}
}

// toggleRun starts or pauses training.
func (a *App) toggleRun() {
	if a.sess.State() == session.Running {
		a.sess.Pause()
	} else {
		a.sess.Start()
	}
}

// reset starts over with settings s, reporting a problem as a message.
func (a *App) reset(s settings.Settings) error {
	if err := a.sess.Reset(s); err != nil {
		a.notify(err.Error())
		return err
	}
	a.errDismissed = false
	a.controls.sync(s)
	a.insight.reset()
	a.pad.newRun(a)
	return nil
}

// Reset starts over with settings s (used by the page's JavaScript handle).
func (a *App) Reset(s settings.Settings) error { return a.reset(s) }

// ClearPad empties the drawing pad.
func (a *App) ClearPad() { a.pad.clearInk() }

func (a *App) drawHeader(c *canvas, d layout.Dashboard) {
	r := d.Header
	c.fillRect(r, colPanel)
	c.line(r.X, r.Y+r.H, r.X+r.W, r.Y+r.H, 1, colBorder)
	c.boldText("ConvLab", r.X+12, r.Y+8, 17, colAccent, alignLeft)
	c.text(a.statusLine(), r.X+100, r.Y+10, 13, colText, alignLeft)
	c.text("MNIST: LeCun, Cortes & Burges (CC BY-SA 3.0)", r.X+r.W-10, r.Y+11, 11, colMuted, alignRight)
}

// statusLine summarises the run: state, epoch, batch, speed, time,
// accuracy and frame rate.
func (a *App) statusLine() string {
	s := a.sess
	epoch, batch, per := s.Progress()
	st := s.Settings()
	parts := []string{
		strings.ToUpper(s.State().String()[:1]) + s.State().String()[1:],
		fmt.Sprintf("epoch %d/%d", min(epoch+1, st.Epochs), st.Epochs),
		fmt.Sprintf("batch %d/%d", batch, per),
		fmt.Sprintf("%.0f img/s", s.ImagesPerSecond()),
		fmt.Sprintf("%.1f s", s.Elapsed().Seconds()),
	}
	if s.State() == session.Finished {
		parts[1] = fmt.Sprintf("epoch %d/%d", epoch, st.Epochs)
		parts[2] = fmt.Sprintf("batch %d/%d", per, per)
	}
	if h := s.History(); len(h) > 0 {
		m := h[len(h)-1]
		parts = append(parts, fmt.Sprintf("train acc %.1f%%  test acc %.1f%%", 100*m.Train.Accuracy, 100*m.Test.Accuracy))
	}
	parts = append(parts, fmt.Sprintf("%.0f fps", ebiten.ActualFPS()))
	return strings.Join(parts, "  ·  ")
}

// maxMessages bounds the banner: older notices give way to newer ones.
const maxMessages = 4

// notify adds a notice to the banner unless it is already there.
func (a *App) notify(msg string) {
	if slices.Contains(a.messages, msg) {
		return
	}
	a.messages = append(a.messages, msg)
	if len(a.messages) > maxMessages {
		a.messages = a.messages[len(a.messages)-maxMessages:]
	}
}

// drawMessages shows URL problems and errors in a banner over the top of
// the dashboard, until Esc dismisses them.
func (a *App) drawMessages(c *canvas) {
	msgs := a.messages
	if err := a.sess.Err(); err != nil && !a.errDismissed {
		msgs = append([]string{err.Error()}, msgs...)
	}
	if len(msgs) == 0 {
		return
	}
	const lineH = 18.0
	w := a.layout.Width * 0.6
	r := rect(a.layout.Width*0.2, layout.HeaderHeight+4, w, lineH*float64(len(msgs))+26)
	c.fillRect(r, colWarnSoft)
	c.strokeRect(r, 1.5, colWarn)
	for i, m := range msgs {
		c.text(m, r.X+10, r.Y+6+lineH*float64(i), 13, colWarn, alignLeft)
	}
	c.text("Esc to dismiss", r.X+r.W-10, r.Y+r.H-17, 11, colMuted, alignRight)
}
