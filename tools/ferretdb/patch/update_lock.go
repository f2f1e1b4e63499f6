// Added to FerretDB v1.24's handler package by the project's build (scripts/lib/provision.cjs).
//
// FerretDB v1 applies update and findAndModify as read-modify-write: it reads the matching
// documents, applies the operators in Go, then writes them back with a blind
// `UPDATE … WHERE _id = ?`. Two concurrent updates of one document therefore both read the same
// version and the second write silently drops the first ($inc, $addToSet, $pull, $max…), and two
// concurrent findOneAndDelete calls both return the document. MongoDB applies each single-document
// update atomically. This file restores that: every update and findAndModify holds a lock for its
// whole read-modify-write, per document when each statement names one `_id` (the common case,
// which then only excludes writers of the same document), else for the whole collection.

package handler

import (
	"fmt"
	"hash/fnv"
	"sort"
	"sync"

	"github.com/FerretDB/FerretDB/internal/handler/common"
	"github.com/FerretDB/FerretDB/internal/types"
)

// stripeCount bounds memory: documents share a fixed set of mutexes by hash, never one each.
const stripeCount = 1024

var (
	collectionLocks sync.Map // "db.collection" -> *sync.RWMutex
	documentLocks   [stripeCount]sync.Mutex
)

func collectionLock(db, collection string) *sync.RWMutex {
	l, _ := collectionLocks.LoadOrStore(db+"."+collection, new(sync.RWMutex))
	return l.(*sync.RWMutex)
}

// scalarID is the `_id` a filter names by plain equality; false for no `_id` or an operator document.
func scalarID(filter *types.Document) (any, bool) {
	if filter == nil {
		return nil, false
	}
	v, err := filter.Get("_id")
	if err != nil {
		return nil, false
	}
	switch v.(type) {
	case *types.Document, *types.Array:
		return nil, false
	default:
		return v, true
	}
}

// lockForUpdate takes the locks for read-modify-writes filtered by `filters` and returns their release.
func lockForUpdate(db, collection string, filters []*types.Document) func() {
	coll := collectionLock(db, collection)
	stripes := make([]int, 0, len(filters))
	for _, f := range filters {
		id, ok := scalarID(f)
		if !ok {
			coll.Lock()
			return coll.Unlock
		}
		h := fnv.New32a()
		_, _ = fmt.Fprintf(h, "%s.%s\x00%T\x00%v", db, collection, id, id)
		stripes = append(stripes, int(h.Sum32()%stripeCount))
	}
	sort.Ints(stripes) // one order for every caller: no deadlock between multi-document statements
	unique := stripes[:0]
	for i, s := range stripes {
		if i == 0 || s != stripes[i-1] {
			unique = append(unique, s)
		}
	}
	coll.RLock()
	for _, s := range unique {
		documentLocks[s].Lock()
	}
	return func() {
		for i := len(unique) - 1; i >= 0; i-- {
			documentLocks[unique[i]].Unlock()
		}
		coll.RUnlock()
	}
}

func updateFilters(updates []common.Update) []*types.Document {
	filters := make([]*types.Document, len(updates))
	for i := range updates {
		filters[i] = updates[i].Filter
	}
	return filters
}
