package store

import (
	"database/sql/driver"
	"fmt"
	"reflect"
	"time"

	"github.com/jackc/pgx/v5/pgtype"
	"github.com/lib/pq"
)

// River's database/sql driver passes a job batch's columns as lib/pq arrays. pgx encodes those through
// its driver.Valuer fallback: it asks each array for its text form and parses that back before encoding
// it in binary, a tenth of a check-in's server CPU in a profile (one job insert per change). Unwrapped to
// the slices they hold, the same values are encoded directly: the same NULLs, elements and bytes, and
// times to the microsecond (their nanoseconds cut, where PostgreSQL's parser of the text rounded them).
func unwrapPQArrays(value any) (pgtype.WrappedEncodePlanNextSetter, any, bool) {
	s, ok := pqSlice(value)
	if !ok {
		return nil, nil, false
	}
	return &pqArrayPlan{planned: reflect.TypeOf(s)}, s, true
}

// pqSlice is the slice a lib/pq array holds (pq.Array returns pointers to the typed arrays).
func pqSlice(value any) (any, bool) {
	if p, ok := value.(interface{ Value() (driver.Value, error) }); ok && reflect.TypeOf(p).Kind() == reflect.Pointer {
		if reflect.ValueOf(p).IsNil() {
			return nil, false
		}
		value = reflect.ValueOf(p).Elem().Interface() // pq.Array's *StringArray and the like
	}
	switch a := value.(type) {
	case pq.StringArray:
		return []string(a), true
	case pq.Int64Array:
		return []int64(a), true
	case pq.Int32Array:
		return []int32(a), true
	case pq.ByteaArray:
		if a == nil {
			return [][]byte(nil), true
		}
		// lib/pq writes a nil element as an empty bytea, not NULL (River's SQL relies on nullif for it).
		out := make([][]byte, len(a))
		for i, b := range a {
			if out[i] = b; b == nil {
				out[i] = []byte{}
			}
		}
		return out, true
	case pq.BoolArray:
		return []bool(a), true
	case pq.Float64Array:
		return []float64(a), true
	case pq.GenericArray:
		switch a.A.(type) {
		case []time.Time, []int16:
			return a.A, true
		}
	}
	return nil, false
}

// pqArrayPlan encodes a lib/pq array as its slice with the plan made for that slice's type. Plans are
// kept per parameter type and the GenericArray type holds any slice, so a different one is refused
// rather than encoded with another type's plan.
type pqArrayPlan struct {
	planned reflect.Type
	next    pgtype.EncodePlan
}

func (p *pqArrayPlan) SetNext(next pgtype.EncodePlan) { p.next = next }

func (p *pqArrayPlan) Encode(value any, buf []byte) ([]byte, error) {
	s, ok := pqSlice(value)
	if !ok {
		return nil, fmt.Errorf("store: %T is not a lib/pq array", value)
	}
	if t := reflect.TypeOf(s); t != p.planned {
		return nil, fmt.Errorf("store: a lib/pq array of %s where %s was planned", t, p.planned)
	}
	return p.next.Encode(s, buf)
}
