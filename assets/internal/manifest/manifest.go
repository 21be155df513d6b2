// Package manifest describes the files that the assets generator writes:
// where the MNIST source files came from, which images each bundled set
// holds, and the SHA-256 of every file. The generator writes it as JSON and
// the assets package reads it back.
package manifest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
)

// Manifest is the content of assets/data/manifest.json.
type Manifest struct {
	Dataset string `json:"dataset"`
	Authors string `json:"authors"`
	License string `json:"license"`
	Source  Source `json:"source"`
	Train   Set    `json:"train"`   // bundled, embedded training set
	Test    Set    `json:"test"`    // bundled, embedded test set
	Heldout Set    `json:"heldout"` // held-out test images for browser tests, not embedded
}

// Source names the Go module the original MNIST files were taken from and
// the files read from it.
type Source struct {
	Module  string `json:"module"`
	Version string `json:"version"`
	Files   []File `json:"files"`
}

// File is a file name with the SHA-256 of its content, in lower-case hex,
// and, for written files, its size in bytes and its CRC-32 (IEEE), which
// the browser's programs check. Names of written files are relative to the
// assets package directory.
type File struct {
	Name   string `json:"name"`
	Size   int    `json:"size,omitempty"`
	SHA256 string `json:"sha256"`
	CRC32  uint32 `json:"crc32,omitempty"`
}

// Set describes one written set: a labels file and its images in one or
// more tiers, so that a program that needs only the first images of each
// class reads only the first tier's file. The bundled sets' labels files
// hold every label of the source file from its first image through the
// set's last, so that a label's position is its image's index in the
// source file (package assets reads them so); the held-out set's holds one
// label per image, as MNIST's files do. Rule says which.
type Set struct {
	Rule          string  `json:"rule"` // how the images were chosen and the labels written, in words
	Labels        File    `json:"labels"`
	Tiers         []Tier  `json:"tiers"`
	CountPerClass [10]int `json:"countPerClass"`
	Indices       []int   `json:"indices"` // each image's index in its original MNIST file, in file order
}

// Tier is one images file of a set. Counting each class's images in file
// order from 1, it holds those numbered from the previous tier's UpTo + 1
// (from 1 for the first tier) to UpTo, in file order.
type Tier struct {
	UpTo   int  `json:"upTo"`
	Images File `json:"images"`
}

// Parse decodes a manifest, rejecting unknown fields and a set whose
// indices do not add up to its per-class counts.
func Parse(data []byte) (*Manifest, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var m Manifest
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("manifest: %w", err)
	}
	for _, s := range []struct {
		name string
		set  Set
	}{{"train", m.Train}, {"test", m.Test}, {"heldout", m.Heldout}} {
		total := 0
		for _, n := range s.set.CountPerClass {
			total += n
		}
		if total != len(s.set.Indices) {
			return nil, fmt.Errorf("manifest: %s set lists %d indices but counts %d images per class", s.name, len(s.set.Indices), total)
		}
		for i, t := range s.set.Tiers {
			if t.UpTo < 1 || (i > 0 && t.UpTo <= s.set.Tiers[i-1].UpTo) {
				return nil, fmt.Errorf("manifest: %s set: tier %d ends at image %d of each class, not after the tier before", s.name, i+1, t.UpTo)
			}
		}
	}
	return &m, nil
}

// Marshal encodes m as indented JSON with each list of numbers on one line,
// so the thousands of indices don't take a line each.
func (m *Manifest) Marshal() ([]byte, error) {
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("manifest: %w", err)
	}
	numberList := regexp.MustCompile(`\[\s*\d+(?:,\s*\d+)*\s*\]`)
	data = numberList.ReplaceAllFunc(data, func(list []byte) []byte {
		var compact bytes.Buffer
		if err := json.Compact(&compact, list); err != nil {
			return list // cannot happen for a match of numberList
		}
		return compact.Bytes()
	})
	return append(data, '\n'), nil
}
