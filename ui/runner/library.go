package runner

import (
	"fmt"

	"convlab/assets"
	"convlab/nn"
	"convlab/ui/settings"
)

// Library holds the bundled MNIST sets, parsed once and shared by every
// run of a page or a worker. A program fills in what it uses: a training
// worker the sets its runs train and test on; the page the test set and
// TrainCatalog, since its workers hold the training images.
type Library struct {
	Train, Test *assets.Dataset
	// TrainCatalog names the training images, by label and MNIST index,
	// so the report can say which a run trained on; the page reads it from
	// the training set's labels file without fetching the images.
	TrainCatalog *assets.Catalog
}

// Holds reports whether the library's sets hold the images a run with
// settings s trains and tests on: enough of each class, or the whole set
// for "all" (assets.AllPerClass). A program that lacks them fetches them
// first (the training worker, the page).
func (l *Library) Holds(s settings.Settings) bool {
	return holds(l.Train, s.TrainPerClass, assets.FullTrain()) && holds(l.Test, s.TestPerClass, assets.FullTest())
}

// holds reports whether d has perClass images of each class, or is all of
// full for assets.AllPerClass.
func holds(d *assets.Dataset, perClass int, full assets.FullSet) bool {
	if d == nil {
		return false
	}
	if perClass == assets.AllPerClass {
		return d.Len() == full.Size()
	}
	for _, n := range d.CountPerClass() {
		if n < perClass {
			return false
		}
	}
	return true
}

// missing says that set d of the library lacks images a run asks for.
func missing(set string, d *assets.Dataset, perClass int) error {
	held := 0
	if d != nil {
		held = d.Len()
	}
	return fmt.Errorf("%s set: %s images per class asked, %d images held (MNIST's full files are not loaded)", set, settings.PerClass(perClass), held)
}

// LoadLibrary parses the bundled training and test sets.
func LoadLibrary() (*Library, error) {
	train, err := assets.Train()
	if err != nil {
		return nil, err
	}
	test, err := assets.Test()
	if err != nil {
		return nil, err
	}
	return &Library{Train: train, Test: test, TrainCatalog: train.Catalog()}, nil
}

// TestSet returns the test images a run with settings s measures on: the
// first s.TestPerClass of each class.
func (l *Library) TestSet(s settings.Settings) (*nn.Data, error) {
	if !holds(l.Test, s.TestPerClass, assets.FullTest()) {
		return nil, missing("test", l.Test, s.TestPerClass)
	}
	test, err := Subset(l.Test, s.TestPerClass)
	if err != nil {
		return nil, fmt.Errorf("test set: %w", err)
	}
	return test, nil
}

// Sets returns the training and test images of a run with settings s.
func (l *Library) Sets(s settings.Settings) (train, test *nn.Data, err error) {
	if !holds(l.Train, s.TrainPerClass, assets.FullTrain()) {
		return nil, nil, missing("training", l.Train, s.TrainPerClass)
	}
	train, err = Subset(l.Train, s.TrainPerClass)
	if err != nil {
		return nil, nil, fmt.Errorf("training set: %w", err)
	}
	test, err = l.TestSet(s)
	if err != nil {
		return nil, nil, err
	}
	return train, test, nil
}

// Subset returns the first perClass images of each class of d, in d's
// order, ready for the network; all of d, its pixels shared, not copied,
// for assets.AllPerClass.
func Subset(d *assets.Dataset, perClass int) (*nn.Data, error) {
	sub, err := d.PerClass(perClass)
	if err != nil {
		return nil, err
	}
	return nn.NewData(sub.Pixels, sub.Labels)
}

// MaxMapPoints bounds the test images whose bottleneck features a run
// sends for the t-SNE maps, so building and settling a map stay cheap
// whatever the test-set size.
const MaxMapPoints = 200

// MapSubset picks at most limit test images for a map, the same number
// from each class (the first ones in order), in test-set order.
func MapSubset(labels []int, limit int) []int {
	perClass := max(1, limit/nn.NumClasses)
	var taken [nn.NumClasses]int
	var out []int
	for i, l := range labels {
		if taken[l] < perClass && len(out) < limit {
			taken[l]++
			out = append(out, i)
		}
	}
	return out
}
