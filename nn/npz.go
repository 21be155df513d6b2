package nn

import (
	"archive/zip"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// SaveNPZ writes the network's parameters as a NumPy .npz file, for the
// Python notebooks the homework is written in: a zip archive holding one
// .npy array per tensor, named as in the model file ("conv1.weight", …),
// float64 in C order with the model file's shapes, so np.load(path)[name]
// gives each tensor exactly. Like Save it refuses values beyond
// ±MaxModelValue, writing nothing.
func (n *Network) SaveNPZ(w io.Writer) error {
	params := n.Params()
	for _, p := range params {
		if err := checkValues(p.Name, p.Value); err != nil {
			return fmt.Errorf("save npz: %w", err)
		}
	}
	zw := zip.NewWriter(w)
	for _, p := range params {
		// Stored, not deflated: float64 weights barely compress, and
		// NumPy reads either.
		f, err := zw.CreateHeader(&zip.FileHeader{Name: p.Name + ".npy", Method: zip.Store})
		if err != nil {
			return fmt.Errorf("save npz: %s: %w", p.Name, err)
		}
		if err := writeNPY(f, p.Shape, p.Value); err != nil {
			return fmt.Errorf("save npz: %s: %w", p.Name, err)
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("save npz: %w", err)
	}
	return nil
}

// npyAlign is the multiple that an .npy file's preamble (magic, version,
// header length and header) is padded to, so the data that follow are
// aligned; NumPy writes 64 since 1.14, and its format 1.0 needs 16.
const npyAlign = 64

// writeNPY writes values as an .npy file of format version 1.0: the magic
// "\x93NUMPY", the version bytes 1 0, the header's length (uint16, little
// endian), the header (a Python dict literal giving the dtype '<f8', C
// order and the shape, padded with spaces and ended by a newline), then
// the values as little-endian float64.
func writeNPY(w io.Writer, shape []int, values []float64) error {
	dims := make([]string, len(shape))
	for i, d := range shape {
		dims[i] = strconv.Itoa(d)
	}
	tuple := "(" + strings.Join(dims, ", ") + ")"
	if len(shape) == 1 {
		tuple = "(" + dims[0] + ",)" // a one-element Python tuple
	}
	header := "{'descr': '<f8', 'fortran_order': False, 'shape': " + tuple + ", }"
	const preamble = 6 + 2 + 2 // magic, version, header length
	pad := npyAlign - (preamble+len(header)+1)%npyAlign
	if pad == npyAlign {
		pad = 0
	}
	header += strings.Repeat(" ", pad) + "\n"

	buf := make([]byte, 0, preamble+len(header)+8*len(values))
	buf = append(buf, "\x93NUMPY\x01\x00"...)
	buf = binary.LittleEndian.AppendUint16(buf, uint16(len(header)))
	buf = append(buf, header...)
	for _, v := range values {
		buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(v))
	}
	_, err := w.Write(buf)
	return err
}
