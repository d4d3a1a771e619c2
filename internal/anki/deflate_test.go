package anki

import (
	"bytes"
	"compress/flate"
	"hash/crc32"
	"io"
	"math/rand/v2"
	"strconv"
	"testing"
)

// TestDeflateChunks deflates files of sizes around the chunk size, with
// one and several deflaters, at the package's level and the default one:
// the stream inflates to the file, and the CRC and sizes are its own.
func TestDeflateChunks(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(3, 4))
	var text bytes.Buffer
	for text.Len() < 3*deflateChunk+100 {
		text.WriteString("note " + strconv.Itoa(r.IntN(1000)) + " \x1f field text ")
		if r.IntN(10) == 0 {
			text.WriteByte(byte(r.IntN(256)))
		}
	}
	for _, size := range []int{0, 1, deflateChunk - 1, deflateChunk, deflateChunk + 1, 3*deflateChunk + 17} {
		data := text.Bytes()[:size]
		for _, workers := range []int{1, 3} {
			for _, level := range []int{zipLevel, flate.DefaultCompression} {
				var out bytes.Buffer
				crc, n, written, err := deflateChunks(&out, bytes.NewReader(data), int64(size), level, workers)
				if err != nil {
					t.Fatalf("size %d, %d deflaters, level %d: %v", size, workers, level, err)
				}
				deflated := out.Len()
				got, err := io.ReadAll(flate.NewReader(&out))
				if err != nil || !bytes.Equal(got, data) {
					t.Errorf("size %d, %d deflaters, level %d: inflated %d bytes (%v), want the %d of the file",
						size, workers, level, len(got), err, size)
				}
				if crc != crc32.ChecksumIEEE(data) || n != int64(size) || written != int64(deflated) {
					t.Errorf("size %d, %d deflaters, level %d: crc %08x, n %d, written %d; want %08x, %d, %d",
						size, workers, level, crc, n, written, crc32.ChecksumIEEE(data), size, deflated)
				}
			}
		}
	}
	// A file shorter than said is an error.
	if _, _, _, err := deflateChunks(io.Discard, bytes.NewReader(make([]byte, 10)), 20, zipLevel, 2); err == nil {
		t.Errorf("deflating 10 bytes said to be 20 = nil error, want one")
	}
}
