// Added to FerretDB v1.24's SQLite backend by the project's build (scripts/lib/provision.cjs).
//
// The backend pushed `_id` equality down to SQLite (an index search) only when the filter held
// nothing else: `{_id: x, deleted: {$ne: true}}` read and decoded the whole collection. The
// backend contract allows a filter to be applied partially (the handler filters every document
// again), so `_id` equality is pushed down whatever else the filter holds.

package sqlite

import "github.com/FerretDB/FerretDB/internal/types"

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
