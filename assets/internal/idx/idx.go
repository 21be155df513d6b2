// Package idx reads and writes gzip-compressed files in the IDX format that
// MNIST is distributed in, limited to the two shapes MNIST uses: a
// three-dimensional array of unsigned bytes (images) and a one-dimensional
// one (labels).
//
// An IDX file is a big-endian header followed by the data. The header is a
// 32-bit magic number, whose third byte is the element type (0x08 for
// unsigned bytes) and whose fourth byte is the number of dimensions, then
// one 32-bit size per dimension. The data is the array in row-major order.
package idx

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"
)

// Magic numbers of the two file shapes this package handles.
const (
	ImagesMagic = 0x00000803 // unsigned bytes, 3 dimensions: count, rows, columns
	LabelsMagic = 0x00000801 // unsigned bytes, 1 dimension: count
)

// MaxDataBytes is the largest data section a header may declare, counting a
// zero size as one (so an empty set of absurdly large images is refused
// too). It is far above MNIST's largest file (60000×28×28 bytes, about
// 47 MB) and keeps a corrupt header from describing an absurd array.
const MaxDataBytes = 1 << 30

// Images is a stack of equally sized greyscale images.
type Images struct {
	Count, Rows, Cols int
	Pixels            []byte // Count*Rows*Cols bytes, image after image, row-major
}

// ReadImages reads a gzip-compressed IDX images file (magic 0x00000803).
// It rejects a stream that is not gzip, has another magic number, declares
// an empty image size, or holds fewer or more data bytes than its header
// declares.
func ReadImages(r io.Reader) (Images, error) {
	dims, data, err := read(r, ImagesMagic)
	if err != nil {
		return Images{}, err
	}
	if dims[1] == 0 || dims[2] == 0 {
		return Images{}, fmt.Errorf("header declares %d×%d images; rows and columns must be at least 1", dims[1], dims[2])
	}
	return Images{Count: dims[0], Rows: dims[1], Cols: dims[2], Pixels: data}, nil
}

// ReadLabels reads a gzip-compressed IDX labels file (magic 0x00000801),
// with the same checks as ReadImages.
func ReadLabels(r io.Reader) ([]byte, error) {
	_, data, err := read(r, LabelsMagic)
	return data, err
}

// WriteImages writes img as a gzip-compressed IDX images file. The gzip
// header carries no name and no time, so equal input gives equal output.
func WriteImages(w io.Writer, img Images) error {
	if img.Count < 0 || img.Rows < 1 || img.Cols < 1 {
		return fmt.Errorf("invalid image shape %d×%d×%d", img.Count, img.Rows, img.Cols)
	}
	if len(img.Pixels) != img.Count*img.Rows*img.Cols {
		return fmt.Errorf("%d pixel bytes for %d images of %d×%d", len(img.Pixels), img.Count, img.Rows, img.Cols)
	}
	return write(w, ImagesMagic, []int{img.Count, img.Rows, img.Cols}, img.Pixels)
}

// WriteLabels writes labels as a gzip-compressed IDX labels file, as
// deterministically as WriteImages.
func WriteLabels(w io.Writer, labels []byte) error {
	return write(w, LabelsMagic, []int{len(labels)}, labels)
}

