//go:build !js

package browsertest

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/chromedp/chromedp"
)

// minColours is how many distinct colours a rendered dashboard has at
// least; a blank or single-colour canvas has far fewer.
const minColours = 32

// TestScreenshots saves the dashboard after a short run with a drawn digit
// (the held-out 5) to testout/dashboard.png, and again at 1920×1080.
func TestScreenshots(t *testing.T) {
	digits := readHeldout(t)
	p := openPage(t, shortRun, desktop)
	p.waitForRunEnd(runTimeout)
	p.drawDigit(digits.Image(slices.Index(digits.Labels, 5)))
	p.waitFrames(2) // the drawing's last change drawn
	p.saveScreenshot("dashboard.png", 1280, 780)

	if err := chromedp.Do(p.ctx, chromedp.EmulateViewport(1920, 1080)); err != nil {
		t.Fatalf("resizing the viewport: %v", err)
	}
	// ebiten follows the window's resize event on its next frames: wait
	// for the layout to fill the new window, and for a frame drawn with it.
	p.waitUntil(`window.convlab.status().layout.header.w === 1920`, evalTimeout)
	p.waitFrames(2)
	p.saveScreenshot("dashboard-1920x1080.png", 1920, 1080)
	p.expectNoConsoleErrors()
}

// saveScreenshot captures the viewport, checks its size and that something
// was drawn, and writes it to testout/name at the repository root.
func (p *page) saveScreenshot(name string, width, height int) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, evalTimeout)
	defer cancel()
	data, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		p.t.Fatalf("screenshot: %v", err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		p.t.Fatalf("decoding the screenshot: %v", err)
	}
	if b := img.Bounds(); b.Dx() != width || b.Dy() != height {
		p.t.Errorf("%s is %d×%d, want %d×%d", name, b.Dx(), b.Dy(), width, height)
	}
	if n := countColours(img); n < minColours {
		p.t.Errorf("%s has only %d distinct colours: the dashboard was not drawn", name, n)
	}
	dir := filepath.Join(needEnv(p.t).root, "testout")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		p.t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		p.t.Fatal(err)
	}
	p.t.Logf("wrote %s", path)
}

// countColours returns the number of distinct colours in img.
func countColours(img image.Image) int {
	seen := make(map[[4]uint32]bool)
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, a := img.At(x, y).RGBA()
			seen[[4]uint32{r, g, bl, a}] = true
		}
	}
	return len(seen)
}
