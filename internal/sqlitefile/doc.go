// Package sqlitefile writes a SQLite database file directly, page by
// page, from rows that come sorted: the tables and indexes are built
// bottom-up, leaves first, and each page is written once, in order. It is
// for a file made in one go and never changed, such as the collection of
// an Anki package, where going through SQLite itself costs several times
// more (every row is placed by a search from the root, through a page
// cache and a virtual machine). The file format is SQLite's own, as
// https://www.sqlite.org/fileformat2.html documents it; any SQLite reads
// the result, and PRAGMA integrity_check finds nothing to say about it.
//
// It supports what such a file needs: rowid tables (with an INTEGER
// PRIMARY KEY or without), indexes whose keys fit in a page, records of
// integers, floats, text, blobs and NULLs, UTF-8, and payloads of any size
// through overflow pages. It imports nothing of recall's.
package sqlitefile
