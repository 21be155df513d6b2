package report

import (
	"fmt"
	"runtime/debug"

	"convlab/assets"
	"convlab/nn"
)

// Examples returns the first image of each digit in test, in digit order:
// the images whose activation maps a report shows. Every run's test set
// holds them, since a run tests on the first images of each digit.
func Examples(test *assets.Dataset) []Example {
	var out []Example
	for digit := range nn.NumClasses {
		for i, l := range test.Labels {
			if int(l) != digit {
				continue
			}
			img := make([]float64, nn.ImageSize)
			for k, p := range test.Image(i) {
				img[k] = float64(p) / 255
			}
			out = append(out, Example{Index: test.Indices[i], Label: digit, Image: img})
			break
		}
	}
	return out
}

// FirstPerClassIndices returns the MNIST indices of the first perClass
// images of each digit in d, in d's order: the images a run with that
// many per class uses (see assets.Dataset.FirstPerClass).
func FirstPerClassIndices(d *assets.Dataset, perClass int) []int {
	var taken [nn.NumClasses]int
	var out []int
	for i, l := range d.Labels {
		if int(l) < nn.NumClasses && taken[l] < perClass {
			taken[l]++
			out = append(out, d.Indices[i])
		}
	}
	return out
}

// Version names the build that info describes (runtime/debug's
// ReadBuildInfo): the commit it was built from, marked when the work tree
// had changes, the commit's time, and the Go release. Where the Go
// toolchain recorded no commit (it does not with -buildvcs=false, nor
// under go test), commit names it if not empty (as git describe
// --dirty writes it; the Makefile stamps it); otherwise the version says
// that it is unknown.
func Version(info *debug.BuildInfo, commit string) string {
	goVersion := "Go release unknown"
	if info != nil {
		goVersion = info.GoVersion
	}
	if info == nil {
		info = &debug.BuildInfo{}
	}
	var rev, at string
	modified := false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			at = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	switch {
	case rev == "" && commit != "":
		return "commit " + commit + ", " + goVersion
	case rev == "":
		return "a build whose commit is unknown, " + goVersion
	}
	v := "commit " + rev[:min(12, len(rev))]
	if modified {
		v += " with local changes"
	}
	if at != "" {
		v += fmt.Sprintf(" of %s", at)
	}
	return v + ", " + goVersion
}
