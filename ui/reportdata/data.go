package reportdata

import (
	"time"

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
// images of each digit in c, in c's order: the images a run with that
// many per class uses (see assets.Dataset.FirstPerClass). A nil catalog,
// of a set the program cannot name, gives none.
func FirstPerClassIndices(c *assets.Catalog, perClass int) []int {
	if c == nil {
		return nil
	}
	var taken [nn.NumClasses]int
	var out []int
	for i, l := range c.Labels {
		if int(l) < nn.NumClasses && taken[l] < perClass {
			taken[l]++
			out = append(out, c.Indices[i])
		}
	}
	return out
}

// Version names the build of ConvLab: the commit it was built from, as
// git describe --dirty writes it (make dist stamps it into the app), and
// the Go release that compiled it (runtime.Version). Without a commit
// (a build outside git, or not by make) it says that it is unknown. (The
// Go toolchain's own record, runtime/debug.ReadBuildInfo, would add 7 kB
// of gzip to the app, and builds with -buildvcs=false have none.)
func Version(commit, goVersion string) string {
	if commit == "" {
		return "a build whose commit is unknown, " + goVersion
	}
	return "commit " + commit + ", " + goVersion
}

// FileName names the report's file: convlab-report-<date>.html.
func FileName(generated time.Time) string {
	return "convlab-report-" + generated.Format("2006-01-02-1504") + ".html"
}
