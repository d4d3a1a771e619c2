package anki

import (
	"archive/zip"
	"bufio"
	"bytes"
	"io"
	"os"
	"strings"
)

// markPrefix starts the line that holds an exporter's mark, in a
// package's zip comment and among a CSV file's header lines.
const markPrefix = "recall export "

// markLine is the line that holds mark, made one line whatever it holds.
func markLine(mark string) string {
	return markPrefix + strings.Join(strings.Fields(mark), " ")
}

// maxHeaderLines bounds how far ReadMark looks into a text file: the
// headers come first, a handful of lines.
const maxHeaderLines = 32

// ReadMark returns the mark (Options.Mark, CSVOptions.Mark) of the file
// at path: from the zip comment of a package, or from the header lines of
// a CSV export. A file without one, or that is neither, has "". Only the
// end of a zip and the first lines of a text file are read, so a large
// file costs nothing.
func ReadMark(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	var magic [4]byte
	if _, err := io.ReadFull(f, magic[:]); err != nil {
		return "", nil // shorter than any package or header
	}
	if bytes.Equal(magic[:], []byte("PK\x03\x04")) {
		info, err := f.Stat()
		if err != nil {
			return "", err
		}
		z, err := zip.NewReader(f, info.Size())
		if err != nil {
			return "", nil // not a zip after all: no mark
		}
		mark, _ := strings.CutPrefix(z.Comment, markPrefix)
		if mark == z.Comment {
			return "", nil
		}
		return mark, nil
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return "", err
	}
	sc := bufio.NewScanner(f)
	for i := 0; i < maxHeaderLines && sc.Scan(); i++ {
		line := sc.Text()
		if !strings.HasPrefix(line, "#") {
			break
		}
		if mark, ok := strings.CutPrefix(line[1:], markPrefix); ok {
			return mark, nil
		}
	}
	return "", nil
}
