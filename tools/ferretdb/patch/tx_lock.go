// Added to FerretDB v1.24's fsql package by the project's build (scripts/lib/provision.cjs).
//
// SQLite takes one writer at a time. FerretDB opened write transactions (and ran single write
// statements: DELETE, DDL) from many pooled connections at once, and each one that found the
// database locked slept in SQLite's busy handler (1, 2, 5, 10 … 100 ms) before trying again:
// under ten concurrent writers a 5 ms insert took up to 550 ms. A mutex per database hands the
// write lock over in arrival order instead. Reads take no lock (WAL: readers never wait for the writer).

package fsql

import "sync"

var txLocks sync.Map // *DB -> *sync.Mutex

// writeLock is the mutex serializing this database's write transactions.
func (db *DB) writeLock() *sync.Mutex {
	l, _ := txLocks.LoadOrStore(db, new(sync.Mutex))
	return l.(*sync.Mutex)
}
