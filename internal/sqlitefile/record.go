package sqlitefile

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// Record builds the payload of a row or an index entry in SQLite's record
// format: a header of serial types, then the values. Add the values in
// column order, then take Bytes. A Record may be Reset and used again.
type Record struct {
	types []uint64
	body  []byte
	out   []byte
}

// Reset empties the record, keeping its buffers.
func (r *Record) Reset() {
	r.types = r.types[:0]
	r.body = r.body[:0]
}

// Null adds a NULL, which is also how a table's INTEGER PRIMARY KEY column
// is stored: its value is the rowid.
func (r *Record) Null() { r.types = append(r.types, 0) }

// Int adds an integer, in as few bytes as hold it.
func (r *Record) Int(v int64) {
	switch {
	case v == 0:
		r.types = append(r.types, 8)
	case v == 1:
		r.types = append(r.types, 9)
	case v >= math.MinInt8 && v <= math.MaxInt8:
		r.types = append(r.types, 1)
		r.body = append(r.body, byte(v))
	case v >= math.MinInt16 && v <= math.MaxInt16:
		r.types = append(r.types, 2)
		r.body = binary.BigEndian.AppendUint16(r.body, uint16(v))
	case v >= -1<<23 && v < 1<<23:
		r.types = append(r.types, 3)
		r.body = append(r.body, byte(v>>16), byte(v>>8), byte(v))
	case v >= math.MinInt32 && v <= math.MaxInt32:
		r.types = append(r.types, 4)
		r.body = binary.BigEndian.AppendUint32(r.body, uint32(v))
	case v >= -1<<47 && v < 1<<47:
		r.types = append(r.types, 5)
		r.body = append(r.body, byte(v>>40), byte(v>>32), byte(v>>24), byte(v>>16), byte(v>>8), byte(v))
	default:
		r.types = append(r.types, 6)
		r.body = binary.BigEndian.AppendUint64(r.body, uint64(v))
	}
}

// Float adds a floating-point number.
func (r *Record) Float(v float64) {
	r.types = append(r.types, 7)
	r.body = binary.BigEndian.AppendUint64(r.body, math.Float64bits(v))
}

// Text adds a string, which should be UTF-8.
func (r *Record) Text(s string) {
	r.types = append(r.types, uint64(len(s))*2+13)
	r.body = append(r.body, s...)
}

// Blob adds bytes.
func (r *Record) Blob(b []byte) {
	r.types = append(r.types, uint64(len(b))*2+12)
	r.body = append(r.body, b...)
}

// Bytes returns the record. It stays valid until the next Reset or Bytes.
func (r *Record) Bytes() []byte {
	n := 0
	for _, t := range r.types {
		n += varintLen(t)
	}
	// The header's size counts its own varint, whose length depends on
	// the total.
	size := n + 1
	for varintLen(uint64(size))+n != size {
		size = varintLen(uint64(size)) + n
	}
	r.out = appendVarint(r.out[:0], uint64(size))
	for _, t := range r.types {
		r.out = appendVarint(r.out, t)
	}
	return append(r.out, r.body...)
}

// Decode reads a record into values: int64, float64, string, []byte or
// nil. It reads what Record writes, and SQLite's records generally.
func Decode(rec []byte) ([]any, error) {
	size, n := readVarint(rec)
	if n == 0 || size > uint64(len(rec)) || size < uint64(n) {
		return nil, errors.New("sqlitefile: bad record header")
	}
	hdr, body := rec[n:size], rec[size:]
	var vals []any
	for len(hdr) > 0 {
		t, k := readVarint(hdr)
		if k == 0 {
			return nil, errors.New("sqlitefile: bad serial type")
		}
		hdr = hdr[k:]
		w := serialSize(t)
		if w > len(body) {
			return nil, fmt.Errorf("sqlitefile: record too short for serial type %d", t)
		}
		v := body[:w]
		body = body[w:]
		switch {
		case t == 0:
			vals = append(vals, nil)
		case t >= 1 && t <= 6:
			var x int64
			for i, b := range v {
				if i == 0 {
					x = int64(int8(b))
				} else {
					x = x<<8 | int64(b)
				}
			}
			vals = append(vals, x)
		case t == 7:
			vals = append(vals, math.Float64frombits(binary.BigEndian.Uint64(v)))
		case t == 8, t == 9:
			vals = append(vals, int64(t-8))
		case t >= 12 && t%2 == 0:
			vals = append(vals, append([]byte(nil), v...))
		case t >= 13:
			vals = append(vals, string(v))
		default:
			return nil, fmt.Errorf("sqlitefile: reserved serial type %d", t)
		}
	}
	return vals, nil
}

// serialSize is the size in the body of a value of serial type t.
func serialSize(t uint64) int {
	switch t {
	case 0, 8, 9, 10, 11:
		return 0
	case 1, 2, 3, 4:
		return int(t)
	case 5:
		return 6
	case 6, 7:
		return 8
	}
	return int((t - 12) / 2)
}

// appendVarint appends v as SQLite's big-endian varint: seven bits a byte,
// high bit set on all but the last, and a ninth byte of eight bits.
func appendVarint(b []byte, v uint64) []byte {
	if v <= 0x7f {
		return append(b, byte(v))
	}
	if v>>56 != 0 {
		var buf [9]byte
		buf[8] = byte(v)
		v >>= 8
		for i := 7; i >= 0; i-- {
			buf[i] = byte(v&0x7f) | 0x80
			v >>= 7
		}
		return append(b, buf[:]...)
	}
	var buf [8]byte
	i := len(buf)
	for v != 0 {
		i--
		buf[i] = byte(v&0x7f) | 0x80
		v >>= 7
	}
	buf[len(buf)-1] &^= 0x80
	return append(b, buf[i:]...)
}

func varintLen(v uint64) int {
	if v>>56 != 0 {
		return 9
	}
	n := 1
	for v > 0x7f {
		v >>= 7
		n++
	}
	return n
}

// readVarint reads a varint from the start of b, returning it and its
// length, 0 if b ends first.
func readVarint(b []byte) (uint64, int) {
	var v uint64
	for i := 0; i < 9 && i < len(b); i++ {
		if i == 8 {
			return v<<8 | uint64(b[i]), 9
		}
		v = v<<7 | uint64(b[i]&0x7f)
		if b[i] < 0x80 {
			return v, i + 1
		}
	}
	return 0, 0
}
