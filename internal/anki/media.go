package anki

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/recall-cli/recall/internal/card"
)

// This file packs the images notes point at as the package's media.

// packImage returns the image hook of a card: local images are packed as
// media and their src rewritten; those that cannot be (missing, not an
// image, unreadable) are warned about and left out of the field, where
// they would show as broken images.
func (w *Writer) packImage(c card.Card) imageFunc {
	return func(dest string) (string, imageUse) {
		p, ok := localImage(dest)
		if !ok {
			return "", imageAsWritten
		}
		if !filepath.IsAbs(p) {
			p = filepath.Join(filepath.Dir(c.Source.File), filepath.FromSlash(p))
		}
		p = filepath.Clean(p)
		if name, ok := w.media[p]; ok {
			return name, imageMedia
		}
		if !imageExt[strings.ToLower(path.Ext(p))] {
			w.warn(c, "not an image, not packed: %s", dest)
			return "", imageDropped
		}
		name, err := w.addMedia(p)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				w.warn(c, "image not found: %s", dest)
			} else {
				w.warn(c, "image %s: %v", dest, err)
			}
			return "", imageDropped
		}
		w.media[p] = name
		return name, imageMedia
	}
}

// imageExt are the file types packed as media. Anything else a notes file
// points at (say ../../.ssh/id_rsa) stays out of the package.
var imageExt = map[string]bool{
	".png": true, ".jpg": true, ".jpeg": true, ".gif": true, ".webp": true, ".svg": true,
	".bmp": true, ".avif": true, ".apng": true, ".ico": true, ".tif": true, ".tiff": true,
}

// addMedia copies a file into the package as the next media member and
// returns its media name.
func (w *Writer) addMedia(p string) (string, error) {
	rc, err := w.opts.Open(p)
	if err != nil {
		return "", err
	}
	defer rc.Close()
	if st, ok := rc.(interface{ Stat() (fs.FileInfo, error) }); ok {
		if fi, err := st.Stat(); err == nil && !fi.Mode().IsRegular() {
			return "", errors.New("not a regular file")
		}
	}
	name := w.mediaName(filepath.Base(p))
	member := strconv.Itoa(len(w.mediaMap))
	method := zip.Store // images are compressed already
	if ext := strings.ToLower(path.Ext(name)); ext == ".svg" || ext == ".bmp" || ext == ".tif" || ext == ".tiff" {
		method = zip.Deflate
	}
	zf, err := w.zw.CreateHeader(&zip.FileHeader{Name: member, Method: method, Modified: w.opts.Now})
	if err != nil {
		return "", err
	}
	if _, err := io.Copy(zf, rc); err != nil {
		// The member is half written: the package cannot be finished.
		err = fmt.Errorf("copying image %s: %w", p, err)
		w.fail(err)
		return "", err
	}
	w.mediaMap[member] = name
	w.used[strings.ToLower(name)] = true
	return name, nil
}

// maxMediaName is the longest media file name Anki keeps, in bytes
// (MAX_MEDIA_FILENAME_LENGTH in rslib): it cuts longer ones.
const maxMediaName = 120

// mediaName makes a media file name from a file's base name, as Anki
// would make it when importing it (normalize_filename in rslib's
// media/files.rs), so that the name the field refers to is the name the
// file gets: in normal form C; without the characters Anki takes out
// ([ ] < > : " / ? * ^ \ |, ASCII control characters and code points
// Unicode leaves unassigned); a no-break space as a space; "_" after a
// Windows device name (CON.png is CON_.png) and after a final space or
// dot; at most maxMediaName bytes. Letters of every script, spaces and the
// rest stay: "my chart é.png" is itself. The name is not used yet in this
// package, ignoring case ("-2", "-3"… before the extension when it is).
func (w *Writer) mediaName(base string) string {
	clean := strings.Map(func(r rune) rune {
		switch {
		case strings.ContainsRune(`[]<>:"/?*^\|`, r), r < 0x20, r == 0x7f:
			return -1
		case r == '\u00a0':
			return ' '
		case !unicode.In(r, unicode.L, unicode.M, unicode.N, unicode.P, unicode.S, unicode.Z, unicode.C):
			return -1 // unassigned: a Mac refuses it in a file name
		}
		return r
	}, norm.NFC.String(base))
	ext := path.Ext(clean)
	stem := strings.TrimSuffix(clean, ext)
	if strings.TrimSpace(strings.Trim(stem, ".")) == "" {
		stem = "image"
	}
	if first, _, _ := strings.Cut(stem, "."); windowsDevice(first) {
		stem = first + "_" + stem[len(first):]
	}
	name := fitName(stem, "", ext)
	for i := 2; w.used[strings.ToLower(name)]; i++ {
		name = fitName(stem, "-"+strconv.Itoa(i), ext)
	}
	return name
}

// fitName joins stem, suffix and ext into a name of at most maxMediaName
// bytes, cutting the stem at a character boundary, with "_" after a final
// space or dot.
func fitName(stem, suffix, ext string) string {
	room := maxMediaName - len(suffix) - len(ext) - 1 // 1 for a final "_"
	for len(stem) > room {
		_, size := utf8.DecodeLastRuneInString(stem)
		stem = stem[:len(stem)-size]
	}
	name := stem + suffix + ext
	if strings.HasSuffix(name, " ") || strings.HasSuffix(name, ".") {
		name += "_"
	}
	return name
}

// windowsDevice reports whether s is a device name Windows reserves, in
// any case: no file name may start with one and a dot.
func windowsDevice(s string) bool {
	switch u := strings.ToUpper(s); {
	case u == "CON", u == "PRN", u == "AUX", u == "NUL":
		return true
	case len(u) == 4 && (strings.HasPrefix(u, "COM") || strings.HasPrefix(u, "LPT")) && u[3] >= '1' && u[3] <= '9':
		return true
	}
	return false
}
