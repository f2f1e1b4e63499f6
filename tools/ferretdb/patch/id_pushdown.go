// Added to FerretDB v1.24's SQLite backend by the project's build (scripts/lib/provision.cjs).
//
// The backend pushed `_id` equality down to SQLite (an index search) only when the filter held
// nothing else: `{_id: x, deleted: {$ne: true}}` read and decoded the whole collection, and so did
// `{_id: {$in: [...]}}`. The backend contract allows a filter to be applied partially (the handler
// filters every document again), so `_id` equality is pushed down whatever else the filter holds,
// and `_id: {$in: [strings or ObjectIDs]}` (up to maxIn values) becomes `IN (…)`, one index
// search per value in one statement.

package sqlite

import (
	"fmt"
	"strings"

	"github.com/FerretDB/FerretDB/internal/backends/sqlite/metadata"
	"github.com/FerretDB/FerretDB/internal/handler/sjson"
	"github.com/FerretDB/FerretDB/internal/types"
	"github.com/FerretDB/FerretDB/internal/util/must"
)

// maxIn bounds the values of one pushed-down `$in` (SQLite allows 32766 bound parameters).
const maxIn = 1000

// idEquality is the filter's `_id` value when the filter names `_id` exactly once.
func idEquality(filter *types.Document) (any, bool) {
	if filter == nil {
		return nil, false
	}
	n := 0
	for _, k := range filter.Keys() {
		if k == "_id" {
			n++
		}
	}
	if n != 1 {
		return nil, false
	}
	v, _ := filter.Get("_id")
	return v, true
}

// idWhere is the WHERE clause and arguments that narrow a query to the filter's `_id` values.
func idWhere(filter *types.Document) (string, []any, bool) {
	v, ok := idEquality(filter)
	if !ok {
		return "", nil, false
	}
	switch v := v.(type) {
	case string, types.ObjectID:
		return fmt.Sprintf(` WHERE %s = ?`, metadata.IDColumn), []any{string(must.NotFail(sjson.MarshalSingleValue(v)))}, true
	case *types.Document:
		if v.Len() != 1 || v.Keys()[0] != "$in" {
			return "", nil, false
		}
		in, _ := v.Get("$in")
		values, ok := in.(*types.Array)
		if !ok || values.Len() == 0 || values.Len() > maxIn {
			return "", nil, false
		}
		args := make([]any, 0, values.Len())
		for i := 0; i < values.Len(); i++ {
			e, _ := values.Get(i)
			switch e.(type) {
			case string, types.ObjectID:
				args = append(args, string(must.NotFail(sjson.MarshalSingleValue(e))))
			default:
				return "", nil, false
			}
		}
		marks := strings.TrimSuffix(strings.Repeat("?, ", len(args)), ", ")
		return fmt.Sprintf(` WHERE %s IN (%s)`, metadata.IDColumn, marks), args, true
	default:
		return "", nil, false
	}
}