// read decodes one gzip-compressed IDX stream whose magic must be want and
// returns its dimension sizes and data.
func read(r io.Reader, want uint32) (dims []int, data []byte, err error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, nil, fmt.Errorf("not a gzip stream: %w", err)
	}
	defer zr.Close()

	// Check the magic number before the sizes, whose count it gives.
	rank := int(want & 0xff)
	header := make([]byte, 4+4*rank)
	if n, err := io.ReadFull(zr, header[:4]); err != nil {
		return nil, nil, headerErr(n, len(header), err)
	}
	if got := binary.BigEndian.Uint32(header); got != want {
		return nil, nil, fmt.Errorf("wrong magic number %#08x, want %#08x", got, want)
	}
	if n, err := io.ReadFull(zr, header[4:]); err != nil {
		return nil, nil, headerErr(4+n, len(header), err)
	}
	// size is the data length; nonzero, the product of the non-zero sizes,
	// keeps an empty array from declaring absurd other dimensions.
	size, nonzero := uint64(1), uint64(1)
	dims = make([]int, rank)
	for i := range dims {
		d := uint64(binary.BigEndian.Uint32(header[4+4*i:]))
		dims[i] = int(d)
		size *= d
		nonzero *= max(d, 1) // cannot overflow: nonzero ≤ MaxDataBytes before this step
		if nonzero > MaxDataBytes {
			return nil, nil, fmt.Errorf("header declares dimensions %v…, more than %d data bytes", dims[:i+1], MaxDataBytes)
		}
	}

	// Read no more than the stream really holds: a header may lie about size.
	data, err = readData(zr, size)
	if err != nil && !isEOF(err) {
		return nil, nil, fmt.Errorf("reading data: %w", readErr(err))
	}
	if uint64(len(data)) < size {
		return nil, nil, fmt.Errorf("truncated data: got %d of %d bytes the header declares (dimensions %v)", len(data), size, dims)
	}
	extra, err := io.Copy(io.Discard, zr) // also makes gzip verify its checksum
	if err != nil {
		return nil, nil, fmt.Errorf("reading past data: %w", readErr(err))
	}
	if extra > 0 {
		return nil, nil, fmt.Errorf("oversized: %d bytes after the %d data bytes the header declares (dimensions %v)", extra, size, dims)
	}
	return dims, slices.Clip(data), nil
}

// maxPrealloc is the largest data section read into a buffer allocated
// at its declared size at once: MNIST's largest, 47 MB, is read without
// the copies of a growing buffer (which would leave a WebAssembly
// program's memory half as large again, since it never shrinks), while a
// header that lies about a larger size costs no more than this.
const maxPrealloc = 64 << 20

// readData reads up to size bytes of r: into a buffer of that size if it
// is at most maxPrealloc, else into one that grows as the bytes come. It
// returns what it read, fewer bytes than size if r ended first, with
// io.EOF or io.ErrUnexpectedEOF then.
func readData(r io.Reader, size uint64) ([]byte, error) {
	if size > maxPrealloc {
		return io.ReadAll(io.LimitReader(r, int64(size)))
	}
	data := make([]byte, size)
	n, err := io.ReadFull(r, data)
	return data[:n], err
}

// headerErr describes a failure after got of the want header bytes.
func headerErr(got, want int, err error) error {
	if isEOF(err) {
		return fmt.Errorf("truncated header: got %d of %d bytes", got, want)
	}
	return fmt.Errorf("reading header: %w", readErr(err))
}

// isEOF reports whether err means the stream ended, cleanly or mid-way.
func isEOF(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
}

// readErr names the usual gzip failures in words a reader of the message
// can act on.
func readErr(err error) error {
	var corrupt flate.CorruptInputError
	switch {
	case isEOF(err):
		return fmt.Errorf("gzip stream cut short: %w", err)
	case errors.Is(err, gzip.ErrChecksum), errors.Is(err, gzip.ErrHeader), errors.As(err, &corrupt):
		return fmt.Errorf("corrupt gzip data: %w", err)
	}
	return err
}

// write encodes one IDX file with the given magic, dimension sizes and data,
// gzip-compressed with an empty header.
func write(w io.Writer, magic uint32, dims []int, data []byte) error {
	var raw bytes.Buffer
	raw.Grow(4 + 4*len(dims) + len(data))
	raw.Write(binary.BigEndian.AppendUint32(nil, magic))
	for _, d := range dims {
		if d < 0 || uint64(d) > 0xffffffff {
			return fmt.Errorf("dimension %d does not fit an IDX header", d)
		}
		raw.Write(binary.BigEndian.AppendUint32(nil, uint32(d)))
	}
	raw.Write(data)

	zw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	if _, err := zw.Write(raw.Bytes()); err != nil {
		return fmt.Errorf("compressing: %w", err)
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("compressing: %w", err)
	}
	return nil
}
